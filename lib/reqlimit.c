/* reqlimit.c: a per-request CPU budget (ITIMER_PROF) that ends a worker stuck in one request. */
#include "reqlimit.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.h"

static int budget = -1;		/* seconds; -1 until read from the config */
static char line[512];		/* the message, formatted before it is needed */
static size_t line_len;

/* on_prof: the budget is spent. Only async-signal-safe calls: the request
 * may be anywhere (inside libxml2, malloc, a MariaDB round trip), so the
 * process cannot go on; it ends and a fresh worker takes its place. */
static void on_prof(int sig)
{
	(void)sig;
	if (write(2, line, line_len) < 0) {
		/* nothing more can be done */
	}
	_exit(REQLIMIT_EXIT);
}

#define ALL ((size_t)-1)

/* add: append s (up to n bytes, or to its NUL) to line. */
static void add(const char *s, size_t n)
{
	size_t k = strnlen(s, n);

	if (k > sizeof(line) - 2 - line_len)
		k = sizeof(line) - 2 - line_len;
	memcpy(line + line_len, s, k);
	line_len += k;
}

void reqlimit_start(const char *method, const char *uri)
{
	struct itimerval it;
	char num[24];
	int n = 0;

	if (budget < 0) {
		struct sigaction sa;

		budget = config_get_int("Limits.RequestCPUSeconds", 30);
		if (budget < 0)
			budget = 0;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_prof;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGPROF, &sa, NULL);
	}
	if (budget == 0)
		return;
	line_len = 0;
	add("livecard: request ", ALL);
	add(method ? method : "?", 16);
	add(" ", ALL);
	uri = uri ? uri : "?";
	add(uri, strcspn(uri, "?#"));
	add(" used more than ", ALL);
	for (int v = budget; v > 0 && n < (int)sizeof(num); v /= 10)
		num[sizeof(num) - 1 - n++] = (char)('0' + v % 10);
	add(num + sizeof(num) - n, (size_t)n);
	add(" s of CPU (Limits.RequestCPUSeconds); the worker ends\n", ALL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = budget;
	setitimer(ITIMER_PROF, &it, NULL);
}

void reqlimit_stop(void)
{
	struct itimerval it;

	if (budget <= 0)
		return;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_PROF, &it, NULL);
}

/* log.c: leveled logging to stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level log_max = LOG_INFO;
static const char *log_ident = "livecard";
static const char *const level_names[LOG__MAX] = {"ERROR", "WARN", "INFO", "DEBUG"};

void log_set_level(enum log_level l)
{
	log_max = l;
}

void log_set_ident(const char *ident)
{
	log_ident = ident;
}

enum log_level log_level_parse(const char *s)
{
	static const char *const names[LOG__MAX] = {"error", "warn", "info", "debug"};
	for (int i = 0; s && i < LOG__MAX; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum log_level)i;
	return LOG_INFO;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	char line[1024], stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	int n;

	if (l > log_max)
		return;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof(line), "%s %s[%ld] %s: ", stamp, log_ident,
		     (long)getpid(), level_names[l]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* one write per line so concurrent workers do not interleave */
	size_t len = strlen(line);
	if (len < sizeof(line) - 1)
		line[len++] = '\n';
	else
		line[sizeof(line) - 2] = '\n', len = sizeof(line) - 1;
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

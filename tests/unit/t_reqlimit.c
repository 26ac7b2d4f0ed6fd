/* t_reqlimit.c: unit tests for lib/reqlimit.c: a request over its CPU budget ends the worker; one within it does not. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "config.h"
#include "reqlimit.h"

static volatile unsigned long sink;

/* spin: burn about secs seconds of CPU time. */
static void spin(double secs)
{
	clock_t end = clock() + (clock_t)(secs * CLOCKS_PER_SEC);

	while (clock() < end)
		sink++;
}

/* child: in a child process with Limits.RequestCPUSeconds = budget, start
 * a request, burn work seconds of CPU (stopping the budget first when
 * stop_first), exit 0. The status comes back; stderr in err (cap bytes). */
static int child(int budget, double work, int stop_first, char *err, size_t cap)
{
	int fds[2], status = -1;
	pid_t pid;
	size_t got = 0;
	ssize_t n;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char path[] = "/tmp/t_reqlimit.XXXXXX";
		int fd = mkstemp(path);
		char conf[64];
		int len = snprintf(conf, sizeof(conf), "Limits.RequestCPUSeconds = %d\n", budget);

		dup2(fds[1], 2);
		close(fds[0]);
		if (fd < 0 || write(fd, conf, (size_t)len) != len)
			_exit(3);
		close(fd);
		if (config_load(path) != 0)
			_exit(4);
		unlink(path);
		reqlimit_start("POST", "/dav/1/cards/?token=secret123");
		if (stop_first)
			reqlimit_stop();
		spin(work);
		reqlimit_stop();
		_exit(0);
	}
	close(fds[1]);
	while (got + 1 < cap && (n = read(fds[0], err + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	err[got] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(void)
{
	char err[1024];
	int st;
	struct timespec t0, t1;

	/* the CPU time of the children waited for (not the wall clock, which a
	 * loaded machine stretches) */
	struct rusage r0, r1;
	getrusage(RUSAGE_CHILDREN, &r0);
	st = child(1, 5.0, 0, err, sizeof(err));
	getrusage(RUSAGE_CHILDREN, &r1);
	t0.tv_sec = r0.ru_utime.tv_sec + r0.ru_stime.tv_sec;
	t1.tv_sec = r1.ru_utime.tv_sec + r1.ru_stime.tv_sec;
	ok(WIFEXITED(st) && WEXITSTATUS(st) == REQLIMIT_EXIT,
	   "a request using 5 s of CPU against a 1 s budget ends its process with status %d (got %d)",
	   REQLIMIT_EXIT, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	ok(t1.tv_sec - t0.tv_sec < 4, "after about 1 s of CPU, not 5 (%ld s)", (long)(t1.tv_sec - t0.tv_sec));
	ok(strstr(err, "request POST /dav/1/cards/ used more than 1 s of CPU") != NULL,
	   "and says which request, and why, on stderr");
	ok(strstr(err, "secret123") == NULL, "without the query string (it may hold tokens)");

	st = child(2, 0.5, 0, err, sizeof(err));
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a request within its budget ends normally");
	is_str(err, "", "and logs nothing");

	st = child(1, 1.5, 1, err, sizeof(err));
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "work after reqlimit_stop is not counted");

	st = child(0, 1.5, 0, err, sizeof(err));
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "Limits.RequestCPUSeconds = 0 turns the budget off");
	is_int(REQLIMIT_EXIT, 70, "the exit status is EX_SOFTWARE");
	return done_testing();
}

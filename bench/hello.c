/* hello.c: the FastCGI baselines of `make bench`: a one-route livecard program, or (--raw) a bare libfcgi loop. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "http.h"

static const char hello_body[] = "hello\n";

/* hello: the trivial handler, answered through the same request loop,
 * routing and response code as every livecard program. */
static enum err hello(struct req *r)
{
	return req_raw(r, 200, "text/plain; charset=utf-8", hello_body, sizeof(hello_body) - 1);
}

static const struct route routes[] = {
	{"GET", "/bench/hello", AUTH_NONE, BODY_NONE, NULL, hello},
	{NULL},
};

/* raw_worker: accept and answer on fd with nothing but libfcgi. */
static int raw_worker(int fd)
{
	FCGX_Request fr;

	signal(SIGPIPE, SIG_IGN);
	if (FCGX_InitRequest(&fr, fd, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		FCGX_PutS("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n", fr.out);
		FCGX_FPrintF(fr.out, "Content-Length: %d\r\n\r\n", (int)(sizeof(hello_body) - 1));
		FCGX_PutStr(hello_body, (int)(sizeof(hello_body) - 1), fr.out);
		FCGX_Finish_r(&fr);
	}
	return 0;
}

/* raw_run: `--raw --socket PATH [--workers N]`: listen on PATH (0660) and
 * run N bare workers until SIGTERM; returns the exit status. */
static int raw_run(const char *sockpath, int workers)
{
	pid_t pids[64];
	int fd;
	mode_t old;

	if (FCGX_Init() != 0)
		return 1;
	old = umask(0117);
	unlink(sockpath);
	fd = FCGX_OpenSocket(sockpath, 128);
	umask(old);
	if (fd < 0) {
		fprintf(stderr, "hello: cannot listen on %s\n", sockpath);
		return 1;
	}
	chmod(sockpath, 0660);
	for (int i = 0; i < workers; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(raw_worker(fd));
	}
	/* the parent waits for its workers; SIGTERM ends them with it */
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	for (int i = 0; i < workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int i = 0; i < workers; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	unlink(sockpath);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--raw") == 0) {
		const char *sockpath = NULL;
		int workers = 2;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
				sockpath = argv[++i];
			else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
				workers = atoi(argv[++i]);
		}
		if (sockpath == NULL || workers < 1 || workers > 64) {
			fprintf(stderr, "usage: %s --raw --socket PATH [--workers N]\n", argv[0]);
			return 2;
		}
		return raw_run(sockpath, workers);
	}
	return app_run(argc, argv, "hello", routes, NULL);
}

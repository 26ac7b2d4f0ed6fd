/* reqlimit.h: a CPU-time budget per request, so that no request can pin a worker. */
#ifndef LIVECARD_REQLIMIT_H
#define LIVECARD_REQLIMIT_H

/* reqlimit_start: arm the budget of one request: Limits.RequestCPUSeconds
 * of CPU time (user and system) from now; 0 turns it off. When a request
 * uses more, the process logs "request <label> used more than N s of CPU"
 * to stderr and exits with status REQLIMIT_EXIT: the supervisor (or the
 * web server that spawned it) starts a fresh worker, and the client sees
 * the web server's 502. label is the method and path (the query string is
 * left out, it may hold tokens); it is copied. */
void reqlimit_start(const char *method, const char *uri);

/* reqlimit_stop: disarm the budget at the end of a request. */
void reqlimit_stop(void);

#define REQLIMIT_EXIT 70	/* EX_SOFTWARE */

#endif

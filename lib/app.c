/* app.c: process model of a FastCGI program: socket, workers, the accept loop, plain CGI. */
#include "http.h"

#include <errno.h>
#include <malloc.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "reqlimit.h"
#include "tmpl.h"

enum err req_handle(struct req *r, const struct route *routes);

extern char **environ;

/* The request whose streams the ClearSilver callbacks use. */
static FCGX_Request *current;

static int emu_read(void *data, char *buf, int len)
{
	(void)data;
	if (current)
		return FCGX_GetStr(buf, len, current->in);
	return (int)fread(buf, 1, (size_t)len, stdin);
}

static int emu_writef(void *data, const char *fmt, va_list ap)
{
	(void)data;
	if (current)
		return FCGX_VFPrintF(current->out, fmt, ap);
	return vprintf(fmt, ap);
}

static int emu_write(void *data, const char *buf, int len)
{
	(void)data;
	if (current)
		return FCGX_PutStr(buf, len, current->out);
	return (int)fwrite(buf, 1, (size_t)len, stdout);
}

static char *emu_getenv(void *data, const char *name)
{
	const char *v;
	(void)data;
	v = current ? FCGX_GetParam(name, current->envp) : getenv(name);
	return v ? strdup(v) : NULL;
}

static int emu_putenv(void *data, const char *name, const char *value)
{
	(void)data, (void)name, (void)value;
	return 0;	/* the environment of a request is read-only */
}

static int emu_iterenv(void *data, int n, char **name, char **value)
{
	char **env = current ? current->envp : environ;
	(void)data;
	*name = *value = NULL;
	for (int i = 0; env && env[i]; i++) {
		if (i == n) {
			const char *eq = strchr(env[i], '=');
			if (eq == NULL)
				return 0;
			*name = strndup(env[i], (size_t)(eq - env[i]));
			*value = strdup(eq + 1);
			return 0;
		}
	}
	return 0;
}

/* data_reset: remove from r's data set every top-level tree whose name is
 * not among the n names of top (what a handler added to it). */
static void data_reset(struct req *r, const char **top, size_t n)
{
	const char *gone[64];
	size_t n_gone;

	if (r->hdf == NULL)
		return;
	do {	/* collected first: a tree is not removed while walked */
		n_gone = 0;
		for (HDF *c = hdf_obj_child(r->hdf); c && n_gone < 64; c = hdf_obj_next(c)) {
			size_t i = 0;
			while (i < n && strcmp(top[i], hdf_obj_name(c)) != 0)
				i++;
			if (i == n)
				gone[n_gone++] = arena_strdup(&r->arena, hdf_obj_name(c));
		}
		for (size_t i = 0; i < n_gone; i++) {
			NEOERR *nerr = hdf_remove_tree(r->hdf, gone[i]);
			nerr_ignore(&nerr);
		}
	} while (n_gone == 64);
}

/* app_run_handler: run the route's handler as one retryable unit: when it
 * fails with ERR_UNAVAILABLE because of a deadlock (on Galera: a write that
 * lost certification) or a connection lost inside a transaction, and
 * nothing has been sent yet, its transaction is rolled back and it runs
 * again, up to DB.Retries more times after a random pause (jitter) that
 * grows each time; then the failure stands (503 with Retry-After). The
 * request (inputs, body, user) is as before the first run: its uploads are
 * rewound, and the response state the failed run built is reset (status,
 * headers, error detail, and the data set's top-level trees it added —
 * values it set under the request's own trees, Query, Cookie, Page, User,
 * are set again by the next run); what the failed run left in the arena
 * stays there unused until the request ends. */
enum err app_run_handler(struct req *r)
{
	long retries = config_get_int("DB.Retries", 4);
	size_t n_headers = r->n_headers;
	int status = r->status;
	size_t n_top = 0;
	const char **top = NULL;

	/* the data set's top-level names before the handler (kept in the
	 * arena: the nodes themselves are never removed) */
	for (HDF *c = r->hdf ? hdf_obj_child(r->hdf) : NULL; c; c = hdf_obj_next(c))
		n_top++;
	if (n_top) {
		size_t i = 0;
		top = arena_alloc(&r->arena, n_top * sizeof(*top));
		for (HDF *c = hdf_obj_child(r->hdf); c && i < n_top; c = hdf_obj_next(c))
			top[i++] = arena_strdup(&r->arena, hdf_obj_name(c));
	}

	for (long attempt = 0;; attempt++) {
		unsigned before = r->db ? db_retryable(r->db) : 0;
		enum err e = r->route->handler(r);

		if (e != ERR_UNAVAILABLE || r->responded || r->db == NULL ||
		    db_retryable(r->db) == before || attempt >= retries)
			return e;
		if (db_in_transaction(r->db))
			db_rollback(r->db);
		r->n_headers = n_headers;
		r->status = status;
		memset(&r->ei, 0, sizeof(r->ei));
		data_reset(r, top, n_top);
		for (size_t i = 0; i < r->n_uploads; i++)
			rewind(r->uploads[i].f);	/* and its error flag cleared */
		/* 5-20 ms, then 10-40, 20-80 ...: apart from the other writer */
		long base = 5000L << (attempt < 6 ? attempt : 6);
		log_warn("%s %s: conflict, running again (%ld of %ld)", r->method, r->path,
			 attempt + 1, retries);
		usleep((useconds_t)(base + (long)(randombytes_uniform((uint32_t)(3 * base)))));
	}
}

/* one_request: handle the request whose streams are current. */
static void one_request(struct db *db, const struct route *routes, FCGX_Request *fr)
{
	struct req r;
	enum err e;

	memset(&r, 0, sizeof(r));
	arena_init(&r.arena);
	r.db = db;
	r.fcgx = fr;
	r.out_file = fr ? NULL : stdout;
	current = fr;
	reqlimit_start(fr ? FCGX_GetParam("REQUEST_METHOD", fr->envp) : getenv("REQUEST_METHOD"),
		       fr ? FCGX_GetParam("REQUEST_URI", fr->envp) : getenv("REQUEST_URI"));

	e = req_handle(&r, routes);
	if (e != ERR_OK || !r.responded) {
		if (r.hdf == NULL)
			hdf_init(&r.hdf);
		req_error(&r, e == ERR_OK ? ERR_INTERNAL : e);
	}
	req_cleanup(&r);
	if (r.json)
		json_decref(r.json);
	if (r.hdf)
		hdf_destroy(&r.hdf);
	/* the heap a big request (an import, a 500-entry page) leaves freed is
	 * kept for the next one: giving it back after each (malloc_trim) cost
	 * the 500-entry page half its CPU in the kernel, unmapping pages the
	 * next request faulted in again. An idle worker gives it back
	 * (worker_loop, Limits.WorkerIdleSeconds). */
	arena_reset(&r.arena);
	if (!fr)
		fflush(stdout);
	current = NULL;
	reqlimit_stop();
}

static int process_init(const char *name, int (*init)(void))
{
	log_set_ident(name);
	if (config_load(NULL) != 0)
		return -1;
	if (crypto_init() != 0) {
		log_error("libsodium failed to initialise");
		return -1;
	}
	if (tmpl_init() != 0)
		return -1;
	if (init && init() != 0)
		return -1;
	return 0;
}

/* proc_status_kib: a "Vm...:" line of /proc/self/status in KiB, or -1. */
static long proc_status_kib(const char *field)
{
	char line[128];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static volatile sig_atomic_t idle_alarm;

static void on_idle_alarm(int sig)
{
	(void)sig;
	idle_alarm = 1;
}

/* struct idle_policy: when a supervised worker that sat idle gives its
 * memory back (Limits.WorkerIdleSeconds, Limits.WorkerRSSKiB). */
struct idle_policy {
	unsigned seconds;	/* 0: never */
	long rss_kib;		/* retire above this VmRSS ... */
	long start_kib;		/* ... and 2 MiB above what it had when it started */
};

/* grown_when_idle: after an idle period, free heap goes back to the
 * system (malloc_trim); true when the worker is still over the policy's
 * bound and has grown since it started, so it should end and let its
 * supervisor start a fresh one (what a big request or a library started by
 * one write, libphonenumber, libvips, left behind). */
static int grown_when_idle(const struct idle_policy *p)
{
	malloc_trim(0);
	long rss = proc_status_kib("VmRSS");
	if (rss < 0 || rss <= p->rss_kib || rss <= p->start_kib + 2048)
		return 0;
	log_info("idle %u s with VmRSS %ld kB (peak %ld kB, %ld kB at start): ending for a fresh worker",
		 p->seconds, rss, proc_status_kib("VmHWM"), p->start_kib);
	return 1;
}

/* worker_loop: accept and answer requests on listen_fd until killed; a
 * supervised worker (supervised != 0) also ends when it grew and then sat
 * idle (struct idle_policy), its supervisor starting a fresh one. */
static int worker_loop(int listen_fd, const struct route *routes, int supervised)
{
	FCGX_Request fr;
	struct db *db = NULL;
	struct idle_policy idle = {0, 0, 0};

	signal(SIGPIPE, SIG_IGN);
	/* keep the heap between requests: glibc gave the top of the heap back
	 * (brk) after each big page and unmapped big blocks, so the next
	 * request faulted the same pages in again (half the 500-entry page's
	 * CPU was the kernel's). Blocks up to 4 MiB come from the heap; an idle
	 * worker returns what it holds (grown_when_idle). */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	if (supervised) {
		long s = config_get_int("Limits.WorkerIdleSeconds", 10);
		idle.seconds = s > 0 && s < 86400 ? (unsigned)s : 0;
		idle.rss_kib = config_get_int("Limits.WorkerRSSKiB", 10240);
	}
	db_open(&db);	/* a failure here is retried by the first query */
	if (idle.seconds) {
		/* what a worker holds once connected: the bound is on growth */
		idle.start_kib = proc_status_kib("VmRSS");
		if (idle.rss_kib <= 0 || idle.start_kib < 0)
			idle.seconds = 0;
	}
	if (idle.seconds) {
		/* the alarm interrupts a waiting accept (no SA_RESTART), and
		 * FCGI_FAIL_ACCEPT_ON_INTR makes FCGX_Accept_r return then */
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_idle_alarm;
		sigaction(SIGALRM, &sa, NULL);
	}
	if (FCGX_InitRequest(&fr, listen_fd, idle.seconds ? FCGI_FAIL_ACCEPT_ON_INTR : 0) != 0) {
		log_error("FCGX_InitRequest failed");
		return 1;
	}
	for (;;) {
		idle_alarm = 0;
		if (idle.seconds)
			alarm(idle.seconds);
		int got = FCGX_Accept_r(&fr);
		if (idle.seconds)
			alarm(0);
		if (got < 0 && idle_alarm) {
			if (grown_when_idle(&idle))
				break;
			continue;
		}
		if (got < 0)
			break;
		one_request(db, routes, &fr);
		FCGX_Finish_r(&fr);
	}
	db_close(db);
	return 0;
}

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* supervise: fork n workers on fd and keep them running until SIGTERM. */
static int supervise(int fd, int n, const struct route *routes, const char *sockpath)
{
	pid_t *pids = calloc((size_t)n, sizeof(pid_t));
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stopping) {
		for (int i = 0; i < n && !stopping; i++) {
			if (pids[i] > 0)
				continue;
			pid_t pid = fork();
			if (pid == 0) {
				signal(SIGTERM, SIG_DFL);
				signal(SIGINT, SIG_DFL);
				_exit(worker_loop(fd, routes, 1));
			}
			if (pid < 0) {
				log_error("fork failed: %s", strerror(errno));
				sleep(1);
				continue;
			}
			pids[i] = pid;
		}
		int status;
		pid_t dead = waitpid(-1, &status, 0);
		if (dead < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (pids[i] == dead) {
				pids[i] = 0;
				if (stopping)
					continue;
				/* a worker that ended itself after an idle spell
				 * (worker_loop) is replaced at once and quietly */
				if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
					continue;
				log_warn("worker %ld ended (status %d), restarting", (long)dead, status);
				usleep(100000);
			}
		}
	}
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	if (sockpath)
		unlink(sockpath);
	free(pids);
	return 0;
}

/* print_routes: the route table, one route a line: "PROGRAM METHOD
 * PATTERN AUTH BODY" (the one list of routes that the web server
 * configurations are checked against: tests/integration/700-apache-routes.t). */
static int print_routes(const char *name, const struct route *routes)
{
	static const char *const auth_names[AUTH__MAX] = {
		[AUTH_NONE] = "none", [AUTH_USER] = "user", [AUTH_USER_CARD] = "user",
		[AUTH_APP_PASSWORD] = "app-password",
	};
	static const char *const body_names[BODY__MAX] = {
		[BODY_NONE] = "none", [BODY_JSON] = "json", [BODY_FORM] = "form",
		[BODY_UPLOAD] = "upload", [BODY_IMAGE] = "image", [BODY_VCARD] = "vcard",
		[BODY_VCARD_FORM] = "vcard-form", [BODY_XML] = "xml", [BODY_IMAGES] = "images",
	};
	for (const struct route *rt = routes; rt->method; rt++)
		printf("%s %s %s %s %s\n", name, rt->method, rt->pattern, auth_names[rt->auth], body_names[rt->body]);
	return fflush(stdout) == 0 ? 0 : 1;
}

int app_run(int argc, char **argv, const char *name, const struct route *routes,
	    int (*init)(void))
{
	const char *sockpath = NULL, *group = NULL;
	int workers = 2;

	if (argc == 2 && strcmp(argv[1], "--routes") == 0)
		return print_routes(name, routes);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			sockpath = argv[++i];
		else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
			workers = atoi(argv[++i]);
		else if (strcmp(argv[i], "--socket-group") == 0 && i + 1 < argc)
			group = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--routes | --socket PATH [--workers N] [--socket-group GROUP]]\n", argv[0]);
			return 2;
		}
	}
	if (workers < 1 || workers > 64)
		workers = 2;
	if (FCGX_Init() != 0) {
		fprintf(stderr, "%s: FCGX_Init failed\n", name);
		return 1;
	}
	cgiwrap_init_emu(NULL, emu_read, emu_writef, emu_write, emu_getenv, emu_putenv, emu_iterenv);

	if (sockpath) {
		mode_t old = umask(0117);
		unlink(sockpath);
		int fd = FCGX_OpenSocket(sockpath, 1024);
		umask(old);
		if (fd < 0) {
			fprintf(stderr, "%s: cannot listen on %s\n", name, sockpath);
			return 1;
		}
		chmod(sockpath, 0660);
		if (group) {
			struct group *g = getgrnam(group);
			if (g == NULL || chown(sockpath, (uid_t)-1, g->gr_gid) != 0)
				fprintf(stderr, "%s: cannot give %s to group %s\n", name, sockpath, group);
		}
		if (process_init(name, init) != 0)
			return 1;
		log_info("listening on %s with %d workers", sockpath, workers);
		return supervise(fd, workers, routes, sockpath);
	}
	if (process_init(name, init) != 0) {
		if (FCGX_IsCGI())
			fputs("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n"
			      "livecard is not configured\n", stdout);
		return 1;
	}
	if (FCGX_IsCGI()) {
		struct db *db = NULL;
		db_open(&db);
		one_request(db, routes, NULL);
		db_close(db);
		return 0;
	}
	/* spawned by the web server (mod_fcgid, spawn-fcgi): fd 0 listens */
	return worker_loop(0, routes, 0);
}

/* sandbox.h: run untrusted decoding in a fresh child process under resource limits and a seccomp filter. */
#ifndef LIVECARD_SANDBOX_H
#define LIVECARD_SANDBOX_H

#include <stddef.h>

/* What the child may use. A zero field means the default below. */
struct sandbox_limits {
	int cpu_seconds;	/* RLIMIT_CPU of the child */
	size_t mem_bytes;	/* RLIMIT_AS of the child (not applied under ASan,
				 * whose shadow memory alone is terabytes) */
	int wall_ms;		/* the parent kills the child after this long */
	size_t out_max;		/* bytes the child may send back */
};

#define SANDBOX_DEFAULT_CPU_SECONDS 10
#define SANDBOX_DEFAULT_MEM_BYTES (1024u * 1024 * 1024)
#define SANDBOX_DEFAULT_WALL_MS 15000
#define SANDBOX_DEFAULT_OUT_MAX (32u * 1024 * 1024)

enum sandbox_status {
	SANDBOX_OK,		/* the child did its task and exited with 0 */
	SANDBOX_FAILED,		/* it exited with another status (127: no exec) */
	SANDBOX_KILLED,		/* the child died of a signal: a crash, the
				 * seccomp filter (SIGSYS), RLIMIT_CPU (SIGXCPU) */
	SANDBOX_TIMEOUT,	/* killed by the parent after wall_ms */
	SANDBOX_TOO_MUCH,	/* it sent more than out_max bytes (killed) */
	SANDBOX_ERROR,		/* no child: pipe or fork failed */
	SANDBOX__MAX
};

#define SANDBOX_IN_FD 3	/* in the child: the input (a memory file) */
#define SANDBOX_OUT_FD 4	/* in the child: the result pipe */

/* sandbox_run: run task in a fresh copy of this program, and return what it
 * wrote. The caller forks; the child sets RLIMIT_CPU and RLIMIT_AS, keeps
 * only stderr, the input (fd SANDBOX_IN_FD, in_len bytes of in) and the
 * result pipe (fd SANDBOX_OUT_FD), and executes /proc/self/exe with nothing
 * in its environment but LIVECARD_SANDBOX=task: no thread, lock or secret
 * of the worker's survives into it (a forked copy of a process whose
 * libraries run threads can deadlock). A constructor of the program that
 * knows the task (sandbox_task) reads the input, starts its libraries,
 * calls sandbox_enter, does the work, writes the result and _exits with 0.
 * The parent reads at most lim->out_max bytes within lim->wall_ms, then
 * reaps the child (killing it when it overstays). On SANDBOX_OK, *out
 * (malloc'ed, NUL-terminated, free it) and *out_len hold the result;
 * otherwise *out is NULL. *detail (may be NULL) receives the exit status,
 * the signal number for SANDBOX_KILLED, or errno for SANDBOX_ERROR. lim may
 * be NULL for the defaults. */
enum sandbox_status sandbox_run(const char *task, const void *in, size_t in_len,
				const struct sandbox_limits *lim,
				unsigned char **out, size_t *out_len, int *detail);

/* sandbox_run_program: sandbox_run, executing the program at path (a
 * helper of its own, see sandbox_program) instead of /proc/self/exe: only
 * the helper maps the libraries of the task (libvips for images), not the
 * worker. Same fds, environment, limits and results; a path that cannot be
 * executed is SANDBOX_FAILED with detail 127. */
enum sandbox_status sandbox_run_program(const char *path, const char *task, const void *in,
					size_t in_len, const struct sandbox_limits *lim,
					unsigned char **out, size_t *out_len, int *detail);

/* sandbox_program: the path of the helper program name into buf (n bytes):
 * in the directory Paths.Libexec of the settings when set (make install
 * writes it), otherwise in libexec/ beside the running program's directory
 * or its parent's (the build tree: build/cgi-bin/X and build/batch/X find
 * build/libexec/name, build/tests/unit/X.t too). 0, or -1 with errno
 * (ENOENT: no executable there; ENAMETOOLONG). */
int sandbox_program(const char *name, char *buf, size_t n);

/* sandbox_task: in the child, the task it was started for; NULL in any
 * other process. */
const char *sandbox_task(void);

/* sandbox_child_input: in the child, the input (malloc'ed, NUL-terminated);
 * closes SANDBOX_IN_FD. 0, or -1 when it cannot be read. */
int sandbox_child_input(unsigned char **in, size_t *len);

/* sandbox_write_all: in the child, write n bytes of p to fd (the result
 * pipe), across short writes and EINTR. 0, or -1 when the pipe fails. */
int sandbox_write_all(int fd, const void *p, size_t n);

/* sandbox_enter: install the seccomp filter on the calling process (after
 * no_new_privs): read/write on open fds, memory (mmap, munmap, mremap,
 * mprotect, brk, madvise), threads (clone with CLONE_THREAD, futex,
 * set_robust_list, rseq), time, signals to itself, close and exit are
 * allowed (mmap and mprotect without PROT_EXEC); open/openat/creat, socket/connect/bind, execve and the like
 * fail with EPERM; clone3 with ENOSYS (glibc then uses clone); anything
 * else kills the process (SIGSYS). Call it after the libraries have been
 * started (they open files and modules). 0 on success, -1 with errno. */
int sandbox_enter(void);

/* A long-lived sandboxed child that serves one call after another (for
 * parsers that run on every request, where an exec per call would cost more
 * than the parse). Zero-initialise it; task names the child's constructor
 * (sandbox_serve). Each worker keeps its own. */
struct sandbox_service {
	const char *task;	/* LIVECARD_SANDBOX value of the child */
	int pid;		/* 0: not running */
	int fd;			/* the parent's end of the socket pair */
	unsigned long calls;	/* calls served by the current child */
	int owner;		/* the process that started it: a forked copy
				 * of the worker starts its own */
};

/* SANDBOX_SERVICE_CPU_SECONDS: the service child's RLIMIT_CPU, a backstop
 * for its whole life; it retires itself (and the next call starts a new
 * one) after SANDBOX_SERVICE_RETIRE_CPU seconds or SANDBOX_SERVICE_CALLS
 * calls, so that a long-lived worker never meets the limit mid-call. */
#define SANDBOX_SERVICE_CPU_SECONDS 600
#define SANDBOX_SERVICE_RETIRE_CPU 120
#define SANDBOX_SERVICE_CALLS 20000

/* sandbox_call: send in (in_len bytes) to the service's child, starting it
 * first when it is not running (the same fresh exec, fds and rlimits as
 * sandbox_run, with RLIMIT_CPU SANDBOX_SERVICE_CPU_SECONDS), and return its
 * answer as sandbox_run does. lim->wall_ms bounds this call (starting the
 * child included), lim->out_max its answer; lim->mem_bytes is the child's
 * RLIMIT_AS, cpu_seconds is not used. When the call does not end with an
 * answer (the child crashed, was killed by its filter, overstayed, said too
 * much, or could not be started), the child is killed and reaped and the
 * next call starts a new one: one bad input costs one call, not the
 * worker. The parent's SIGPIPE is never raised (the socket is written with
 * MSG_NOSIGNAL). */
enum sandbox_status sandbox_call(struct sandbox_service *s, const void *in, size_t in_len,
				 const struct sandbox_limits *lim,
				 unsigned char **out, size_t *out_len, int *detail);

/* sandbox_service_stop: end the service's child (if any) and reap it. */
void sandbox_service_stop(struct sandbox_service *s);

/* sandbox_handler: one call in the service's child: in (in_len bytes,
 * NUL-terminated) to *out (malloc'ed; the server frees it) and *out_len.
 * 0, or -1 to end the child (the parent then reports SANDBOX_FAILED). */
typedef int (*sandbox_handler)(const unsigned char *in, size_t in_len, unsigned char **out,
			       size_t *out_len);

/* sandbox_serve: in the service's child, after the libraries were started
 * (the caller has everything it will need loaded: the filter refuses to
 * open files): enter the filter (sandbox_enter), then answer calls with h
 * until the parent goes away or the child has served its share. Never
 * returns. */
void sandbox_serve(sandbox_handler h) __attribute__((noreturn));

/* sandbox_status_name: "ok", "failed", "killed", ... for logs. */
const char *sandbox_status_name(enum sandbox_status s);

#endif

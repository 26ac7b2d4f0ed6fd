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

/* sandbox_status_name: "ok", "failed", "killed", ... for logs. */
const char *sandbox_status_name(enum sandbox_status s);

#endif

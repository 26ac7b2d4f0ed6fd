/* sandbox.c: a forked child (this program again, or a helper program) with rlimits, no inherited fds and a seccomp allowlist (libseccomp) for decoding untrusted bytes. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "config.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

/* Calls a decoder may make once its libraries are loaded. */
static const int allowed[] = {
	SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_pread64, SYS_lseek, SYS_close,
	SYS_fstat, SYS_newfstatat, SYS_fcntl,
	SYS_munmap, SYS_mremap, SYS_brk, SYS_madvise,
	SYS_futex, SYS_set_robust_list, SYS_get_robust_list, SYS_rseq,
	SYS_sched_yield, SYS_sched_getaffinity, SYS_getpid, SYS_gettid,
	SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid,
	SYS_exit, SYS_exit_group, SYS_restart_syscall,
	SYS_rt_sigreturn, SYS_rt_sigprocmask, SYS_rt_sigaction, SYS_sigaltstack,
	SYS_clock_gettime, SYS_clock_getres, SYS_gettimeofday, SYS_nanosleep,
	SYS_clock_nanosleep, SYS_getrandom, SYS_getrusage, SYS_sysinfo, SYS_prlimit64, SYS_umask,
#ifdef SYS_time
	SYS_time,
#endif
#ifdef SYS_getrlimit
	SYS_getrlimit,
#endif
};

/* Calls that would reach outside the process: refused with EPERM, so that a
 * library probing for a file fails softly instead of killing the decode. */
static const int refused[] = {
	SYS_openat, SYS_socket, SYS_socketpair, SYS_connect, SYS_bind, SYS_listen,
	SYS_accept4, SYS_sendto, SYS_sendmsg, SYS_recvfrom, SYS_recvmsg,
	SYS_execve, SYS_execveat, SYS_ptrace, SYS_kill, SYS_tgkill, SYS_tkill,
	SYS_unlinkat, SYS_renameat, SYS_mkdirat, SYS_linkat, SYS_symlinkat,
	SYS_fchmodat, SYS_fchownat, SYS_mknodat, SYS_faccessat, SYS_readlinkat,
	SYS_statx, SYS_memfd_create, SYS_process_vm_readv, SYS_process_vm_writev,
	SYS_userfaultfd, SYS_bpf, SYS_io_uring_setup, SYS_personality, SYS_ioctl,
	SYS_dup, SYS_dup3, SYS_pipe2, SYS_eventfd2, SYS_truncate, SYS_ftruncate,
#ifdef SYS_open
	SYS_open, SYS_creat, SYS_stat, SYS_lstat, SYS_access, SYS_readlink,
	SYS_unlink, SYS_rename, SYS_mkdir, SYS_link, SYS_symlink, SYS_chmod,
	SYS_chown, SYS_mknod, SYS_accept, SYS_fork, SYS_vfork, SYS_dup2, SYS_pipe,
	SYS_eventfd,
#endif
#ifdef SYS_openat2
	SYS_openat2,
#endif
#ifdef SYS_faccessat2
	SYS_faccessat2,
#endif
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

int sandbox_enter(void)
{
	/* libseccomp writes the BPF: the architecture check (no other ABI, on
	 * x86_64 no x32 call numbers), argument tests, the ordering; anything
	 * not named below kills the process */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc = 0;

	if (ctx == NULL)
		return -1;
	for (size_t i = 0; i < N(allowed) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	for (size_t i = 0; i < N(refused) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), refused[i], 0);
	/* clone3 cannot be inspected (its flags are behind a pointer): glibc
	 * falls back to clone on ENOSYS */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* prctl: only naming a thread (glib does) */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_NE, PR_SET_NAME));
	/* mmap, mprotect: never executable memory (no JIT, no injected code) */
	for (int k = 0; k < 2 && rc == 0; k++) {
		int nr = k ? SCMP_SYS(mprotect) : SCMP_SYS(mmap);
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
		if (rc == 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
					      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
	}
	/* clone: threads only, never a new process */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
	/* no_new_privs (libseccomp's default) and load */
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc == 0 ? 0 : -1;
}

const char *sandbox_status_name(enum sandbox_status s)
{
	static const char *const names[SANDBOX__MAX] = {
		"ok", "failed", "killed", "timeout", "too_much", "error",
	};
	return (unsigned)s < SANDBOX__MAX ? names[s] : "?";
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *sandbox_task(void)
{
	return getenv("LIVECARD_SANDBOX");
}

int sandbox_child_input(unsigned char **in, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;

	*in = NULL;
	*len = 0;
	if (fstat(SANDBOX_IN_FD, &st) != 0 || st.st_size < 0)
		return -1;
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		return -1;
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(SANDBOX_IN_FD, buf + got, (size_t)st.st_size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return -1;
		}
		got += (size_t)n;
	}
	close(SANDBOX_IN_FD);
	buf[got] = '\0';
	*in = buf;
	*len = got;
	return 0;
}

/* lower_limit: set resource to want, or keep a lower limit the worker
 * already has (a shared host's ulimit -t or -v: an unprivileged process
 * cannot raise its hard limit); 0 or -1 */
static int lower_limit(int resource, struct rlimit *want)
{
	struct rlimit now;

	if (getrlimit(resource, &now) == 0) {
		if (now.rlim_max != RLIM_INFINITY && now.rlim_max < want->rlim_max)
			want->rlim_max = now.rlim_max;
		if (now.rlim_cur != RLIM_INFINITY && now.rlim_cur < want->rlim_cur)
			want->rlim_cur = now.rlim_cur;
		if (want->rlim_cur > want->rlim_max)
			want->rlim_cur = want->rlim_max;
	}
	return setrlimit(resource, want);
}

/* child: everything between fork and exec; never returns */
static void child(const struct sandbox_limits *lim, const char *task, int in_fd, int out_fd,
		  const char *exe)
{
	struct rlimit rl;
	char env_task[96];
	char *argv[] = {(char *)"livecard-sandbox", NULL};
	char *envp[] = {env_task, NULL};

	snprintf(env_task, sizeof(env_task), "LIVECARD_SANDBOX=%s", task);
	rl.rlim_cur = (rlim_t)lim->cpu_seconds;
	rl.rlim_max = (rlim_t)lim->cpu_seconds + 1;	/* SIGXCPU, then SIGKILL */
	if (lower_limit(RLIMIT_CPU, &rl) != 0)
		_exit(120);
#ifndef SANDBOX_ASAN
	rl.rlim_cur = rl.rlim_max = (rlim_t)lim->mem_bytes;
	if (lower_limit(RLIMIT_AS, &rl) != 0)
		_exit(120);
#endif
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	/* the FastCGI socket, the database connection, the listening socket:
	 * nothing of the worker's but the input, the result pipe and stderr */
	if (in_fd == SANDBOX_OUT_FD) {
		int t = dup(in_fd);
		if (t < 0)
			_exit(120);
		in_fd = t;
	}
	if (dup2(out_fd, SANDBOX_OUT_FD) != SANDBOX_OUT_FD || dup2(in_fd, SANDBOX_IN_FD) != SANDBOX_IN_FD)
		_exit(120);
	/* dup2 onto itself keeps close-on-exec: clear it on both */
	if (fcntl(SANDBOX_IN_FD, F_SETFD, 0) != 0 || fcntl(SANDBOX_OUT_FD, F_SETFD, 0) != 0)
		_exit(120);
	for (int i = 0; i < 2; i++)
		close(i);
	if (syscall(SYS_close_range, (unsigned)SANDBOX_OUT_FD + 1, ~0u, 0) != 0) {
		long max = sysconf(_SC_OPEN_MAX);
		for (long i = SANDBOX_OUT_FD + 1; i < (max > 0 && max < 65536 ? max : 65536); i++)
			close((int)i);
	}
	signal(SIGPIPE, SIG_DFL);
	/* a fresh copy of this program: no threads, no state of the worker's
	 * libraries; its constructor sees LIVECARD_SANDBOX and runs the task */
	execve(exe, argv, envp);
	_exit(127);
}

int sandbox_program(const char *name, char *buf, size_t n)
{
	const char *dir = config_get("Paths.Libexec", NULL);
	char exe[PATH_MAX];
	ssize_t k;

	if (dir != NULL) {
		if ((size_t)snprintf(buf, n, "%s/%s", dir, name) >= n) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return access(buf, X_OK);
	}
	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0 || k >= (ssize_t)sizeof(exe) - 1) {
		errno = ENOENT;
		return -1;
	}
	exe[k] = '\0';
	/* the program's directory, then its parent: DIR/../libexec/name */
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');
		if (slash == NULL)
			break;
		*slash = '\0';
		if ((size_t)snprintf(buf, n, "%s/../libexec/%s", exe, name) >= n) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (access(buf, X_OK) == 0)
			return 0;
	}
	errno = ENOENT;
	return -1;
}

enum sandbox_status sandbox_run(const char *task, const void *in, size_t in_len,
				const struct sandbox_limits *limits,
				unsigned char **out, size_t *out_len, int *detail)
{
	return sandbox_run_program("/proc/self/exe", task, in, in_len, limits, out, out_len, detail);
}

enum sandbox_status sandbox_run_program(const char *path, const char *task, const void *in,
					size_t in_len, const struct sandbox_limits *limits,
					unsigned char **out, size_t *out_len, int *detail)
{
	struct sandbox_limits lim = {0};
	int pfd[2], in_fd, status = 0, dummy;
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	enum sandbox_status st = SANDBOX_OK;
	pid_t pid;

	if (limits)
		lim = *limits;
	if (lim.cpu_seconds <= 0)
		lim.cpu_seconds = SANDBOX_DEFAULT_CPU_SECONDS;
	if (lim.mem_bytes == 0)
		lim.mem_bytes = SANDBOX_DEFAULT_MEM_BYTES;
	if (lim.wall_ms <= 0)
		lim.wall_ms = SANDBOX_DEFAULT_WALL_MS;
	if (lim.out_max == 0)
		lim.out_max = SANDBOX_DEFAULT_OUT_MAX;
	if (detail == NULL)
		detail = &dummy;
	*detail = 0;
	*out = NULL;
	*out_len = 0;

	/* the input: a memory file the child reads at its pace */
	in_fd = memfd_create("livecard-sandbox-in", MFD_CLOEXEC);
	if (in_fd < 0) {
		*detail = errno;
		return SANDBOX_ERROR;
	}
	for (size_t off = 0; off < in_len;) {
		ssize_t w = write(in_fd, (const char *)in + off, in_len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*detail = errno;
			close(in_fd);
			return SANDBOX_ERROR;
		}
		off += (size_t)w;
	}
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		*detail = errno;
		close(in_fd);
		return SANDBOX_ERROR;
	}
	pid = fork();
	if (pid < 0) {
		*detail = errno;
		close(in_fd);
		close(pfd[0]);
		close(pfd[1]);
		return SANDBOX_ERROR;
	}
	if (pid == 0)
		child(&lim, task, in_fd, pfd[1], path);
	close(in_fd);
	close(pfd[1]);

	long long deadline = now_ms() + lim.wall_ms;
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			st = SANDBOX_TIMEOUT;
			break;
		}
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*detail = errno;
			st = SANDBOX_ERROR;
			break;
		}
		if (r == 0)
			continue;
		if (cap - len < 65536) {
			size_t ncap = cap ? cap * 2 : 262144;
			unsigned char *nb = realloc(buf, ncap + 1);
			if (nb == NULL) {
				*detail = ENOMEM;
				st = SANDBOX_ERROR;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t got = read(pfd[0], buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;		/* EOF: the child is done (or gone) */
		len += (size_t)got;
		if (len > lim.out_max) {
			st = SANDBOX_TOO_MUCH;
			break;
		}
	}
	close(pfd[0]);
	/* reap it, within what is left of the time */
	for (;;) {
		pid_t w = st == SANDBOX_OK ? waitpid(pid, &status, WNOHANG) : 0;
		if (w == pid)
			break;
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			*detail = errno;
			st = SANDBOX_ERROR;
			break;
		}
		if (st != SANDBOX_OK || now_ms() >= deadline) {
			if (st == SANDBOX_OK)
				st = SANDBOX_TIMEOUT;
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		struct timespec ts = {0, 200000};	/* 0.2 ms */
		nanosleep(&ts, NULL);
	}
	if (st == SANDBOX_OK) {
		if (WIFSIGNALED(status)) {
			st = SANDBOX_KILLED;
			*detail = WTERMSIG(status);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
			st = SANDBOX_FAILED;
			*detail = WEXITSTATUS(status);
		}
	}
	if (st != SANDBOX_OK) {
		free(buf);
		return st;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		*detail = ENOMEM;
		return SANDBOX_ERROR;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return SANDBOX_OK;
}

/* --- the long-lived service ---------------------------------------------*/

/* One frame each way: a header, then len bytes. */
struct frame {
	uint32_t len;
	uint32_t flags;		/* child to parent: FRAME_LAST when it retires */
};
#define FRAME_LAST 1u

/* io_all: send or receive n bytes on fd before deadline (ms of now_ms):
 * 0, or -1 (timeout, EOF, error) */
static int io_all(int fd, void *buf, size_t n, int sending, long long deadline)
{
	char *p = buf;

	while (n > 0) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return -1;
		struct pollfd pf = {.fd = fd, .events = sending ? POLLOUT : POLLIN};
		int r = poll(&pf, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ssize_t k = sending ? send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT) :
				      recv(fd, p, n, MSG_DONTWAIT);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

void sandbox_service_stop(struct sandbox_service *s)
{
	int status;

	if (s->fd > 0)
		close(s->fd);
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	s->fd = 0;
	s->pid = 0;
	s->calls = 0;
}

/* service_start: a new child for s; 0 or -1 with errno */
static int service_start(struct sandbox_service *s, const struct sandbox_limits *lim)
{
	int sv[2];
	char exe[4096];
	ssize_t n;

	/* this program's file by name: a debugger or valgrind running the
	 * worker answers readlink with the program, where exec of
	 * /proc/self/exe would start the tool itself */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (n <= 0 || n >= (ssize_t)sizeof(exe) - 1 || strstr(exe, " (deleted)"))
		snprintf(exe, sizeof(exe), "/proc/self/exe");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(sv[0]);
		close(sv[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		struct sandbox_limits cl = *lim;
		cl.cpu_seconds = SANDBOX_SERVICE_CPU_SECONDS;
		/* one socket serves as both the input and the result fd */
		int in = dup(sv[1]);
		if (in < 0)
			_exit(120);
		child(&cl, s->task, in, sv[1], exe);
	}
	close(sv[1]);
	s->fd = sv[0];
	s->pid = (int)pid;
	s->owner = (int)getpid();
	s->calls = 0;
	return 0;
}

enum sandbox_status sandbox_call(struct sandbox_service *s, const void *in, size_t in_len,
				 const struct sandbox_limits *limits,
				 unsigned char **out, size_t *out_len, int *detail)
{
	struct sandbox_limits lim = {0};
	struct frame f = {0};
	unsigned char *buf;
	int dummy, status;
	long long deadline;

	if (limits)
		lim = *limits;
	if (lim.mem_bytes == 0)
		lim.mem_bytes = SANDBOX_DEFAULT_MEM_BYTES;
	if (lim.wall_ms <= 0)
		lim.wall_ms = SANDBOX_DEFAULT_WALL_MS;
	if (lim.out_max == 0)
		lim.out_max = SANDBOX_DEFAULT_OUT_MAX;
	if (detail == NULL)
		detail = &dummy;
	*detail = 0;
	*out = NULL;
	*out_len = 0;
	if (in_len > UINT32_MAX) {
		*detail = EFBIG;
		return SANDBOX_ERROR;
	}
	deadline = now_ms() + lim.wall_ms;
	/* a forked copy of the worker leaves its parent's child alone */
	if (s->pid > 0 && s->owner != (int)getpid()) {
		close(s->fd);
		s->fd = 0;
		s->pid = 0;
	}
	/* a child that ended between calls (killed from outside, the OOM
	 * killer) is replaced before it is given anything */
	if (s->pid > 0 && waitpid(s->pid, &status, WNOHANG) == s->pid) {
		s->pid = 0;
		sandbox_service_stop(s);
	}
	if (s->pid <= 0 && service_start(s, &lim) != 0) {
		*detail = errno;
		return SANDBOX_ERROR;
	}
	f.len = (uint32_t)in_len;
	if (io_all(s->fd, &f, sizeof(f), 1, deadline) != 0 ||
	    io_all(s->fd, (void *)in, in_len, 1, deadline) != 0 ||
	    io_all(s->fd, &f, sizeof(f), 0, deadline) != 0)
		goto gone;
	if (f.len > lim.out_max) {
		sandbox_service_stop(s);
		return SANDBOX_TOO_MUCH;
	}
	buf = malloc((size_t)f.len + 1);
	if (buf == NULL) {
		sandbox_service_stop(s);
		*detail = ENOMEM;
		return SANDBOX_ERROR;
	}
	if (io_all(s->fd, buf, f.len, 0, deadline) != 0) {
		free(buf);
		goto gone;
	}
	buf[f.len] = '\0';
	*out = buf;
	*out_len = f.len;
	s->calls++;
	if (f.flags & FRAME_LAST) {
		close(s->fd);
		while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
			;
		s->fd = 0;
		s->pid = 0;
	}
	return SANDBOX_OK;

gone:
	/* no answer: why (a child that is dying is reaped within 50 ms and
	 * its status tells), then a clean slate for the next call */
	{
		enum sandbox_status st = now_ms() >= deadline ? SANDBOX_TIMEOUT : SANDBOX_FAILED;
		for (int i = 0; i < 50 && s->pid > 0; i++) {
			if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
				if (WIFSIGNALED(status)) {
					st = SANDBOX_KILLED;
					*detail = WTERMSIG(status);
				} else {
					st = SANDBOX_FAILED;
					*detail = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
				}
				s->pid = 0;
				break;
			}
			if (st == SANDBOX_TIMEOUT)
				break;
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
		}
		sandbox_service_stop(s);
		return st;
	}
}

/* full_io: the child's blocking read or write of all n bytes on fd (read
 * and write are what its filter allows); 0 or -1 */
static int full_io(int fd, void *buf, size_t n, int writing)
{
	unsigned char *p = buf;
	while (n > 0) {
		ssize_t k = writing ? write(fd, p, n) : read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

void sandbox_serve(sandbox_handler h)
{
	unsigned long calls = 0;

	close(SANDBOX_IN_FD);	/* the same socket as SANDBOX_OUT_FD */
	if (sandbox_enter() != 0)
		_exit(4);
	for (;;) {
		struct frame f;
		unsigned char *in, *out = NULL;
		size_t out_len = 0;
		struct rusage ru;

		if (full_io(SANDBOX_OUT_FD, &f, sizeof(f), 0) != 0)
			_exit(0);	/* the worker went away */
		in = malloc((size_t)f.len + 1);
		if (in == NULL || full_io(SANDBOX_OUT_FD, in, f.len, 0) != 0)
			_exit(3);
		in[f.len] = '\0';
		if (h(in, f.len, &out, &out_len) != 0 || out_len > UINT32_MAX)
			_exit(2);
		free(in);
		calls++;
		f.len = (uint32_t)out_len;
		f.flags = 0;
		if (calls >= SANDBOX_SERVICE_CALLS ||
		    (getrusage(RUSAGE_SELF, &ru) == 0 &&
		     ru.ru_utime.tv_sec + ru.ru_stime.tv_sec >= SANDBOX_SERVICE_RETIRE_CPU))
			f.flags = FRAME_LAST;
		if (sandbox_write_all(SANDBOX_OUT_FD, &f, sizeof(f)) != 0 ||
		    sandbox_write_all(SANDBOX_OUT_FD, out ? out : (unsigned char *)"", out_len) != 0)
			_exit(1);
		free(out);
		if (f.flags & FRAME_LAST)
			_exit(0);
	}
}

int sandbox_write_all(int fd, const void *p, size_t n)
{
	return full_io(fd, (void *)p, n, 1);
}

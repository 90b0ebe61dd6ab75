/*
 * Fork and exec the user's program for a session channel: the login shell
 * ("-sh") for "shell", "$SHELL -c COMMAND" for "exec", subsystems and
 * forced commands (RFC 4254 6.5).  The session loop already runs as the
 * user; the child only needs a new session, its terminal or pipes, default
 * signal handling, no inherited descriptors, and the home directory.
 *
 * The connection process may have threads (getaddrinfo_a, PAM helper), so
 * between fork() and execve() the child only makes async-signal-safe
 * calls; everything that allocates is prepared before the fork.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/sanitized.h"
#include "sshd/session_int.h"

#define SESSION_EXEC_BSHELL "/bin/sh"	/* runs rc files (_PATH_BSHELL) */
/* Upper bound for the close loop when close_range() is unavailable. */
#define SESSION_EXEC_MAX_FD_SCAN 65536
/* Stack of the CLONE_VM child until its execve(). */
#define SESSION_EXEC_STACK (256 * 1024)

#define SESSION_EXEC_USE_CLONE (!PC_SANITIZED)

/* write(2) a few strings to stderr; async-signal-safe. */
static void
session_exec_say(const char *a, const char *b, const char *c)
{
	const char *parts[4] = { a, b, c, "\r\n" };
	size_t i;
	ssize_t w;

	for (i = 0; i < 4; i++) {
		if (parts[i] == NULL) {
			continue;
		}
		w = write(STDERR_FILENO, parts[i], strlen(parts[i]));
		(void)w;
	}
}

static void
session_exec_close_from(int lowfd)
{
	struct rlimit rl;
	long max, fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned int)lowfd, ~0U, 0) == 0) {
		return;
	}
#endif
	max = SESSION_EXEC_MAX_FD_SCAN;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur < max) {
		max = (long)rl.rlim_cur;
	}
	for (fd = lowfd; fd < max; fd++) {
		(void)close((int)fd);
	}
}

/* Make fd a descriptor >= 3 so that dup2() onto 0..2 always copies (and
 * so clears close-on-exec); returns the fd to use, -1 on error. */
static int
session_exec_lift(int fd)
{
	if (fd > STDERR_FILENO) {
		return fd;
	}
	return fcntl(fd, F_DUPFD, STDERR_FILENO + 1);
}

/*
 * glibc reserves two real-time signals (32, 33) and refuses to change
 * them, but an ignored disposition inherited from whoever started the
 * daemon would still reach the user's program.  A zeroed kernel sigaction
 * is SIG_DFL, no flags, empty mask whatever the architecture's layout.
 */
static void
session_exec_default_raw(int sig)
{
	unsigned long ksa[8];

	memset(ksa, 0, sizeof(ksa));
	(void)syscall(SYS_rt_sigaction, sig, ksa, NULL, (NSIG - 1 + 7) / 8);
}

/* In the child, before its exec: run the rc file to its end, as OpenSSH's
 * do_rc_files() (stdin at EOF; output goes to the session). */
static void
session_exec_rc(const struct session_spawn *sp, char *const rcargv[])
{
	pid_t pid;
	int fd, st;

	if ((pid = fork()) == -1) {
		session_exec_say("Could not run ", sp->rc_path, NULL);
		return;
	}
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			(void)dup2(fd, STDIN_FILENO);
			if (fd != STDIN_FILENO) {
				(void)close(fd);
			}
		}
		execve(SESSION_EXEC_BSHELL, rcargv, sp->env);
		session_exec_say(SESSION_EXEC_BSHELL, ": ", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR) {
		;
	}
}

static void __attribute__((noreturn))
session_exec_child(const struct session_spawn *sp, char *const argv[],
    char *const rcargv[], int in, int out, int err)
{
	sigset_t none;
	mode_t mask;
	int sig;

	/* The daemon ignores SIGPIPE and may block signals; an ignored
	 * disposition and the mask survive execve. */
	for (sig = 1; sig < NSIG; sig++) {
		if (signal(sig, SIG_DFL) == SIG_ERR && errno == EINVAL) {
			session_exec_default_raw(sig);
		}
	}
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	if (setsid() == -1) {
		session_exec_say("setsid: ", strerror(errno), NULL);
	}
	if (sp->pty_slave != -1) {
		/* RFC 4254 6.2: the pty becomes the controlling terminal. */
		if (ioctl(sp->pty_slave, TIOCSCTTY, 0) == -1) {
			/* stderr is still the daemon's; say it on the pty */
			in = out = err = sp->pty_slave;
			(void)dup2(err, STDERR_FILENO);
			session_exec_say("TIOCSCTTY: ", strerror(errno), NULL);
			_exit(1);
		}
		in = out = err = sp->pty_slave;
	}
	if ((in = session_exec_lift(in)) == -1 ||
	    (out = session_exec_lift(out)) == -1 ||
	    (err = session_exec_lift(err)) == -1 ||
	    dup2(in, STDIN_FILENO) == -1 ||
	    dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(err, STDERR_FILENO) == -1) {
		_exit(1);
	}
	session_exec_close_from(STDERR_FILENO + 1);

	/* XXX resource limits are inherited as the daemon has them (a raised
	 * RLIMIT_NOFILE soft limit included), as with OpenSSH without
	 * login.conf; pam_limits may set them in the PAM session. */

	/* As OpenSSH: keep the inherited umask but never group/world
	 * writable. */
	mask = umask(077);
	(void)umask(mask | 022);

	if (chdir(sp->home) == -1) {
		session_exec_say("Could not chdir to home directory ",
		    sp->home, ": ");
		session_exec_say(strerror(errno), NULL, NULL);
		if (chdir("/") == -1) {
			_exit(1);
		}
	}
	if (sp->rc_path != NULL) {
		session_exec_rc(sp, rcargv);
	}
	execve(sp->shell, argv, sp->env);
	session_exec_say(sp->shell, ": ", strerror(errno));
	_exit(1);
}

struct session_exec_args {
	const struct session_spawn *sp;
	char *const *argv;
	char *const *rcargv;
	int in, out, err;
};

#if SESSION_EXEC_USE_CLONE
static int
session_exec_clone_fn(void *arg)
{
	const struct session_exec_args *ca = arg;

	session_exec_child(ca->sp, ca->argv, ca->rcargv, ca->in, ca->out,
	    ca->err);
	/* NOTREACHED */
	return 1;
}
#endif

/*
 * Start the child; its pid in the parent, -1 (errno set) on failure.
 *
 * Without an rc file the child shares our memory until its execve()
 * (clone CLONE_VM|CLONE_VFORK, as posix_spawn does): no page tables
 * copied, no copy-on-write faults in either process (`ssh HOST true`:
 * 308 -> 247 page faults per connection).  This thread waits
 * meanwhile; the child only writes its own stack, its signal
 * dispositions (not shared: no CLONE_SIGHAND) and errno.  Every signal is blocked around the clone so
 * that none of our handlers runs on shared memory in the child, which
 * sets every disposition to default and then unblocks.
 * The rc file needs a fork() inside the child, and sanitizer builds
 * (ASan's interceptors keep per-process state) keep a plain fork().
 */
static pid_t
session_exec_start(const struct session_exec_args *ca)
{
#if SESSION_EXEC_USE_CLONE
	sigset_t all, old;
	char *stack;
	pid_t pid;
	int saved;

	if (ca->sp->rc_path == NULL) {
		stack = mmap(NULL, SESSION_EXEC_STACK, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED) {
			return -1;
		}
		sigfillset(&all);
		(void)pthread_sigmask(SIG_SETMASK, &all, &old);
		pid = clone(session_exec_clone_fn, stack + SESSION_EXEC_STACK,
		    CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)ca);
		saved = errno;
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
		(void)munmap(stack, SESSION_EXEC_STACK);
		errno = saved;
		return pid;
	}
#endif
	{
		pid_t fpid;

		if ((fpid = fork()) == 0) {
			session_exec_child(ca->sp, ca->argv, ca->rcargv,
			    ca->in, ca->out, ca->err);
		}
		return fpid;
	}
}

static void
session_exec_close_pair(int p[2])
{
	if (p[0] != -1) {
		close(p[0]);
	}
	if (p[1] != -1) {
		close(p[1]);
	}
	p[0] = p[1] = -1;
}

static int
session_exec_nonblock(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		return PC_ERR_SYSTEM;
	}
	return 0;
}

int
session_exec_spawn(const struct session_spawn *sp, pid_t *pidp, int *infd,
    int *outfd, int *efd)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int devnull = -1, r = PC_ERR_SYSTEM;
	const char *base;
	char *argv0 = NULL;
	char *argv[4];
	char *rcargv[3] = { (char *)"sh", (char *)sp->rc_path, NULL };
	struct session_exec_args ca;
	pid_t pid;

	*pidp = -1;
	*infd = *outfd = *efd = -1;

	if ((base = strrchr(sp->shell, '/')) != NULL) {
		base++;
	} else {
		base = sp->shell;
	}
	if (sp->command == NULL) {
		/* login shell: argv[0] "-sh" */
		argv0 = xasprintf("-%s", base);
		argv[0] = argv0;
		argv[1] = NULL;
	} else {
		argv0 = xstrdup(base);
		argv[0] = argv0;
		argv[1] = (char *)"-c";
		argv[2] = (char *)sp->command;
		argv[3] = NULL;
	}

	if (sp->pty_slave == -1) {
		if (pipe2(pin, O_CLOEXEC) == -1 ||
		    pipe2(pout, O_CLOEXEC) == -1) {
			log_error("pipe: %s", strerror(errno));
			goto out;
		}
		if (sp->discard_stderr) {
			if ((devnull = open("/dev/null", O_WRONLY |
			    O_CLOEXEC)) == -1) {
				log_error("/dev/null: %s", strerror(errno));
				goto out;
			}
		} else if (pipe2(perr, O_CLOEXEC) == -1) {
			log_error("pipe: %s", strerror(errno));
			goto out;
		}
		if (session_exec_nonblock(pin[1]) != 0 ||
		    session_exec_nonblock(pout[0]) != 0 ||
		    (perr[0] != -1 && session_exec_nonblock(perr[0]) != 0)) {
			log_error("fcntl(O_NONBLOCK): %s", strerror(errno));
			goto out;
		}
	}

	ca.sp = sp;
	ca.argv = argv;
	ca.rcargv = rcargv;
	ca.in = pin[0];
	ca.out = pout[1];
	ca.err = devnull != -1 ? devnull : perr[1];
	if ((pid = session_exec_start(&ca)) == -1) {
		log_error("fork: %s", strerror(errno));
		goto out;
	}

	*pidp = pid;
	if (sp->pty_slave == -1) {
		*infd = pin[1];
		*outfd = pout[0];
		*efd = perr[0];
		pin[1] = pout[0] = perr[0] = -1;
	}
	r = 0;
out:
	session_exec_close_pair(pin);
	session_exec_close_pair(pout);
	session_exec_close_pair(perr);
	if (devnull != -1) {
		close(devnull);
	}
	free(argv0);
	return r;
}

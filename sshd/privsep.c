#include "config.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/auth.h"
#include "sshd/privsep.h"

#define PRIVSEP_MAX_GROUPS 1024

int
privsep_drop(const struct conn *c)
{
	gid_t groups[PRIVSEP_MAX_GROUPS];
	int ngroups = PRIVSEP_MAX_GROUPS;

	if (getgrouplist(c->user, c->gid, groups, &ngroups) < 0) {
		log_error("getgrouplist for %s: more than %d groups", c->user,
		    PRIVSEP_MAX_GROUPS);
		return PC_ERR_LIMIT;
	}
	if (setgroups((size_t)ngroups, groups) != 0) {
		log_error("setgroups: %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	if (setresgid(c->gid, c->gid, c->gid) != 0) {
		log_error("setresgid %ld: %s", (long)c->gid, strerror(errno));
		return PC_ERR_SYSTEM;
	}
	if (setresuid(c->uid, c->uid, c->uid) != 0) {
		log_error("setresuid %ld: %s", (long)c->uid, strerror(errno));
		return PC_ERR_SYSTEM;
	}
	/* Verify: a user process must not be able to become root again. */
	if (c->uid != 0) {
		if (setuid(0) != -1 || seteuid(0) != -1) {
			log_error("privilege drop for %s failed: root was "
			    "regained", c->user);
			return PC_ERR_SYSTEM;
		}
		if (c->gid != 0 && (setgid(0) != -1 || setegid(0) != -1)) {
			log_error("privilege drop for %s failed: gid 0 was "
			    "regained", c->user);
			return PC_ERR_SYSTEM;
		}
	}
	if (getuid() != c->uid || geteuid() != c->uid ||
	    getgid() != c->gid || getegid() != c->gid) {
		log_error("privilege drop for %s failed: ids do not match",
		    c->user);
		return PC_ERR_SYSTEM;
	}
	/*
	 * XXX The host private key stays in this process because libssh
	 * signs rekeys itself (DESIGN.md); not dumpable keeps the user from
	 * reading it through ptrace or /proc.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		log_error("prctl PR_SET_DUMPABLE: %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	return PC_OK;
}

bool
privsep_needed(const struct conn *c)
{
	/*
	 * XXX Root with a PAM session keeps the monitor: SIGTERM ends the
	 * session process at once, and only a separate process can still
	 * close the PAM session after that.
	 */
	return c->uid != 0 || auth_has_pam(c);
}

int
privsep_split(struct conn *c)
{
	pid_t pid;
	int status = 0;

	pid = fork();
	if (pid < 0) {
		log_error("fork of the session process: %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	if (pid == 0) {
		if (c->uid != 0 && privsep_drop(c) != PC_OK)
			_exit(255);
		if (c->uid == 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
			_exit(255);
		return PC_OK;
	}
	/*
	 * The monitor: it never touches the libssh session again (the child
	 * owns it, keys and sequence numbers included).  It only waits.
	 */
	if (c->sock >= 0)
		close(c->sock);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (;;) {
		if (waitpid(pid, &status, 0) == pid)
			break;
		if (errno != EINTR) {
			log_error("waitpid: %s", strerror(errno));
			break;
		}
	}
	if (WIFSIGNALED(status))
		log_error("session process of %s from %s port %d killed by "
		    "signal %d", c->user, c->client_addr, c->client_port,
		    WTERMSIG(status));
	auth_cleanup(c);
	conn_quit(0);
}

/*
 * Starting a session's child for "shell", "exec" and "subsystem" (RFC 4254
 * 6.5): which command runs (ForceCommand over the key's command= over the
 * client's, SSH_ORIGINAL_COMMAND keeping what the client asked), its
 * environment, the fork, and the relay that carries its bytes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/conn.h"
#include "sshd/relay.h"
#include "sshd/session_int.h"

#define SESSION_INTERNAL_SFTP "internal-sftp"
/* OpenSSH's /etc/ssh/sshrc, under our configuration directory. */
#define SESSION_SYSTEM_RC SYSCONFDIR "/portcullis/sshrc"

static void
session_start_log(struct sess *s, enum sess_kind kind, const char *what,
    const char *forced_by)
{
	struct conn *c = s->c;
	const char *tty = NULL;

	if (s->pty.master != -1) {
		tty = s->pty.name;
		if (strncmp(tty, "/dev/", 5) == 0) {
			tty += 5;
		}
	}
	if (forced_by != NULL) {
		log_verbose("Starting session: forced-command %s '%.900s'%s%s "
		    "for %s from %s port %d id %d", forced_by, what,
		    tty ? " on " : "", tty ? tty : "", c->user,
		    c->client_addr, c->client_port, s->id);
	} else {
		/* the command itself is not logged, as in OpenSSH */
		log_verbose("Starting session: %s%s%s%s%s for %s from %s "
		    "port %d id %d",
		    kind == SESS_SUBSYSTEM ? "subsystem '" :
		    kind == SESS_SHELL ? "shell" : "command",
		    kind == SESS_SUBSYSTEM ? what : "",
		    kind == SESS_SUBSYSTEM ? "'" : "",
		    tty ? " on " : "", tty ? tty : "", c->user,
		    c->client_addr, c->client_port, s->id);
	}
}

/* Whether the first word of a command line is name. */
static bool
session_start_first_word_is(const char *cmdline, const char *name)
{
	size_t n = strlen(name);

	while (*cmdline == ' ' || *cmdline == '\t') {
		cmdline++;
	}
	return strncmp(cmdline, name, n) == 0 &&
	    (cmdline[n] == '\0' || cmdline[n] == ' ' || cmdline[n] == '\t');
}

static void
session_start_env(struct sess *s, const char *original, struct session_env *e)
{
	struct conn *c = s->c;
	struct session_env_in in;
	char *envfile = NULL;
	const char *permit = c->cfg.permit_user_environment;

	memset(&in, 0, sizeof(in));
	in.user = c->user;
	in.home = c->home;
	in.shell = (c->shell != NULL && *c->shell != '\0') ? c->shell :
	    "/bin/sh";
	in.uid = c->uid;
	in.client_addr = c->client_addr;
	in.client_port = c->client_port;
	in.local_addr = c->local_addr;
	in.local_port = c->local_port;
	in.term = s->pty.master != -1 ? s->term : NULL;
	in.tty = s->pty.master != -1 ? s->pty.name : NULL;
	in.original_command = original;
	in.client_env = &s->client_env;
	if (c->have_key_opts) {
		in.key_env = c->key_opts.environment;
		in.nkey_env = c->key_opts.nenvironment;
	}
	in.permit_user_env = permit;
	if (permit != NULL && strcmp(permit, "no") != 0) {
		envfile = xasprintf("%s/.ssh/environment", c->home);
		in.user_env_file = envfile;
	}
	in.pam_env = c->pam_env;
	in.set_env = &c->cfg.set_env;
	in.tz = getenv("TZ");
	session_env_build(&in, e);
	free(envfile);
}

/*
 * Which rc file runs before the command (OpenSSH do_rc_files()): the
 * user's ~/.ssh/rc unless this is a subsystem, the administrator forced
 * the command, PermitUserRC is no or the key says no-user-rc; otherwise
 * the system-wide one if it exists.  Allocated path or NULL.
 */
static char *
session_start_rc(struct sess *s, enum sess_kind kind, bool admin_forced)
{
	struct conn *c = s->c;
	struct stat sb;
	char *rc;

	rc = xasprintf("%s/.ssh/rc", c->home != NULL ? c->home : "");
	if (kind != SESS_SUBSYSTEM && !admin_forced && c->cfg.permit_user_rc &&
	    (!c->have_key_opts || c->key_opts.user_rc) &&
	    c->home != NULL && stat(rc, &sb) == 0) {
		return rc;
	}
	free(rc);
	if (stat(SESSION_SYSTEM_RC, &sb) == 0) {
		return xstrdup(SESSION_SYSTEM_RC);
	}
	return NULL;
}

/*
 * shell (command NULL), exec, subsystem (command = the Subsystem line).
 * Returns 0 when the child runs (the request gets SUCCESS).
 */
int
session_start_run(struct sess *s, enum sess_kind kind, const char *command,
    const char *what)
{
	struct conn *c = s->c;
	struct session_spawn sp;
	struct session_env env;
	struct relay_hooks hooks;
	const char *forced_by = NULL, *original = NULL;
	char *rc = NULL;
	int infd = -1, outfd = -1, efd = -1;
	int r = PC_ERR_SYSTEM;
	pid_t pid = -1;

	if (s->started) {
		log_verbose("session %d: second shell/exec/subsystem refused",
		    s->id);
		return PC_ERR_PROTO;
	}
	/* ForceCommand wins over the key's command= (OpenSSH do_exec) */
	if (c->cfg.force_command != NULL &&
	    strcmp(c->cfg.force_command, "none") != 0) {
		original = command;
		command = c->cfg.force_command;
		forced_by = "(config)";
	} else if (c->have_key_opts && c->key_opts.command != NULL) {
		original = command;
		command = c->key_opts.command;
		forced_by = "(key-option)";
	}
	if (command != NULL &&
	    session_start_first_word_is(command, SESSION_INTERNAL_SFTP)) {
		log_error("session %d: %s for %s: internal-sftp is not "
		    "supported; use the sftp-server program", s->id,
		    forced_by != NULL ? "forced command" : "subsystem",
		    c->user);
		return PC_ERR_INVAL;
	}

	session_env_init(&env);
	session_start_env(s, original, &env);

	memset(&sp, 0, sizeof(sp));
	sp.shell = (c->shell != NULL && *c->shell != '\0') ? c->shell :
	    "/bin/sh";
	sp.command = command;
	sp.env = env.v;
	sp.home = c->home != NULL ? c->home : "/";
	sp.pty_slave = s->pty.slave;
	sp.discard_stderr = kind == SESS_SUBSYSTEM;
	rc = session_start_rc(s, kind, forced_by != NULL &&
	    strcmp(forced_by, "(config)") == 0);
	sp.rc_path = rc;

	s->forced = forced_by != NULL;
	s->is_subsystem = kind == SESS_SUBSYSTEM;
	session_start_log(s, kind, forced_by != NULL ? command : what,
	    forced_by);

	if (session_exec_spawn(&sp, &pid, &infd, &outfd, &efd) != 0) {
		goto out;
	}
	s->pid = pid;
	s->started = true;

	if (s->pty.master != -1) {
		/* The child has the slave; ours would keep the terminal
		 * from hanging up.  The relay gets a copy of the master as
		 * both its in and out fd (shared: channel EOF leaves it
		 * open, as a tty has no half-close); ours stays for
		 * window-change. */
		close(s->pty.slave);
		s->pty.slave = -1;
		if ((outfd = fcntl(s->pty.master, F_DUPFD_CLOEXEC, 3)) == -1) {
			log_error("dup pty master: %s", strerror(errno));
			goto fail_child;
		}
		infd = outfd;
	}

	memset(&hooks, 0, sizeof(hooks));
	hooks.on_output_done = session_on_output_done;
	hooks.on_done = session_on_done;
	hooks.arg = s;
	s->relay = relay_new(c->loop, s->ch, RELAY_SESSION, outfd, infd, efd,
	    &hooks);
	if (s->relay == NULL) {
		log_error("session %d: relay setup failed", s->id);
		/* relay_new failed: the fds are still ours */
		goto fail_child;
	}
	r = 0;
	goto out;

fail_child:
	/* The child runs but cannot be served: hang it up, and its process
	 * group if it got as far as setsid(); the tick reaps it. */
	(void)kill(pid, SIGHUP);
	(void)killpg(pid, SIGHUP);
	if (infd != -1) {
		close(infd);
	}
	if (outfd != -1 && outfd != infd) {
		close(outfd);
	}
	if (efd != -1) {
		close(efd);
	}
	/* The request is refused; the peer closes the channel. */
out:
	session_env_free(&env);
	free(rc);
	return r;
}

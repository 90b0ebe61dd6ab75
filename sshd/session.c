/*
 * Session channels (RFC 4254 section 6): pty-req, env, shell, exec,
 * subsystem, window-change, signal; exit-status / exit-signal when the
 * child is gone.  The bytes themselves move through the relay
 * (sshd/relay.h, RELAY_SESSION).
 *
 * State of one session channel (struct sess):
 *
 *   OPEN --shell/exec/subsystem--> RUNNING (child forked, relay set up)
 *   RUNNING: child reaped (SIGCHLD)  +  relay on_output_done
 *            --both--> exit-status/exit-signal sent, relay_finish()
 *   relay on_done --> channel gone; the sess lingers only until its child
 *            is reaped, then it is freed
 *   OPEN --peer CLOSE before any start--> freed in the tick
 *
 * libssh runs our channel callbacks from inside its own reads and writes,
 * so they only change state; reaping and frees happen in the tick hook
 * that the loop runs after every ssh_event_dopoll() (DESIGN.md).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/conn.h"
#include "sshd/loop.h"
#include "sshd/relay.h"
#include "sshd/session.h"
#include "sshd/session_int.h"

#define SESSION_MAX_TERM 256	/* bytes of a pty-req TERM we keep */
#define SESSION_INTERNAL_SFTP "internal-sftp"

enum sess_kind { SESS_SHELL, SESS_EXEC, SESS_SUBSYSTEM };

struct sess {
	struct session_state *st;
	ssh_channel ch;			/* NULL once the channel is gone */
	struct ssh_channel_callbacks_struct cb;
	int id;

	/* before start */
	struct session_pty pty;
	char *term;
	struct session_env client_env;
	size_t nclient_env;
	bool peer_closed;		/* CLOSE seen (our callback) */

	/* running */
	bool started;
	bool forced, is_subsystem;
	pid_t pid;			/* -1: none or reaped */
	bool exited;
	int wstatus;
	struct relay *relay;
	bool output_done;
	bool status_sent;
	bool relay_done;

	struct sess *next;
};

struct session_state {
	struct conn *c;
	struct sess *list;
	int next_id;
	int tick_id;
	bool sigchld;			/* the self-pipe fired */
	bool handler_set;
	struct sigaction old_chld;
};

/* SIGCHLD self-pipe: the handler can only reach it through a global. */
static int session_sigpipe[2] = { -1, -1 };

static void session_tick(void *arg);

/* ---------------------------------------------------------------------
 * SIGCHLD
 */

static void
session_sigchld_handler(int sig)
{
	int save = errno;
	ssize_t w;

	(void)sig;
	w = write(session_sigpipe[1], "c", 1);
	(void)w;	/* a full pipe already means "wake up" */
	errno = save;
}

static void
session_sigchld_readable(int fd, short revents, void *arg)
{
	struct session_state *st = arg;
	char buf[64];

	(void)revents;
	while (read(fd, buf, sizeof(buf)) > 0) {
		;
	}
	st->sigchld = true;
}

static int
session_setup_sigchld(struct session_state *st)
{
	struct sigaction sa;
	int i, fl;

	if (pipe2(session_sigpipe, O_CLOEXEC) == -1) {
		log_error("pipe: %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	for (i = 0; i < 2; i++) {
		if ((fl = fcntl(session_sigpipe[i], F_GETFL)) == -1 ||
		    fcntl(session_sigpipe[i], F_SETFL, fl | O_NONBLOCK) == -1) {
			log_error("fcntl: %s", strerror(errno));
			return PC_ERR_SYSTEM;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = session_sigchld_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, &st->old_chld) == -1) {
		log_error("sigaction(SIGCHLD): %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	st->handler_set = true;
	if (sloop_watch(st->c->loop, session_sigpipe[0], POLLIN,
	    session_sigchld_readable, st) != 0) {
		log_error("cannot watch the SIGCHLD pipe");
		return PC_ERR_SYSTEM;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Lifetime of a sess
 */

static bool
session_alive(const struct sess *s)
{
	/* counts toward MaxSessions while its channel exists */
	return s->ch != NULL && !s->relay_done;
}

static void
session_free(struct sess *s)
{
	if (s->ch != NULL) {
		ssh_remove_channel_callbacks(s->ch, &s->cb);
		if (s->relay == NULL && !s->relay_done) {
			/* never started: the channel is ours */
			if (!ssh_channel_is_closed(s->ch)) {
				(void)ssh_channel_close(s->ch);
			}
			ssh_channel_free(s->ch);
		}
		s->ch = NULL;
	}
	session_pty_close(&s->pty);
	session_env_free(&s->client_env);
	free(s->term);
	free(s);
}

/* Exit status to the client, then EOF and CLOSE (RFC 4254 6.10). */
static void
session_send_exit(struct sess *s)
{
	int st = s->wstatus;

	if (WIFEXITED(st)) {
		if (ssh_channel_request_send_exit_status(s->ch,
		    WEXITSTATUS(st)) != SSH_OK) {
			log_debug("session %d: sending exit-status failed",
			    s->id);
		}
		log_debug("session %d: pid %ld exit %d", s->id, (long)s->pid,
		    WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		if (ssh_channel_request_send_exit_signal(s->ch,
		    session_sig_name(WTERMSIG(st)), WCOREDUMP(st) ? 1 : 0,
		    "", "") != SSH_OK) {
			log_debug("session %d: sending exit-signal failed",
			    s->id);
		}
		log_debug("session %d: pid %ld signal %d%s", s->id,
		    (long)s->pid, WTERMSIG(st),
		    WCOREDUMP(st) ? " core dumped" : "");
	}
}

/* Both conditions met (output drained, child reaped): finish. */
static void
session_maybe_finish(struct sess *s)
{
	if (s->status_sent || !s->exited || !s->output_done ||
	    s->relay == NULL) {
		return;
	}
	s->status_sent = true;
	session_send_exit(s);
	relay_finish(s->relay);
}

static void
session_on_output_done(struct relay *r, void *arg)
{
	struct sess *s = arg;

	(void)r;
	s->output_done = true;
	session_maybe_finish(s);
}

static void
session_on_done(struct relay *r, const struct relay_stats *stats, void *arg)
{
	struct sess *s = arg;

	(void)r;
	log_verbose("Close session: user %s from %s port %d id %d",
	    s->st->c->user, s->st->c->client_addr, s->st->c->client_port,
	    s->id);
	log_debug("session %d: %llu bytes out, %llu in", s->id,
	    (unsigned long long)stats->to_channel,
	    (unsigned long long)stats->from_channel);
	/* The relay owns and frees the channel; detach from it now. */
	if (s->ch != NULL) {
		ssh_remove_channel_callbacks(s->ch, &s->cb);
		s->ch = NULL;
	}
	s->relay = NULL;
	s->relay_done = true;
	/* Our master copy is the last: closing it hangs the terminal up
	 * (SIGHUP to the session), as when sshd closes its pty. */
	session_pty_close(&s->pty);
}

static void
session_reap(struct session_state *st)
{
	struct sess *s;
	pid_t r;
	int status;

	for (s = st->list; s != NULL; s = s->next) {
		if (s->pid <= 0 || s->exited) {
			continue;
		}
		r = waitpid(s->pid, &status, WNOHANG);
		if (r == 0) {
			continue;
		}
		if (r == -1) {
			if (errno == EINTR) {
				continue;
			}
			log_error("waitpid %ld: %s", (long)s->pid,
			    strerror(errno));
			/* treat as gone so the channel can finish */
			status = 255 << 8;
		}
		s->exited = true;
		s->wstatus = status;
		session_maybe_finish(s);
	}
}

static void
session_tick(void *arg)
{
	struct session_state *st = arg;
	struct sess **pp, *s;

	if (st->sigchld) {
		st->sigchld = false;
		session_reap(st);
	}
	for (pp = &st->list; (s = *pp) != NULL; ) {
		bool dead;

		if (!s->started) {
			dead = s->peer_closed;
		} else {
			/* a failed start leaves the channel to us */
			dead = (s->relay_done ||
			    (s->relay == NULL && s->peer_closed)) &&
			    (s->pid <= 0 || s->exited);
		}
		if (!dead) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		session_free(s);
	}
}

/* ---------------------------------------------------------------------
 * Starting the child
 */

static void
session_log_start(struct sess *s, enum sess_kind kind, const char *what,
    const char *forced_by)
{
	struct conn *c = s->st->c;
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
session_first_word_is(const char *cmdline, const char *name)
{
	size_t n = strlen(name);

	while (*cmdline == ' ' || *cmdline == '\t') {
		cmdline++;
	}
	return strncmp(cmdline, name, n) == 0 &&
	    (cmdline[n] == '\0' || cmdline[n] == ' ' || cmdline[n] == '\t');
}

static void
session_build_env(struct sess *s, const char *original, struct session_env *e)
{
	struct conn *c = s->st->c;
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
 * shell (command NULL), exec, subsystem (command = the Subsystem line).
 * Returns 0 when the child runs (the request gets SUCCESS).
 */
static int
session_start(struct sess *s, enum sess_kind kind, const char *command,
    const char *what)
{
	struct conn *c = s->st->c;
	struct session_spawn sp;
	struct session_env env;
	struct relay_hooks hooks;
	const char *forced_by = NULL, *original = NULL;
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
	    session_first_word_is(command, SESSION_INTERNAL_SFTP)) {
		log_error("session %d: %s for %s: internal-sftp is not "
		    "supported; use the sftp-server program", s->id,
		    forced_by != NULL ? "forced command" : "subsystem",
		    c->user);
		return PC_ERR_INVAL;
	}

	session_env_init(&env);
	session_build_env(s, original, &env);

	memset(&sp, 0, sizeof(sp));
	sp.shell = (c->shell != NULL && *c->shell != '\0') ? c->shell :
	    "/bin/sh";
	sp.command = command;
	sp.env = env.v;
	sp.home = c->home != NULL ? c->home : "/";
	sp.pty_slave = s->pty.slave;
	sp.discard_stderr = kind == SESS_SUBSYSTEM;

	s->forced = forced_by != NULL;
	s->is_subsystem = kind == SESS_SUBSYSTEM;
	session_log_start(s, kind, forced_by != NULL ? command : what,
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
	/* The child runs but cannot be served: stop it; the tick reaps. */
	(void)kill(pid, SIGHUP);
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
	return r;
}

/* ---------------------------------------------------------------------
 * Channel callbacks (RFC 4254 6.2 - 6.9)
 */

static int
session_cb_pty(ssh_session session, ssh_channel ch, const char *term,
    int cols, int rows, int xpix, int ypix, void *ud)
{
	struct sess *s = ud;
	struct conn *c = s->st->c;

	(void)session;
	(void)ch;
	if (!c->cfg.permit_tty ||
	    (c->have_key_opts && !c->key_opts.pty)) {
		log_verbose("session %d: pty refused for %s from %s port %d: "
		    "%s", s->id, c->user, c->client_addr, c->client_port,
		    !c->cfg.permit_tty ? "PermitTTY no" : "key option no-pty");
		return -1;
	}
	if (s->started || s->pty.master != -1) {
		log_verbose("session %d: pty-req %s refused", s->id,
		    s->started ? "after start" : "twice");
		return -1;
	}
	if (term == NULL || strlen(term) > SESSION_MAX_TERM) {
		log_verbose("session %d: pty-req with a bad TERM refused",
		    s->id);
		return -1;
	}
	if (session_pty_open(&s->pty, cols, rows, xpix, ypix) != 0) {
		return -1;
	}
	free(s->term);
	s->term = xstrdup(term);
	log_debug("session %d: pty %s TERM=%s %dx%d", s->id, s->pty.name,
	    s->term, cols, rows);
	return 0;
}

static int
session_cb_window_change(ssh_session session, ssh_channel ch, int cols,
    int rows, int xpix, int ypix, void *ud)
{
	struct sess *s = ud;

	(void)session;
	(void)ch;
	if (s->pty.master == -1) {
		return 0;	/* no reply is sent either way */
	}
	(void)session_pty_resize(&s->pty, cols, rows, xpix, ypix);
	return 0;
}

static int
session_cb_env(ssh_session session, ssh_channel ch, const char *name,
    const char *value, void *ud)
{
	struct sess *s = ud;
	struct conn *c = s->st->c;

	(void)session;
	(void)ch;
	if (s->started) {
		return -1;
	}
	if (s->nclient_env >= SESSION_ENV_MAX_CLIENT) {
		log_debug("session %d: env %s ignored: too many", s->id,
		    name != NULL ? name : "(null)");
		return -1;
	}
	/* Refused silently (just a failure reply), as OpenSSH does. */
	if (!session_env_acceptable(&c->cfg.accept_env, name, value)) {
		log_debug("session %d: env %s refused (AcceptEnv)", s->id,
		    name != NULL ? name : "(null)");
		return -1;
	}
	session_env_set(&s->client_env, name, value);
	s->nclient_env++;
	log_debug2("session %d: env %s accepted", s->id, name);
	return 0;
}

static int
session_cb_shell(ssh_session session, ssh_channel ch, void *ud)
{
	struct sess *s = ud;

	(void)session;
	(void)ch;
	return session_start(s, SESS_SHELL, NULL, NULL) == 0 ? 0 : -1;
}

static int
session_cb_exec(ssh_session session, ssh_channel ch, const char *command,
    void *ud)
{
	struct sess *s = ud;

	(void)session;
	(void)ch;
	if (command == NULL) {
		return -1;
	}
	return session_start(s, SESS_EXEC, command, NULL) == 0 ? 0 : -1;
}

static int
session_cb_subsystem(ssh_session session, ssh_channel ch, const char *name,
    void *ud)
{
	struct sess *s = ud;
	struct conn *c = s->st->c;
	size_t i;

	(void)session;
	(void)ch;
	if (name == NULL) {
		return -1;
	}
	for (i = 0; i < c->cfg.nsubsystems; i++) {
		if (strcmp(c->cfg.subsystems[i].name, name) != 0) {
			continue;
		}
		if (session_start(s, SESS_SUBSYSTEM,
		    c->cfg.subsystems[i].command, name) == 0) {
			return 0;
		}
		log_info("subsystem request for %.100s by user %s failed, "
		    "execution failed", name, c->user);
		return -1;
	}
	log_info("subsystem request for %.100s by user %s failed, "
	    "subsystem not found", name, c->user);
	return -1;
}

static void
session_cb_signal(ssh_session session, ssh_channel ch, const char *name,
    void *ud)
{
	struct sess *s = ud;
	int sig;

	(void)session;
	(void)ch;
	if ((sig = session_sig_from_name(name)) == -1) {
		log_error("session %d: unsupported signal \"%.32s\"", s->id,
		    name != NULL ? name : "");
		return;
	}
	if (s->pid <= 0 || s->exited) {
		log_debug("session %d: signal %s: no process", s->id, name);
		return;
	}
	if (s->forced || s->is_subsystem) {
		log_error("session %d: refusing to send signal %s to %s "
		    "session", s->id, name,
		    s->forced ? "forced-command" : "subsystem");
		return;
	}
	log_debug("session %d: signal %s, killpg(%ld, %d)", s->id, name,
	    (long)s->pid, sig);
	if (killpg(s->pid, sig) == -1) {
		log_error("session %d: killpg(%ld, %d): %s", s->id,
		    (long)s->pid, sig, strerror(errno));
	}
}

static void
session_cb_close(ssh_session session, ssh_channel ch, void *ud)
{
	struct sess *s = ud;

	(void)session;
	(void)ch;
	s->peer_closed = true;
}

/* ---------------------------------------------------------------------
 * Public interface (sshd/session.h)
 */

int
session_init(struct conn *c)
{
	struct session_state *st;
	int r;

	if (c->sess != NULL) {
		return 0;
	}
	st = xcalloc(1, sizeof(*st));
	st->c = c;
	st->tick_id = -1;
	c->sess = st;
	if ((r = session_setup_sigchld(st)) != 0) {
		session_cleanup(c);
		return r;
	}
	if ((st->tick_id = sloop_add_tick(c->loop, session_tick, st)) < 0) {
		log_error("cannot add the session tick");
		session_cleanup(c);
		return PC_ERR_SYSTEM;
	}
	return 0;
}

ssh_channel
session_channel_open(struct conn *c)
{
	struct session_state *st = c->sess;
	struct sess *s;
	ssh_channel ch;
	int n;

	if (st == NULL) {
		log_error("session channel before session_init");
		return NULL;
	}
	if ((n = session_count(c)) >= c->cfg.max_sessions) {
		log_info("session channel refused for %s from %s port %d: "
		    "MaxSessions %d reached", c->user, c->client_addr,
		    c->client_port, c->cfg.max_sessions);
		return NULL;
	}
	if ((ch = ssh_channel_new(c->session)) == NULL) {
		log_error("ssh_channel_new: %s", ssh_get_error(c->session));
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->st = st;
	s->ch = ch;
	s->id = st->next_id++;
	s->pid = -1;
	session_pty_init(&s->pty);
	session_env_init(&s->client_env);

	s->cb.userdata = s;
	s->cb.channel_close_function = session_cb_close;
	s->cb.channel_signal_function = session_cb_signal;
	s->cb.channel_pty_request_function = session_cb_pty;
	s->cb.channel_shell_request_function = session_cb_shell;
	s->cb.channel_pty_window_change_function = session_cb_window_change;
	s->cb.channel_exec_request_function = session_cb_exec;
	s->cb.channel_env_request_function = session_cb_env;
	s->cb.channel_subsystem_request_function = session_cb_subsystem;
	ssh_callbacks_init(&s->cb);
	if (ssh_add_channel_callbacks(ch, &s->cb) != SSH_OK) {
		log_error("ssh_add_channel_callbacks failed");
		ssh_channel_free(ch);
		session_env_free(&s->client_env);
		free(s);
		return NULL;
	}
	s->next = st->list;
	st->list = s;
	log_debug("session %d: channel opened (%d open)", s->id, n + 1);
	return ch;
}

int
session_count(const struct conn *c)
{
	const struct sess *s;
	int n = 0;

	if (c->sess == NULL) {
		return 0;
	}
	for (s = c->sess->list; s != NULL; s = s->next) {
		if (session_alive(s)) {
			n++;
		}
	}
	return n;
}

void
session_cleanup(struct conn *c)
{
	struct session_state *st = c->sess;
	struct sess *s;

	if (st == NULL) {
		return;
	}
	if (st->tick_id >= 0) {
		sloop_remove_tick(c->loop, st->tick_id);
	}
	/* Reap what already ended; the rest lives on, as with sshd (a
	 * pty session gets SIGHUP when its master closes below). */
	session_reap(st);
	while ((s = st->list) != NULL) {
		st->list = s->next;
		if (s->relay != NULL) {
			relay_abort(s->relay);
			s->relay = NULL;
			s->relay_done = true;
			if (s->ch != NULL) {
				ssh_remove_channel_callbacks(s->ch, &s->cb);
				s->ch = NULL;
			}
		}
		session_free(s);
	}
	if (st->handler_set) {
		(void)sigaction(SIGCHLD, &st->old_chld, NULL);
	}
	if (session_sigpipe[0] != -1) {
		/* watched: the loop closes it once libssh lets go of it */
		sloop_close(c->loop, session_sigpipe[0]);
		close(session_sigpipe[1]);
		session_sigpipe[0] = session_sigpipe[1] = -1;
	}
	free(st);
	c->sess = NULL;
}

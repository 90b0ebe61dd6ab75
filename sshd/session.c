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

/* Per connection (c->sess). */
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
			/* never started (or the start failed): the channel
			 * is ours.  EOF + CLOSE unless already sent; a first
			 * call returns early when the EOF's flush would
			 * block, a second one queues the CLOSE. */
			if (ssh_channel_close(s->ch) == SSH_AGAIN) {
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

void
session_on_output_done(struct relay *r, void *arg)
{
	struct sess *s = arg;

	(void)r;
	s->output_done = true;
	session_maybe_finish(s);
}

void
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
	/* XXX libssh 0.10 parses but does not hand out the encoded terminal
	 * modes of pty-req (RFC 4254 8): the pty keeps the kernel's defaults
	 * (echo, icanon, ^C...), which suit every client we know. */
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
	return session_start_run(s, SESS_SHELL, NULL, NULL) == 0 ? 0 : -1;
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
	return session_start_run(s, SESS_EXEC, command, NULL) == 0 ? 0 : -1;
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
		if (session_start_run(s, SESS_SUBSYSTEM,
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
	s->c = c;
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

/*
 * The connection process: libwrap before any SSH byte, key exchange and
 * authentication under LoginGraceTime, then privilege separation and the
 * session loop (DESIGN.md 'Process model').  conn.c owns every libssh
 * top-level callback and dispatches to auth, session and forwarding.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policy/policy.h"
#ifdef HAVE_LIBWRAP
#include "policy/wrap.h"
#endif
#include "sshd/alive.h"
#include "sshd/auth.h"
#include "sshd/conn.h"
#include "sshd/daemon.h"
#include "sshd/forward.h"
#include "sshd/loop.h"
#include "sshd/privsep.h"
#include "sshd/sanitized.h"
#include "sshd/session.h"

#define CONN_BANNER_MAX (64 * 1024)

static struct conn conn_state;
static int conn_startup_fd = -1;
static bool conn_level_forced;	/* -d / -q fixed the log level */

/* SIGALRM during key exchange and authentication (LoginGraceTime). */
static void
conn_grace_alarm(int sig)
{
	(void)sig;
	/* XXX log_info is not async-signal-safe; we exit right after and
	 * nothing else runs in this process (OpenSSH does the same). */
	log_info("Timeout before authentication for %s port %d",
	    conn_state.client_addr, conn_state.client_port);
	_exit(255);
}

static void
conn_libssh_log(int priority, const char *function, const char *buffer,
    void *userdata)
{
	(void)userdata;
	(void)priority;
	log_msg(LOG_LEVEL_DEBUG3, function, "libssh: %s", buffer);
}

static void
conn_peer(struct conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct pc_addr a;

	snprintf(c->client_addr, sizeof(c->client_addr), "UNKNOWN");
	snprintf(c->local_addr, sizeof(c->local_addr), "UNKNOWN");
	if (getpeername(c->sock, (struct sockaddr *)&ss, &sl) == 0 &&
	    addr_from_sockaddr((struct sockaddr *)&ss, sl, &a,
	    &c->client_port) == PC_OK)
		addr_ntop(&a, c->client_addr, sizeof(c->client_addr));
	sl = sizeof(ss);
	if (getsockname(c->sock, (struct sockaddr *)&ss, &sl) == 0 &&
	    addr_from_sockaddr((struct sockaddr *)&ss, sl, &a,
	    &c->local_port) == PC_OK)
		addr_ntop(&a, c->local_addr, sizeof(c->local_addr));
	c->client_host = xstrdup(c->client_addr);
}

/*
 * UseDNS yes: the client's name for Match Host, user@host patterns and
 * from=, accepted only if it maps back to the address (as OpenSSH's
 * remote_hostname()); otherwise the address is used.  Runs before
 * authentication, under LoginGraceTime.
 */
static void
conn_use_dns(struct conn *c)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char name[NI_MAXHOST], num[NI_MAXHOST];
	bool confirmed = false;
	size_t i;

	if (getpeername(c->sock, (struct sockaddr *)&ss, &sl) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, sl, name, sizeof(name), NULL,
	    0, NI_NAMEREQD) != 0)
		return;
	for (i = 0; name[i] != '\0'; i++) {
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] = (char)(name[i] - 'A' + 'a');
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, NULL, &hints, &res) != 0) {
		log_info("reverse mapping checking getaddrinfo for %s [%s] "
		    "failed.", name, c->client_addr);
		return;
	}
	for (ai = res; ai != NULL && !confirmed; ai = ai->ai_next) {
		struct pc_addr a;
		int port;

		if (addr_from_sockaddr(ai->ai_addr, ai->ai_addrlen, &a,
		    &port) == PC_OK && addr_ntop(&a, num, sizeof(num)) != NULL &&
		    strcmp(num, c->client_addr) == 0)
			confirmed = true;
	}
	freeaddrinfo(res);
	if (!confirmed) {
		log_info("Address %s maps to %s, but this does not map back "
		    "to the address.", c->client_addr, name);
		return;
	}
	free(c->client_host);
	c->client_host = xstrdup(name);
}

/* Tell the listener we no longer count for MaxStartups. */
static void
conn_startup_done(void)
{
	char b = 1;
	ssize_t r;

	if (conn_startup_fd < 0)
		return;
	r = write(conn_startup_fd, &b, 1);
	(void)r;
	close(conn_startup_fd);
	conn_startup_fd = -1;
}

static void
conn_send_banner(struct conn *c)
{
	static bool sent;
	char buf[CONN_BANNER_MAX];
	ssh_string s;
	ssize_t n;
	int fd;

	if (sent)
		return;
	sent = true;
	if (c->cfg.banner == NULL || strcmp(c->cfg.banner, "none") == 0)
		return;
	fd = open(c->cfg.banner, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		log_error("Banner %s: %s", c->cfg.banner, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if ((s = ssh_string_from_char(buf)) == NULL)
		return;
	if (ssh_send_issue_banner(c->session, s) != SSH_OK)
		log_debug("could not send the banner");
	ssh_string_free(s);
}

/*
 * libssh's error strings can carry what the peer sent (a garbage banner
 * ends up in "No version of SSH protocol usable (banner: ...)"): copy
 * printable ASCII, escape the rest as \ooo, cut at out's size, so the
 * log gets neither control bytes nor terminal escapes.
 */
static const char *
conn_clean(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	unsigned char ch;

	if (outsz == 0)
		return "";
	for (; in != NULL && *in != '\0'; in++) {
		ch = (unsigned char)*in;
		if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)ch;
		} else {
			if (o + 4 >= outsz)
				break;
			snprintf(out + o, 5, "\\%03o", ch);
			o += 4;
		}
	}
	out[o] = '\0';
	return out;
}

/* Common prologue of every authentication callback. */
static int
conn_auth_prologue(struct conn *c, const char *user, const char *method)
{
	conn_send_banner(c);
	if (auth_begin(c, user, method) != 0)
		return -1;
	/* Match blocks may have changed LogLevel for this user. */
	if (!conn_level_forced)
		log_set_level((enum log_level)c->cfg.log_level);
	ssh_set_auth_methods(c->session, auth_methods(c));
	return 0;
}

static void
conn_auth_succeeded(struct conn *c)
{
	c->authenticated = true;
}

static int
conn_cb_auth_password(ssh_session s, const char *user, const char *password,
    void *ud)
{
	struct conn *c = ud;
	int r;

	(void)s;
	if (c->authenticated || conn_auth_prologue(c, user, "password") != 0)
		return SSH_AUTH_DENIED;
	r = auth_password(c, user, password);
	if (r == SSH_AUTH_SUCCESS)
		conn_auth_succeeded(c);
	return r;
}

static int
conn_cb_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct
    *key, char state, void *ud)
{
	struct conn *c = ud;
	int r;

	(void)s;
	if (c->authenticated || conn_auth_prologue(c, user, "publickey") != 0)
		return SSH_AUTH_DENIED;
	r = auth_pubkey(c, user, key, state);
	if (r == SSH_AUTH_SUCCESS && state == SSH_PUBLICKEY_STATE_VALID)
		conn_auth_succeeded(c);
	return r;
}

static int
conn_cb_auth_none(ssh_session s, const char *user, void *ud)
{
	struct conn *c = ud;

	(void)s;
	if (c->authenticated || conn_auth_prologue(c, user, "none") != 0)
		return SSH_AUTH_DENIED;
	return auth_none(c, user);
}

static ssh_channel
conn_cb_channel_session(ssh_session s, void *ud)
{
	struct conn *c = ud;

	(void)s;
	if (!c->authenticated || c->sess == NULL)
		return NULL;
	return session_channel_open(c);
}

/*
 * A channel request no channel callback took (unknown types, or a channel
 * whose callbacks are gone).  On a channel that is no longer open -- our
 * CLOSE is sent, or the peer's arrived -- send nothing: RFC 4254 5.3
 * allows no message after our CLOSE, and the default reply libssh 0.10
 * would send (CHANNEL_FAILURE for want-reply) makes PuTTY drop the whole
 * connection.  The channel's owner removes its request callbacks when it
 * sends CLOSE (session.c, relay.c), so every late request lands here.
 * XXX libssh answers "keepalive@openssh.com" channel requests itself,
 * before any callback, closed or not; a client that sends those to the
 * server gets a FAILURE regardless.
 */
static int
conn_channel_request(struct conn *c, ssh_message msg)
{
	ssh_channel ch = ssh_message_channel_request_channel(msg);

	if (ch == NULL || ssh_channel_is_closed(ch)) {
		log_debug2("channel request (type %d) on a closed channel "
		    "from %s port %d ignored", ssh_message_subtype(msg),
		    c->client_addr, c->client_port);
		return 0;
	}
	return 1;
}

/* Everything libssh 0.10 does not hand to the server callbacks:
 * keyboard-interactive, direct-tcpip and other channel types, global
 * requests (tcpip-forward).  Return 0 = replied, 1 = default reply. */
static int
conn_cb_message(ssh_session s, ssh_message msg, void *ud)
{
	struct conn *c = ud;

	(void)s;
	switch (ssh_message_type(msg)) {
	case SSH_REQUEST_AUTH:
		if (c->authenticated)
			return 1;
		if (ssh_message_subtype(msg) == SSH_AUTH_METHOD_INTERACTIVE) {
			const char *user = ssh_message_auth_user(msg);

			if (ssh_message_auth_kbdint_is_response(msg) == 0 &&
			    conn_auth_prologue(c, user ? user : "",
			    "keyboard-interactive") != 0)
				return 1;
		}
		/* auth.c sets c->authenticated itself when keyboard-
		 * interactive succeeds (it replies from here). */
		return auth_handle_message(c, msg);
	case SSH_REQUEST_CHANNEL_OPEN:
	case SSH_REQUEST_GLOBAL:
		if (!c->authenticated || c->fwd == NULL)
			return 1;
		return fwd_handle_message(c, msg);
	case SSH_REQUEST_CHANNEL:
		return conn_channel_request(c, msg);
	default:
		return 1;
	}
}

static struct ssh_server_callbacks_struct conn_server_cb = {
	.userdata = &conn_state,
	.auth_password_function = conn_cb_auth_password,
	.auth_none_function = conn_cb_auth_none,
	.auth_pubkey_function = conn_cb_auth_pubkey,
	.channel_open_request_session_function = conn_cb_channel_session,
};

void
conn_quit(int code)
{
	(void)fflush(NULL);
#if PC_SANITIZED
	exit(code);
#else
	_exit(code);
#endif
}

static void __attribute__((noreturn))
conn_exit(struct conn *c, int code)
{
	if (c->session != NULL) {
		ssh_disconnect(c->session);
		ssh_free(c->session);
		c->session = NULL;
	}
	conn_quit(code);
}

static void
conn_wrap_check(struct daemon *d, struct conn *c)
{
#ifdef HAVE_LIBWRAP
	if (wrap_check("portcullisd", c->client_addr,
	    d->global.hosts_allow_file, d->global.hosts_deny_file) != 1) {
		log_info("refused connect from %s (%s)", c->client_addr,
		    c->client_addr);
		close(c->sock);
		conn_quit(0);
	}
#else
	(void)d;
	(void)c;
#endif
}

/* Key exchange and authentication, under LoginGraceTime. */
static void
conn_authenticate(struct daemon *d, struct conn *c)
{
	ssh_event ev;
	char clean[128];	/* an invalid user name, escaped */
	int r;

	if ((ev = ssh_event_new()) == NULL ||
	    ssh_event_add_session(ev, c->session) != SSH_OK) {
		log_error("cannot create the authentication event loop");
		conn_exit(c, 255);
	}
	while (!c->authenticated) {
		r = ssh_event_dopoll(ev, 1000);
		if (r == SSH_ERROR || !ssh_is_connected(c->session) ||
		    (ssh_get_status(c->session) &
		    (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0) {
			if (c->disconnecting)
				;	/* auth.c logged the reason */
			else if (c->user != NULL && c->user_valid)
				log_info("Connection closed by authenticating "
				    "user %s %s port %d [preauth]", c->user,
				    c->client_addr, c->client_port);
			else if (c->user != NULL)
				log_info("Connection closed by invalid user %s "
				    "%s port %d [preauth]", conn_clean(c->user,
				    clean, sizeof(clean)), c->client_addr,
				    c->client_port);
			else
				log_info("Connection closed by %s port %d "
				    "[preauth]", c->client_addr,
				    c->client_port);
			ssh_event_remove_session(ev, c->session);
			ssh_event_free(ev);
			conn_exit(c, 0);
		}
	}
	ssh_event_remove_session(ev, c->session);
	ssh_event_free(ev);
	(void)d;
}

/*
 * Why libssh dropped an authenticated connection (a bad or oversized
 * packet, a MAC error...), before cleanup can overwrite the session's
 * error string.  A DISCONNECT from the client or its closing the socket
 * is the normal end and stays at debug level.
 */
static void
conn_log_end(struct conn *c)
{
	const char *e = ssh_get_error(c->session);
	char clean[256];

	if ((ssh_get_status(c->session) & SSH_CLOSED_ERROR) == 0 ||
	    e == NULL || *e == '\0')
		return;
	conn_clean(e, clean, sizeof(clean));
	if (strncmp(e, "Received SSH_MSG_DISCONNECT", 27) == 0 ||
	    strcmp(e, "Socket error: disconnected") == 0)
		log_debug("Connection of user %s %s port %d ended: %s",
		    c->user, c->client_addr, c->client_port, clean);
	else
		log_info("Connection of user %s %s port %d ended by an "
		    "error: %s", c->user, c->client_addr, c->client_port,
		    clean);
}

void
conn_main(struct daemon *d, int sock, int startup_fd)
{
	struct conn *c = &conn_state;
	struct cfg_conn_info ci;
	struct sigaction sa;
	bool monitored = false;
	int r;

	memset(c, 0, sizeof(*c));
	c->sock = sock;
	c->config = d->config;
	c->running_as_root = d->running_as_root;
	conn_startup_fd = startup_fd;
	conn_level_forced = d->debug > 0 || d->quiet;
	authkeys_opts_init(&c->key_opts);

	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);

	conn_peer(c);
	log_verbose("Connection from %s port %d on %s port %d",
	    c->client_addr, c->client_port, c->local_addr, c->local_port);

	if (d->global.use_dns)
		conn_use_dns(c);

	/* Pre-authentication settings: Match Address/LocalPort/... */
	memset(&ci, 0, sizeof(ci));
	ci.addr = c->client_addr;
	ci.host = c->client_host;
	ci.laddr = c->local_addr;
	ci.lport = c->local_port;
	if (config_resolve(d->config, &ci, &c->cfg) != PC_OK) {
		log_error("cannot resolve the configuration for %s",
		    c->client_addr);
		close(sock);
		conn_quit(255);
	}
	if (d->cli_ports.n > 0) {
		strlist_free(&c->cfg.ports);
		strlist_copy(&c->cfg.ports, &d->cli_ports);
	}

	/* TCP wrappers before any SSH byte. */
	conn_wrap_check(d, c);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conn_grace_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		log_error("sigaction SIGALRM: %s", strerror(errno));
	if (d->global.login_grace_time > 0)
		alarm((unsigned int)d->global.login_grace_time);

	if (d->debug >= 3) {
		ssh_set_log_callback(conn_libssh_log);
		ssh_set_log_level(SSH_LOG_PROTOCOL);
	}
	if ((c->session = ssh_new()) == NULL) {
		log_error("ssh_new failed");
		conn_quit(255);
	}
	if (ssh_bind_accept_fd(d->bind, c->session, sock) != SSH_OK) {
		log_error("ssh_bind_accept_fd: %s", ssh_get_error(d->bind));
		conn_exit(c, 255);
	}
	ssh_callbacks_init(&conn_server_cb);
	if (ssh_set_server_callbacks(c->session, &conn_server_cb) != SSH_OK) {
		log_error("cannot install server callbacks");
		conn_exit(c, 255);
	}
	ssh_set_message_callback(c->session, conn_cb_message, c);
	ssh_set_auth_methods(c->session, auth_methods(c));

	if (ssh_handle_key_exchange(c->session) != SSH_OK) {
		const char *e = ssh_get_error(c->session);
		char clean[256];

		log_info("Connection closed by %s port %d [preauth]: %s",
		    c->client_addr, c->client_port, e != NULL && *e != '\0' ?
		    conn_clean(e, clean, sizeof(clean)) :
		    "key exchange failed");
		conn_exit(c, 0);
	}
	ssh_set_blocking(c->session, 0);
	conn_authenticate(d, c);
	alarm(0);
	signal(SIGALRM, SIG_DFL);

	if (auth_finish(c) != PC_OK) {
		log_info("Disconnecting user %s %s port %d: account "
		    "refused after authentication", c->user, c->client_addr,
		    c->client_port);
		conn_exit(c, 0);
	}
	conn_startup_done();

	if (d->running_as_root && privsep_needed(c)) {
		monitored = true;
		if ((r = privsep_split(c)) != PC_OK)
			conn_exit(c, 255);
	} else if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		log_error("prctl PR_SET_DUMPABLE: %s", strerror(errno));
		conn_exit(c, 255);
	}
	if (chdir(c->home) != 0 && chdir("/") != 0)
		log_error("chdir: %s", strerror(errno));

	/* The session loop, as the user. */
	if ((c->loop = sloop_new(c->session)) == NULL) {
		log_error("cannot create the session loop");
		conn_exit(c, 255);
	}
	if (session_init(c) != PC_OK || fwd_init(c) != PC_OK ||
	    alive_init(c) != PC_OK) {
		log_error("session set-up failed for %s", c->user);
		conn_exit(c, 255);
	}
	r = sloop_run(c->loop);
	conn_log_end(c);
	fwd_cleanup(c);
	session_cleanup(c);
	log_info("Disconnected from user %s %s port %d", c->user,
	    c->client_addr, c->client_port);
	if (!monitored)
		auth_cleanup(c);
	conn_exit(c, r == PC_OK ? 0 : 255);
}

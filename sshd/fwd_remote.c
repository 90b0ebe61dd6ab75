/*
 * Remote forwarding (client -R; RFC 4254 7.1): tcpip-forward,
 * cancel-tcpip-forward, and the forwarded-tcpip channels opened for each
 * connection accepted on a listener.
 *
 *   tcpip-forward ADDR:PORT -> MaxForwardListeners -> policy_decide ->
 *   bind as the decision says (POLICY.md A.3: loopback, wildcard or the
 *   literal address; one socket per address, SO_REUSEADDR, IPV6_V6ONLY)
 *   -> port 0: ask the policy again with the allocated port (Decision 4)
 *   -> REQUEST_SUCCESS (+ the port for port 0) or REQUEST_FAILURE.
 *
 *   accept -> MaxForwardChannels -> libwrap sshdfwd-PORT (Decision 8) ->
 *   OPENING: ssh_channel_open_reverse_forward() with the client's exact
 *   string and the bound port, re-called every round until it stops
 *   saying SSH_AGAIN; the socket is not read before the confirmation ->
 *   OPEN (relay), or closed if the client refuses.
 *
 * Listeners belong to the connection (A.9): cancel and the end of the
 * connection close them; established channels stay.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policy/policy.h"
#include "sshd/fwd_int.h"
#include "sshd/loop.h"

#if defined(HAVE_LIBWRAP) && defined(__has_include)
#if __has_include("policy/wrap.h")
#include "policy/wrap.h"
#define FWD_WRAP 1
#endif
#endif

static void
fwd_remote_fd_cb(int fd, short revents, void *arg)
{
	struct fwd_listener *lst = arg;

	(void)fd;
	(void)revents;
	lst->ready = true;
}

static void
fwd_listener_close(struct fwd_state *fs, struct fwd_listener *lst)
{
	int i;

	for (i = 0; i < lst->nfds; i++)
		sloop_close(fs->c->loop, lst->fds[i]);
	lst->nfds = 0;
}

static void
fwd_listener_free(struct fwd_listener *lst)
{
	free(lst->addr);
	free(lst);
}

static void
fwd_sockaddr_set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)(void *)ss)->sin_port =
		    htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port =
		    htons((uint16_t)port);
}

/* One socket per address; for port 0 the first allocated port is reused
 * for the other addresses (as OpenSSH does).  0 if at least one bound. */
static int
fwd_remote_bind(struct fwd_state *fs, const struct pc_decision *d, int port,
    struct fwd_listener *lst, char *err, size_t errlen)
{
	struct conn *c = fs->c;
	struct fwd_addrs *a;
	struct sockaddr_storage ss;
	socklen_t sl;
	const char *host;
	char ntop[INET6_ADDRSTRLEN];
	bool passive;
	size_t i;
	int fd, on = 1, bound = port, p, rc;

	switch (d->bind) {
	case PC_BIND_LOOPBACK:
		host = NULL;		/* getaddrinfo(NULL), no AI_PASSIVE */
		passive = false;
		break;
	case PC_BIND_WILDCARD:
		host = NULL;
		passive = true;
		break;
	case PC_BIND_LITERAL:
		host = d->bind_addr;
		passive = true;
		break;
	default:
		snprintf(err, errlen, "no bind address");
		return PC_ERR_INVAL;
	}
	a = xcalloc(1, sizeof(*a));
	rc = fwd_resolve(fs, host, port, fwd_family(c), passive,
	    c->cfg.forward_lookup_timeout, a, err, errlen);
	if (rc != PC_OK)
		goto out;
	for (i = 0; i < a->n && lst->nfds < FWD_MAX_BIND; i++) {
		memcpy(&ss, &a->ss[i], sizeof(ss));
		fwd_sockaddr_set_port(&ss, bound);
		addr_ntop(&a->pa[i], ntop, sizeof(ntop));
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd < 0) {
			log_verbose("socket [%s]:%d: %s", ntop, bound,
			    strerror(errno));
			continue;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on));
		if (ss.ss_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
			    sizeof(on));
		if (bind(fd, (struct sockaddr *)&ss, a->len[i]) != 0) {
			log_error("bind [%s]:%d: %s", ntop, bound,
			    strerror(errno));
			snprintf(err, errlen, "bind [%s]:%d: %s", ntop, bound,
			    strerror(errno));
			close(fd);
			continue;
		}
		if (listen(fd, FWD_LISTEN_BACKLOG) != 0) {
			log_error("listen [%s]:%d: %s", ntop, bound,
			    strerror(errno));
			snprintf(err, errlen, "listen: %s", strerror(errno));
			close(fd);
			continue;
		}
		if (bound == 0) {
			sl = sizeof(ss);
			if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 ||
			    addr_from_sockaddr((struct sockaddr *)&ss, sl,
			    &a->pa[i], &p) != PC_OK || p <= 0) {
				log_error("getsockname: %s", strerror(errno));
				close(fd);
				continue;
			}
			bound = p;
			log_debug("Allocated listen port %d", bound);
		}
		lst->fds[lst->nfds++] = fd;
	}
	if (lst->nfds == 0) {
		log_error("cannot listen to port: %d", port);
		rc = PC_ERR_SYSTEM;
		goto out;
	}
	lst->port = bound;
	rc = PC_OK;
out:
	free(a);
	return rc;
}

int
fwd_remote_listen(struct fwd_state *fs, ssh_message msg)
{
	struct conn *c = fs->c;
	struct pc_subject subj;
	struct pc_request req;
	struct pc_decision d;
	struct fwd_listener *lst;
	const char *addr;
	char err[200], hp[300], note[400];
	int port, i;

	addr = ssh_message_global_request_address(msg);
	port = ssh_message_global_request_port(msg);
	if (addr == NULL)
		addr = "";
	if (port < 0 || port > 65535) {
		log_info("forward listen refused: user=%s from=%s: bad port "
		    "%d", c->user, c->client_addr, port);
		(void)ssh_message_reply_default(msg);
		return 0;
	}
	if (c->cfg.max_forward_listeners > 0 &&
	    fs->nlisteners >= (size_t)c->cfg.max_forward_listeners) {
		log_info("forward listen refused: user=%s from=%s port=%d "
		    "listen=%s: MaxForwardListeners %d reached", c->user,
		    c->client_addr, c->client_port,
		    fwd_hostport(addr, port, hp, sizeof(hp)),
		    c->cfg.max_forward_listeners);
		(void)ssh_message_reply_default(msg);
		return 0;
	}

	fwd_subject(c, &subj);
	memset(&req, 0, sizeof(req));
	req.kind = PC_LISTEN;
	req.host = addr;
	req.port = port;
	policy_decide(c->policy, &subj, &req, &d);
	if (!d.allow) {
		fwd_log_decision(fs, &req, &d);
		fwd_log_openssh_denial(fs, &req, NULL, 0, &d);
		(void)ssh_message_reply_default(msg);
		return 0;
	}

	/* for port 0 the line waits for the allocated port */
	if (!d.port_deferred)
		fwd_log_decision(fs, &req, &d);
	lst = xcalloc(1, sizeof(*lst));
	lst->fs = fs;
	lst->addr = xstrdup(addr);
	lst->req_port = port;
	if (fwd_remote_bind(fs, &d, port, lst, err, sizeof(err)) != PC_OK) {
		if (d.port_deferred)
			fwd_log_decision(fs, &req, &d);
		log_info("forward listen failed: user=%s listen=%s: %s",
		    c->user, fwd_hostport(addr, port, hp, sizeof(hp)), err);
		fwd_listener_free(lst);
		(void)ssh_message_reply_default(msg);
		return 0;
	}
	if (d.port_deferred) {
		/* Decision 4: the port rules judge the allocated port; the
		 * line shows it */
		req.allocated_port = lst->port;
		policy_decide(c->policy, &subj, &req, &d);
		fwd_log_decision(fs, &req, &d);
	}
	if (!d.allow) {
		fwd_log_openssh_denial(fs, &req, NULL, 0, &d);
		for (i = 0; i < lst->nfds; i++)
			close(lst->fds[i]);	/* never watched */
		fwd_listener_free(lst);
		(void)ssh_message_reply_default(msg);
		return 0;
	}
	for (i = 0; i < lst->nfds; i++) {
		if (sloop_watch(c->loop, lst->fds[i], POLLIN,
		    fwd_remote_fd_cb, lst) != PC_OK)
			log_error("cannot watch listener fd %d", lst->fds[i]);
	}
	lst->next = fs->listeners;
	fs->listeners = lst;
	fs->nlisteners++;
	if (d.gateway_overridden) {
		snprintf(note, sizeof(note), "Forwarding listen address \"%s\" "
		    "overridden by server GatewayPorts", addr);
		(void)ssh_send_debug(c->session, note, 0);
	}
	/* appends the port only when the request had port 0 (RFC 4254
	 * 7.1); nothing is sent if the client did not want a reply */
	if (ssh_message_global_request_reply_success(msg,
	    (uint16_t)lst->port) != SSH_OK)
		log_error("forward listen: cannot send the reply");
	log_verbose("forward listen: user=%s listen=%s: %d socket(s)",
	    c->user, fwd_hostport(addr, lst->port, hp, sizeof(hp)),
	    lst->nfds);
	return 0;
}

/* A.8: by exact string and (bound) port; established channels stay. */
int
fwd_remote_cancel(struct fwd_state *fs, ssh_message msg)
{
	struct conn *c = fs->c;
	struct fwd_listener *lst;
	const char *addr;
	char hp[300];
	int port, n = 0;

	addr = ssh_message_global_request_address(msg);
	port = ssh_message_global_request_port(msg);
	if (addr == NULL)
		addr = "";
	for (lst = fs->listeners; lst != NULL; lst = lst->next) {
		if (lst->dead || lst->port != port ||
		    strcmp(lst->addr, addr) != 0)
			continue;
		fwd_listener_close(fs, lst);
		lst->dead = true;
		fs->nlisteners--;
		n++;
	}
	fwd_hostport(addr, port, hp, sizeof(hp));
	if (n == 0) {
		log_verbose("forward cancel: user=%s listen=%s: no such "
		    "forward", c->user, hp);
		(void)ssh_message_reply_default(msg);
		return 0;
	}
	log_info("forward cancel: user=%s listen=%s", c->user, hp);
	(void)ssh_message_global_request_reply_success(msg, 0);
	return 0;
}

/* OPENING: ask again until the client answered. */
void
fwd_remote_opening_tick(struct fwd_chan *fc)
{
	char hp[300];
	int rc;

	rc = ssh_channel_open_reverse_forward(fc->ch, fc->host, fc->port,
	    fc->peer_ip, fc->peer_port);
	if (rc == SSH_AGAIN)
		return;
	if (rc != SSH_OK) {
		/* XXX libssh 0.10 keeps a refused channel on the session's
		 * list until the session ends (no CLOSE will come) */
		fwd_chan_fail(fc, "the client refused the forwarded-tcpip "
		    "channel");
		return;
	}
	log_verbose("forward listen: user=%s listen=%s: connection from %s "
	    "port %d forwarded", fc->fs->c->user,
	    fwd_hostport(fc->host, fc->port, hp, sizeof(hp)), fc->peer_ip,
	    fc->peer_port);
	if (fwd_chan_start_relay(fc) != PC_OK)
		fwd_chan_fail(fc, "relay set-up failed");
}

static void
fwd_remote_accept(struct fwd_state *fs, struct fwd_listener *lst, int fd,
    const struct sockaddr_storage *ss, socklen_t sl)
{
	struct conn *c = fs->c;
	struct fwd_chan *fc;
	struct pc_addr pa;
	char ip[INET6_ADDRSTRLEN];
	ssh_channel ch;
	int port = 0;

	snprintf(ip, sizeof(ip), "UNKNOWN");
	if (addr_from_sockaddr((const struct sockaddr *)ss, sl, &pa,
	    &port) == PC_OK)
		addr_ntop(&pa, ip, sizeof(ip));
	if (fwd_chan_limit(fs, "listen", lst->addr, lst->port)) {
		close(fd);
		return;
	}
#ifdef FWD_WRAP
	{
		char name[32], note[300];

		/* Decision 8: hosts_access with sshdfwd-PORT; a denied
		 * connection is dropped, the listener stays */
		if (wrap_fwd_daemon_name(lst->port, name, sizeof(name)) != 0 ||
		    wrap_check(name, ip, c->cfg.hosts_allow_file,
		    c->cfg.hosts_deny_file) != 1) {
			snprintf(note, sizeof(note), "Fwd connection from %s "
			    "to local port %d refused by tcp_wrappers.", ip,
			    lst->port);
			log_info("%s", note);
			(void)ssh_send_debug(c->session, note, 0);
			close(fd);
			return;
		}
	}
#endif
	fwd_socket_tune(fd);
	if ((ch = ssh_channel_new(c->session)) == NULL) {
		log_error("forward listen: ssh_channel_new failed");
		close(fd);
		return;
	}
	fc = fwd_chan_new(fs, FC_OPENING, true, lst->addr, lst->port, ch, fd);
	snprintf(fc->peer_ip, sizeof(fc->peer_ip), "%s", ip);
	fc->peer_port = port;
	/* sends CHANNEL_OPEN; the answer is collected on later rounds */
	fwd_remote_opening_tick(fc);
}

static void
fwd_remote_accept_all(struct fwd_state *fs, struct fwd_listener *lst)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int i, k, fd;

	for (i = 0; i < lst->nfds && !lst->dead; i++) {
		for (k = 0; k < FWD_ACCEPTS && !lst->dead; k++) {
			sl = sizeof(ss);
			fd = accept4(lst->fds[i], (struct sockaddr *)&ss, &sl,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd < 0) {
				if (errno == EINTR || errno == ECONNABORTED)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK) {
					log_error("accept on port %d: %s",
					    lst->port, strerror(errno));
					/* e.g. EMFILE: try again later */
					sloop_want_timeout(fs->c->loop, 100);
				}
				break;
			}
			fwd_remote_accept(fs, lst, fd, &ss, sl);
		}
	}
}

void
fwd_remote_tick(struct fwd_state *fs)
{
	struct fwd_listener **pp, *lst;

	/* free what was cancelled (not inside the walk below: a cancel
	 * may arrive in a libssh round run from an accept's open) */
	for (pp = &fs->listeners; (lst = *pp) != NULL; ) {
		if (lst->dead) {
			*pp = lst->next;
			fwd_listener_free(lst);
		} else {
			pp = &lst->next;
		}
	}
	for (lst = fs->listeners; lst != NULL; lst = lst->next) {
		if (!lst->ready || lst->dead)
			continue;
		lst->ready = false;
		fwd_remote_accept_all(fs, lst);
	}
}

void
fwd_remote_cleanup(struct fwd_state *fs)
{
	struct fwd_listener *lst;

	while ((lst = fs->listeners) != NULL) {
		fs->listeners = lst->next;
		if (!lst->dead) {
			fwd_listener_close(fs, lst);
			fs->nlisteners--;
		}
		fwd_listener_free(lst);
	}
}

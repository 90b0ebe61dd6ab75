/*
 * direct-tcpip (client -L, -D, -W; RFC 4254 7.2), from the message
 * callback:
 *
 *   request check -> MaxForwardChannels -> resolve once (bounded) ->
 *   policy_decide(name + addresses) -> connect to the checked addresses,
 *   waiting at most ForwardConnectWait ms:
 *     every address refused/unreachable  -> refuse the channel
 *     connected                          -> accept, relay
 *     still connecting                   -> accept (CONNECTING), finish
 *                                           in the tick, close the
 *                                           channel if it fails
 *
 * libssh 0.10 can only refuse with "administratively prohibited" and no
 * text (Decision 10), so the log says which of these happened.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policy/policy.h"
#include "sshd/fwd_int.h"
#include "sshd/loop.h"

/* A client sending this much beyond its window while we connect breaks
 * the protocol (the relay applies the same bound). */
#define FWD_LOCAL_HOLD_MAX (4 * 1024 * 1024)

/* CONNECTING: the client's bytes wait in libssh until the relay pulls
 * them (it starts by draining what is buffered). */
static int
fwd_local_cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len,
    int is_stderr, void *ud)
{
	struct fwd_chan *fc = ud;

	(void)s;
	(void)ch;
	(void)data;
	(void)is_stderr;
	if (len > FWD_LOCAL_HOLD_MAX)
		fc->peer_closed = true;
	return 0;
}

static void
fwd_local_cb_close(ssh_session s, ssh_channel ch, void *ud)
{
	struct fwd_chan *fc = ud;

	(void)s;
	(void)ch;
	fc->peer_closed = true;
}

static void
fwd_local_fd_cb(int fd, short revents, void *arg)
{
	struct fwd_chan *fc = arg;

	(void)fd;
	(void)revents;
	fc->conn_ready = true;
}

static void
fwd_local_connected(struct fwd_chan *fc)
{
	struct sloop *l = fc->fs->c->loop;
	char hp[300];

	sloop_unwatch(l, fc->fd);
	ssh_remove_channel_callbacks(fc->ch, &fc->cb);
	if (fwd_chan_start_relay(fc) != PC_OK) {
		fwd_chan_fail(fc, "relay set-up failed");
		return;
	}
	log_verbose("forward open: user=%s to=%s: connected after the "
	    "channel was accepted", fc->fs->c->user,
	    fwd_hostport(fc->host, fc->port, hp, sizeof(hp)));
}

/* The tick: finish a connect that outlived ForwardConnectWait. */
void
fwd_local_tick(struct fwd_chan *fc)
{
	struct sloop *l = fc->fs->c->loop;
	enum fwd_conn_result cr;
	char why[128];
	int err, fd;

	if (fc->peer_closed) {
		fwd_chan_fail(fc, "the client closed the channel before the "
		    "connect completed");
		return;
	}
	if (!fc->conn_ready)
		return;
	fc->conn_ready = false;
	cr = fwd_connect_finish(fc->fd, &err);
	if (cr == FWD_CONN_PENDING)
		return;
	if (cr == FWD_CONN_OK) {
		fwd_local_connected(fc);
		return;
	}
	/* this address failed: go on with the other checked ones */
	sloop_close(l, fc->fd);
	fc->fd = -1;
	fd = -1;
	cr = fc->addrs == NULL ? FWD_CONN_FAIL :
	    fwd_connect(fc->addrs, &fc->next_addr, 0, &fd, &err);
	if (cr == FWD_CONN_FAIL) {
		log_error("connect_to %s port %d: failed.", fc->host,
		    fc->port);
		snprintf(why, sizeof(why), "connect: %s (channel closed)",
		    strerror(err));
		fwd_chan_fail(fc, why);
		return;
	}
	fc->fd = fd;
	if (cr == FWD_CONN_OK) {
		fwd_local_connected(fc);
		return;
	}
	if (sloop_watch(l, fd, POLLOUT, fwd_local_fd_cb, fc) != PC_OK)
		fwd_chan_fail(fc, "cannot watch the connecting socket");
}

int
fwd_local_open(struct fwd_state *fs, ssh_message msg)
{
	struct conn *c = fs->c;
	struct pc_subject subj;
	struct pc_request req;
	struct pc_decision d;
	struct fwd_addrs *a;
	struct fwd_chan *fc;
	enum fwd_conn_result cr;
	const char *host, *orig;
	char lerr[160], hp[300];
	size_t next = 0;
	ssh_channel ch;
	int port, oport, fd = -1, err, rc;

	host = ssh_message_channel_request_open_destination(msg);
	port = ssh_message_channel_request_open_destination_port(msg);
	orig = ssh_message_channel_request_open_originator(msg);
	oport = ssh_message_channel_request_open_originator_port(msg);
	if (host == NULL)
		host = "";
	if (orig == NULL)
		orig = "";
	/* XXX libssh 0.10 parses both ports into 16 bits, so a port above
	 * 65535 reaches us already truncated; what we check is what we
	 * connect to, so nothing is bypassed, but the request cannot be
	 * refused as OpenSSH does. */
	if (port < 0 || port > 65535 || oport < 0 || oport > 65535) {
		log_info("forward open refused: user=%s from=%s: bad port in "
		    "request", c->user, c->client_addr);
		return 1;
	}
	if (fwd_chan_limit(fs, "open", host, port))
		return 1;

	/* Decision 5: one lookup; the policy sees its addresses and the
	 * connect uses exactly those. */
	a = xcalloc(1, sizeof(*a));
	rc = fwd_resolve(fs, host, port, fwd_family(c), false,
	    c->cfg.forward_lookup_timeout, a, lerr, sizeof(lerr));
	fwd_subject(c, &subj);
	memset(&req, 0, sizeof(req));
	req.kind = PC_OPEN;
	req.host = host;
	req.port = port;
	req.addrs = a->n > 0 ? a->pa : NULL;
	req.naddrs = a->n;
	policy_decide(c->policy, &subj, &req, &d);
	fwd_log_decision(fs, &req, &d);
	if (!d.allow) {
		fwd_log_openssh_denial(fs, &req, orig, oport, &d);
		free(a);
		return 1;
	}
	fwd_hostport(host, port, hp, sizeof(hp));
	if (rc != PC_OK) {
		log_info("forward open failed: user=%s to=%s: lookup: %s "
		    "(channel refused)", c->user, hp, lerr);
		log_error("connect_to %s: unknown host (%s)", host, lerr);
		free(a);
		return 1;
	}

	cr = fwd_connect(a, &next, c->cfg.forward_connect_wait, &fd, &err);
	if (cr == FWD_CONN_FAIL) {
		log_info("forward open failed: user=%s to=%s: connect: %s "
		    "(channel refused)", c->user, hp, strerror(err));
		log_error("connect_to %s port %d: failed.", host, port);
		free(a);
		return 1;
	}
	if ((ch = ssh_message_channel_request_open_reply_accept(msg)) ==
	    NULL) {
		log_error("forward open: user=%s to=%s: cannot accept the "
		    "channel", c->user, hp);
		close(fd);
		free(a);
		return 1;
	}
	fc = fwd_chan_new(fs, FC_CONNECTING, false, host, port, ch, fd);
	fc->cb.userdata = fc;
	fc->cb.channel_data_function = fwd_local_cb_data;
	fc->cb.channel_close_function = fwd_local_cb_close;
	ssh_callbacks_init(&fc->cb);
	if (cr == FWD_CONN_OK) {
		log_verbose("forward open: user=%s to=%s: connected",
		    c->user, hp);
		free(a);
		if (fwd_chan_start_relay(fc) == PC_OK) {
			/* accepted just now: nothing buffered to pull */
			relay_fresh(fc->relay);
			return 0;
		}
		/* the tick retries (and closes the channel on failure) */
		fc->conn_ready = true;
		a = NULL;
	}
	/* hold the client's bytes until the relay exists; hooked before
	 * this callback returns, so no packet is processed in between */
	if (ssh_add_channel_callbacks(ch, &fc->cb) != SSH_OK)
		fc->peer_closed = true;		/* the tick closes it */
	if (a == NULL)
		return 0;
	log_verbose("forward open: user=%s to=%s: still connecting after "
	    "%d ms, channel accepted", c->user, hp,
	    c->cfg.forward_connect_wait);
	fc->addrs = a;
	fc->next_addr = next;
	if (sloop_watch(c->loop, fd, POLLOUT, fwd_local_fd_cb, fc) != PC_OK)
		fc->peer_closed = true;
	return 0;
}

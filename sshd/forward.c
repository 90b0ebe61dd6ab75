/*
 * TCP forwarding: entry points from conn.c and what direct-tcpip and
 * tcpip-forward share (policy subject, logging, channel bookkeeping,
 * limits, the bookkeeping tick).  DESIGN.md 'Forwarding'.
 *
 * Everything libssh hands us arrives in the message callback and must be
 * answered before it returns (notes 2.5, 3.1): fwd_local.c and
 * fwd_remote.c decide, connect or bind, and reply there.  What continues
 * afterwards (connects still in progress, forwarded-tcpip opens waiting
 * for the client, accepts on listeners) runs in fwd_tick(), after every
 * ssh_event_dopoll() round, never inside libssh's iteration.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policy/explain.h"
#include "policy/policy.h"
#include "sshd/config.h"
#include "sshd/forward.h"
#include "sshd/fwd_int.h"
#include "sshd/loop.h"
#include "sshd/relay.h"

/* ---- shared helpers ---- */

void
fwd_subject(const struct conn *c, struct pc_subject *s)
{
	memset(s, 0, sizeof(*s));
	s->user = c->user;
	s->uid = c->uid;
	s->groups = (const char *const *)c->groups;
	s->client_addr = c->client_addr;
	s->client_host = c->client_host != NULL ? c->client_host :
	    c->client_addr;
	s->key = c->have_key_opts ? &c->key_opts : NULL;
}

int
fwd_family(const struct conn *c)
{
	switch (c->cfg.address_family) {
	case CFG_AF_INET:
		return AF_INET;
	case CFG_AF_INET6:
		return AF_INET6;
	default:
		return AF_UNSPEC;
	}
}

/* HOST:PORT for our own log lines, as policy_format_log() writes it:
 * the host as sent, non-printable bytes as \xHH (the client chose it:
 * no forged log lines). */
const char *
fwd_hostport(const char *host, int port, char *buf, size_t len)
{
	size_t o = 0;
	unsigned char ch;

	if (host == NULL)
		host = "";
	for (; *host != '\0' && o + 5 < len; host++) {
		ch = (unsigned char)*host;
		if (ch < 0x20 || ch >= 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	snprintf(buf + o, len - o, ":%d", port);
	return buf;
}

/* The one INFO line per decision (DESIGN.md 'Logging and audit'). */
void
fwd_log_decision(const struct fwd_state *fs, const struct pc_request *r,
    const struct pc_decision *d)
{
	const struct conn *c = fs->c;
	char line[1024];

	(void)policy_format_log(line, sizeof(line), c->user, c->client_addr,
	    c->client_port, r, d);
	log_info("%s", line);
}

/* OpenSSH 9.2's own lines and client notices for a denial (POLICY.md
 * A.7, A.11), so existing log tooling keeps working. */
void
fwd_log_openssh_denial(const struct fwd_state *fs,
    const struct pc_request *r, const char *orig, int oport,
    const struct pc_decision *d)
{
	const struct conn *c = fs->c;
	const char *layer = d->nlayers > 0 ? d->layers[d->nlayers - 1].name :
	    "";
	char line[1024];

	if (policy_explain_openssh(line, sizeof(line), c->client_addr,
	    c->client_port, orig, oport, r, d) != PC_ERR_NOTFOUND)
		log_info("%s", line);
	if (r->kind == PC_OPEN)
		return;
	if (d->openssh_denial == 2) {
		(void)ssh_send_debug(c->session, "port forwarding refused", 0);
	} else if (strcmp(layer, "DisableForwarding") == 0 ||
	    strcmp(layer, "AllowTcpForwarding") == 0 ||
	    strcmp(layer, "key") == 0 || strcmp(layer, "request") == 0 ||
	    strcmp(layer, "PrivilegedPort") == 0) {
		/* OpenSSH logs nothing at INFO here (A.7 step 1: also a
		 * port > INT_MAX and, without privsep, bind_permitted()'s
		 * port < 1024 for a non-root user) */
		(void)ssh_send_debug(c->session,
		    "Server has disabled port forwarding.", 0);
	}
}

/* MaxForwardChannels: true (and logged) when no channel may be added. */
bool
fwd_chan_limit(struct fwd_state *fs, const char *what, const char *host,
    int port)
{
	const struct conn *c = fs->c;
	char hp[300];

	if (c->cfg.max_forward_channels <= 0 ||
	    fs->nchans < (size_t)c->cfg.max_forward_channels)
		return false;
	log_info("forward %s refused: user=%s from=%s port=%d %s=%s: "
	    "MaxForwardChannels %d reached", what, c->user, c->client_addr,
	    c->client_port, strcmp(what, "open") == 0 ? "to" : "listen",
	    fwd_hostport(host, port, hp, sizeof(hp)),
	    c->cfg.max_forward_channels);
	return true;
}

struct fwd_chan *
fwd_chan_new(struct fwd_state *fs, enum fwd_chan_state st, bool remote,
    const char *host, int port, ssh_channel ch, int fd)
{
	struct fwd_chan *fc;

	fc = xcalloc(1, sizeof(*fc));
	fc->fs = fs;
	fc->state = st;
	if (st != FC_OPEN)
		fs->npending++;
	fc->remote = remote;
	fc->host = xstrdup(host != NULL ? host : "");
	fc->port = port;
	fc->ch = ch;
	fc->fd = fd;
	(void)clock_gettime(CLOCK_MONOTONIC, &fc->started);
	fc->next = fs->chans;
	if (fs->chans != NULL)
		fs->chans->prev = fc;
	fs->chans = fc;
	fs->nchans++;
	return fc;
}

void
fwd_chan_free(struct fwd_chan *fc)
{
	struct fwd_state *fs = fc->fs;

	if (fc->prev != NULL)
		fc->prev->next = fc->next;
	else
		fs->chans = fc->next;
	if (fc->next != NULL)
		fc->next->prev = fc->prev;
	fs->nchans--;
	if (fc->state != FC_OPEN)
		fs->npending--;
	free(fc->addrs);
	free(fc->host);
	free(fc);
}

/* forward close: user=U {to|listen}=HOST:PORT sent=N received=N
 * duration=S.mmm -- sent: bytes we sent the client on this channel,
 * received: bytes the client sent us (delivered to the socket). */
static void
fwd_log_close(const struct fwd_chan *fc, uint64_t sent, uint64_t received,
    const struct timespec *started)
{
	struct timespec now;
	long long ms;
	char hp[300];

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(now.tv_sec - started->tv_sec) * 1000 +
	    (now.tv_nsec - started->tv_nsec) / 1000000;
	if (ms < 0)
		ms = 0;
	log_info("forward close: user=%s %s=%s sent=%llu received=%llu "
	    "duration=%lld.%03lld", fc->fs->c->user,
	    fc->remote ? "listen" : "to",
	    fwd_hostport(fc->host, fc->port, hp, sizeof(hp)),
	    (unsigned long long)sent, (unsigned long long)received,
	    ms / 1000, ms % 1000);
}

static void
fwd_relay_done(struct relay *r, const struct relay_stats *st, void *arg)
{
	struct fwd_chan *fc = arg;

	(void)r;
	fwd_log_close(fc, st->to_channel, st->from_channel, &fc->started);
	/* the relay frees the channel and closes the socket */
	fwd_chan_free(fc);
}

/* CONNECTING/OPENING -> OPEN: the relay owns channel and socket now. */
int
fwd_chan_start_relay(struct fwd_chan *fc)
{
	struct relay_hooks hooks;
	struct fwd_state *fs = fc->fs;

	memset(&hooks, 0, sizeof(hooks));
	hooks.on_done = fwd_relay_done;
	hooks.arg = fc;
	fc->relay = relay_new(fs->c->loop, fc->ch, RELAY_SOCKET, fc->fd,
	    fc->fd, -1, &hooks);
	if (fc->relay == NULL)
		return PC_ERR_SYSTEM;
	if (fc->state != FC_OPEN)
		fs->npending--;
	fc->state = FC_OPEN;
	fc->fd = -1;
	fc->ch = NULL;
	return PC_OK;
}

/* A channel that never reached the relay: log, close both ends, free.
 * Only from the tick or clean-up. */
void
fwd_chan_fail(struct fwd_chan *fc, const char *why)
{
	struct sloop *l = fc->fs->c->loop;
	char hp[300];

	log_info("forward %s failed: user=%s %s=%s: %s",
	    fc->remote ? "listen" : "open", fc->fs->c->user,
	    fc->remote ? "listen" : "to",
	    fwd_hostport(fc->host, fc->port, hp, sizeof(hp)), why);
	if (fc->fd >= 0)
		sloop_close(l, fc->fd);
	fc->fd = -1;
	if (fc->ch != NULL) {
		if (fc->state == FC_CONNECTING) {
			/* accepted: it was open, close it properly */
			ssh_remove_channel_callbacks(fc->ch, &fc->cb);
			if (ssh_channel_close(fc->ch) == SSH_AGAIN)
				(void)ssh_channel_close(fc->ch);
			fwd_log_close(fc, 0, 0, &fc->started);
		}
		ssh_channel_free(fc->ch);
		fc->ch = NULL;
	}
	fwd_chan_free(fc);
}

/* ---- the bookkeeping pass ---- */

static void
fwd_tick(void *arg)
{
	struct fwd_state *fs = arg;
	struct fwd_chan *fc, *next;

	if (fs->orphans != NULL)
		fwd_lookup_reap(fs, false);
	fwd_remote_tick(fs);
	if (fs->npending == 0)
		return;
	for (fc = fs->chans; fc != NULL; fc = next) {
		next = fc->next;
		if (fc->state == FC_CONNECTING)
			fwd_local_tick(fc);
		else if (fc->state == FC_OPENING)
			fwd_remote_opening_tick(fc);
	}
}

/* ---- entry points (forward.h) ---- */

int
fwd_init(struct conn *c)
{
	struct policy_config pc;
	struct fwd_state *fs;

	if (c->loop == NULL)
		return PC_ERR_INVAL;
	fs = xcalloc(1, sizeof(*fs));
	fs->c = c;
	memset(&pc, 0, sizeof(pc));
	config_policy_view(&c->cfg, &pc);
	if (policy_new(&pc, &c->policy) != PC_OK) {
		/* policy_decide() denies everything without a policy */
		log_error("forwarding policy for %s could not be built: every "
		    "forwarding request will be refused", c->user);
		c->policy = NULL;
	}
	if ((fs->tick_id = sloop_add_tick(c->loop, fwd_tick, fs)) < 0) {
		policy_free(c->policy);
		c->policy = NULL;
		free(fs);
		return PC_ERR_SYSTEM;
	}
	c->fwd = fs;
	return PC_OK;
}

int
fwd_handle_message(struct conn *c, ssh_message msg)
{
	struct fwd_state *fs = c->fwd;

	if (fs == NULL)
		return 1;
	switch (ssh_message_type(msg)) {
	case SSH_REQUEST_CHANNEL_OPEN:
		if (ssh_message_subtype(msg) == SSH_CHANNEL_DIRECT_TCPIP)
			return fwd_local_open(fs, msg);
		/* forwarded-tcpip from a client, x11, auth-agent, and the
		 * streamlocal types libssh 0.10 cannot parse (notes 3.4) */
		log_verbose("refused channel open of type %d from %s",
		    ssh_message_subtype(msg), c->client_addr);
		return 1;
	case SSH_REQUEST_GLOBAL:
		switch (ssh_message_subtype(msg)) {
		case SSH_GLOBAL_REQUEST_TCPIP_FORWARD:
			return fwd_remote_listen(fs, msg);
		case SSH_GLOBAL_REQUEST_CANCEL_TCPIP_FORWARD:
			return fwd_remote_cancel(fs, msg);
		default:
			return 1;
		}
	default:
		return 1;
	}
}

void
fwd_cleanup(struct conn *c)
{
	struct fwd_state *fs = c->fwd;
	struct fwd_chan *fc, *next;

	if (fs == NULL)
		return;
	fwd_remote_cleanup(fs);
	for (fc = fs->chans; fc != NULL; fc = next) {
		next = fc->next;
		if (fc->state == FC_OPEN)
			relay_abort(fc->relay);	/* on_done frees fc */
		else
			fwd_chan_fail(fc, "connection closed");
	}
	fwd_lookup_reap(fs, true);
	if (fs->tick_id > 0)
		sloop_remove_tick(c->loop, fs->tick_id);
	policy_free(c->policy);
	c->policy = NULL;
	/* XXX lookups glibc still runs are left behind with fs: the
	 * process ends right after the clean-up */
	if (fs->orphans == NULL)
		free(fs);
	c->fwd = NULL;
}

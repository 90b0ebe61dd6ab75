/*
 * Relay: bytes between an SSH channel and file descriptors, with
 * backpressure both ways and bounded memory (DESIGN.md 'Relay').
 *
 * State machine (one struct relay per channel; interest in fds is computed
 * from it in one place, relay_interest()):
 *
 *   up (fd -> channel), per output fd (out, and err in session mode):
 *     READING    read at most min(buffer, remote window) in whole packets;
 *                nothing is read while a tail is unsent or the window is 0
 *     TAIL       ssh_channel_write() took part (window, rekey): keep the
 *                rest, retry every round, no POLLIN meanwhile
 *     EOF        read returned 0 / an error; buffer drained ->
 *                socket mode: channel EOF sent; session mode:
 *                on_output_done (the owner sends exit-status, then
 *                relay_finish() sends EOF + CLOSE)
 *
 *   down (channel -> in fd):
 *     DIRECT     the data callback writes straight to the fd and returns
 *                what the fd took
 *     HELD       the fd would block, or data sits in libssh (start,
 *                after a partial write): the callback returns 0 (order!);
 *                on POLLOUT the tick flushes our buffer, then pulls
 *                *everything* libssh holds at once (see below) and
 *                writes; back to DIRECT when libssh's buffer is empty
 *     DONE       channel EOF and nothing held -> shutdown(SHUT_WR) for a
 *                socket, close for a pipe (never the shared pty fd)
 *
 *   socket mode ends when (EOF sent or peer CLOSE) and down is DONE, or on
 *   an error (with both EOFs exchanged it first gives the peer up to 2 s
 *   to send CLOSE: relay_close_wait()); session mode ends on
 *   relay_finish() or peer CLOSE.  The end
 *   (teardown) sends CLOSE, closes the fds, runs on_done, frees the
 *   channel and the relay -- always from the tick or after the loop,
 *   never inside a libssh callback.
 *
 * Rounds: the tick is a loop task (sloop_task_*), run only in rounds where
 * something happened to this relay: an fd event, a channel callback that
 * left work (data held back, EOF, CLOSE), relay_finish/abort, or its own
 * request to come back (more to pull, a retry or close deadline, a remote
 * window of 0: libssh 0.10 has no callback for WINDOW_ADJUST, so a relay
 * blocked on the window looks again every round, as all relays used to).
 * A relay whose data flows straight through the data callback costs
 * nothing per round; with many channels the old every-relay-every-round
 * pass was a third of the connection's instructions.
 *
 * Why "pull everything": ssh_channel_read*() in libssh 0.10 re-grows the
 * local window to 1.28 MB whenever it is below half of that, ignoring what
 * is still buffered.  Pulling 64 KiB at a time from a full buffer would
 * hand the client a fresh 1.28 MB window per 64 KiB consumed, and a slow
 * target would let libssh's buffer grow without bound.  Pulling the whole
 * buffer (at most one window) only when ours is empty bounds memory at
 * about two windows per channel.  A client that sends far beyond its
 * window (RELAY_PULL_MAX buffered) breaks the protocol: we stop the
 * connection rather than buffer it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/loop.h"
#include "sshd/relay.h"
#include "sshd/relay_int.h"

static void relay_teardown(struct relay *r);

/* ---- fd events (flags only: may run inside a recursive libssh poll) */

static void
relay_fd_cb(int fd, short revents, void *arg)
{
	struct relay *r = arg;
	int i;

	for (i = 0; i < 2; i++) {
		if (r->up[i].fd == fd &&
		    (revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
			r->up[i].ready = true;
	}
	if (r->infd == fd &&
	    (revents & (POLLOUT | POLLHUP | POLLERR | POLLNVAL)))
		r->wait_out = false;
	sloop_task_wake(r->task);
}

/* ---- channel callbacks (flags and direct writes only) ---- */

static int
relay_cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len,
    int is_stderr, void *ud)
{
	struct relay *r = ud;
	ssize_t n;

	(void)s;
	(void)ch;
	if (len > RELAY_PULL_MAX) {
		r->violation = true;
		sloop_task_wake(r->task);
		return 0;
	}
	/* Extended data from the client has no destination (RFC 4254 5.2
	 * defines it for the server's stderr only): drop it. */
	if (is_stderr)
		return (int)len;
	if (r->torn || r->down == DOWN_DONE || r->infd < 0)
		return (int)len;	/* nowhere to go: discard */
	if (r->down == DOWN_HELD || r->pulling) {
		/* earlier bytes first; the tick pulls this later */
		sloop_task_wake(r->task);
		return 0;
	}
	n = relay_write_fd(r->infd, r->in_sock, data, len);
	if (n < 0) {
		if (relay_again(errno)) {
			r->down = DOWN_HELD;
			r->wait_out = true;
			sloop_task_wake(r->task);
			return 0;
		}
		/* the reader is gone: discard from now on */
		log_debug("relay: write: %s", strerror(errno));
		r->down = DOWN_DONE;
		sloop_task_wake(r->task);
		return (int)len;
	}
	r->st.from_channel += (uint64_t)n;
	if ((uint32_t)n < len) {
		r->down = DOWN_HELD;
		r->wait_out = true;
		sloop_task_wake(r->task);
	}
	/* all written: nothing for the tick to do */
	return (int)n;
}

static void
relay_cb_eof(ssh_session s, ssh_channel ch, void *ud)
{
	struct relay *r = ud;

	(void)s;
	(void)ch;
	r->ch_eof = true;
	sloop_task_wake(r->task);
}

static void
relay_cb_close(ssh_session s, ssh_channel ch, void *ud)
{
	struct relay *r = ud;

	(void)s;
	(void)ch;
	/* libssh sets remote_eof on CLOSE without an EOF callback */
	r->ch_eof = true;
	r->ch_closed = true;
	sloop_task_wake(r->task);
}

/* ---- interest: computed from the state, in one place ---- */

static void
relay_interest(struct relay *r)
{
	short ev[3] = { 0, 0, 0 };
	bool can_read;
	int i, j;

	can_read = relay_can_send(r) && ssh_channel_window_size(r->ch) > 0;
	for (j = 0; j < r->nfds; j++) {
		for (i = 0; i < 2; i++) {
			if (r->up[i].fd == r->fds[j] && !r->up[i].eof &&
			    r->up[i].len == 0 && can_read)
				ev[j] |= POLLIN;
		}
		if (r->infd == r->fds[j] && r->down == DOWN_HELD &&
		    r->wait_out)
			ev[j] |= POLLOUT;
	}
	for (j = 0; j < r->nfds; j++) {
		if (r->fds[j] < 0 || ev[j] == r->fdev[j])
			continue;
		if (sloop_watch(r->l, r->fds[j], ev[j], relay_fd_cb, r) ==
		    PC_OK)
			r->fdev[j] = ev[j];
	}
}

/* ---- the bookkeeping pass ---- */

/*
 * Socket mode, both EOFs exchanged: let the peer send CLOSE first, for a
 * while.  A client may send a channel request (PuTTY's winadj@putty...
 * with want-reply) before it sees our CLOSE; libssh 0.10 answers requests
 * even on channels we closed, so the answer would follow our CLOSE, which
 * RFC 4254 5.3 forbids and PuTTY treats as fatal.  PuTTY closes on its
 * own once both EOFs are through, so this costs it a round trip.  Not for
 * OpenSSH (relay_peer_closes_late()): its -W / ProxyJump channel never
 * sends CLOSE first, so every such connection waited the whole grace.
 * True while still waiting.
 */
static bool
relay_close_wait(struct relay *r)
{
	long long now;

	if (r->ch_closed || !r->eof_sent || !r->ch_eof || r->aborted ||
	    r->close_first)
		return false;
	now = sloop_now_ms();
	if (r->close_deadline == 0)
		r->close_deadline = now + RELAY_CLOSE_GRACE_MS;
	if (now >= r->close_deadline)
		return false;
	sloop_want_timeout(r->l, (int)(r->close_deadline - now));
	r->again = true;
	return true;
}

/* Up is paused by a remote window of 0 (no POLLIN meanwhile): only
 * looking tells when the client's WINDOW_ADJUST reopened it. */
static bool
relay_window_blocked(const struct relay *r)
{
	int i;

	if (!relay_can_send(r) || ssh_channel_window_size(r->ch) > 0)
		return false;
	for (i = 0; i < 2; i++) {
		if (r->up[i].fd >= 0 && !r->up[i].eof)
			return true;
	}
	return false;
}

/*
 * An OpenSSH client sends no channel requests on TCP channels, so our
 * CLOSE can go first; and its stdio forward (ssh -W, ProxyJump) waits for
 * it: ssh.c registers that channel's cleanup with detach_close 0, i.e.
 * chan_is_dead() never sends CLOSE first.  Other clients keep the grace.
 */
static bool
relay_peer_closes_late(ssh_channel ch)
{
	ssh_session s = ssh_channel_get_session(ch);
	const char *b = s != NULL ? ssh_get_clientbanner(s) : NULL;

	return b != NULL && strncmp(b, "SSH-2.0-OpenSSH_", 16) == 0;
}

static void
relay_tick(void *arg)
{
	struct relay *r = arg;

	r->again = false;
	if (r->violation) {
		log_error("client exceeded the window of channel: "
		    "closing the connection");
		sloop_stop(r->l);
		relay_teardown(r);
		return;
	}
	if (r->aborted) {
		relay_teardown(r);
		return;
	}
	relay_down(r);
	relay_down_eof(r);
	relay_up(r, &r->up[0]);
	relay_up(r, &r->up[1]);

	if (r->mode == RELAY_SOCKET && !r->ctl_later &&
	    ((relay_up_drained(r) && !r->eof_sent && !r->ch_closed) ||
	    ((r->eof_sent || r->ch_closed) && r->down == DOWN_DONE))) {
		/*
		 * EOF and CLOSE each cost a libssh flush round (0.10 wants a
		 * POLLOUT poll after every send), and tasks run in wake
		 * order: a channel ending in the same round as another
		 * one's data (sequential short connections: one closes as
		 * the next one's reply comes back) would hold that data
		 * behind its two rounds.  Data first: the end goes to the
		 * next round, which polls with a zero timeout.
		 */
		r->ctl_later = true;
		sloop_want_timeout(r->l, 0);
		r->again = true;
	} else if (r->mode == RELAY_SOCKET) {
		if (relay_up_drained(r) && !r->eof_sent && !r->ch_closed) {
			(void)ssh_channel_send_eof(r->ch);
			r->eof_sent = true;
		}
		if ((r->eof_sent || r->ch_closed) && r->down == DOWN_DONE) {
			if (!relay_close_wait(r)) {
				relay_teardown(r);
				return;
			}
		}
	} else {
		if (relay_up_drained(r) && !r->output_done) {
			r->output_done = true;
			if (r->hooks.on_output_done != NULL)
				r->hooks.on_output_done(r, r->hooks.arg);
		}
		/* the peer's CLOSE ends the session channel; finish after
		 * exit-status ends it from our side */
		if (r->ch_closed || r->finish || r->aborted) {
			relay_teardown(r);
			return;
		}
	}
	if (r->violation || r->aborted) {
		sloop_want_timeout(r->l, 0);
		sloop_task_wake(r->task);
		return;
	}
	relay_interest(r);
	if (r->again || relay_window_blocked(r))
		sloop_task_again(r->task);
}

/* Send CLOSE (and EOF first if not sent).  ssh_channel_close() returns
 * early when the EOF's flush would block, before queueing the CLOSE; a
 * second call sends it (the EOF is then already marked sent). */
static void
relay_close_channel(ssh_channel ch)
{
	if (ssh_channel_close(ch) == SSH_AGAIN)
		(void)ssh_channel_close(ch);
}

static void
relay_teardown(struct relay *r)
{
	int j;

	if (r->torn)
		return;
	r->torn = true;
	relay_close_channel(r->ch);
	for (j = 0; j < r->nfds; j++) {
		if (r->fds[j] >= 0)
			sloop_close(r->l, r->fds[j]);
		r->fds[j] = -1;
	}
	r->infd = r->up[0].fd = r->up[1].fd = -1;
	if (r->hooks.on_done != NULL)
		r->hooks.on_done(r, &r->st, r->hooks.arg);
	/* the callback struct lives in r: unhook before either goes */
	ssh_remove_channel_callbacks(r->ch, &r->cb);
	ssh_channel_free(r->ch);
	r->ch = NULL;
	sloop_task_free(r->task);
	r->task = NULL;
	free(r->up[0].buf);
	free(r->up[1].buf);
	free(r->ibuf);
	free(r);
}

/* ---- public ---- */

static int
relay_nonblock(int fd)
{
	int fl;

	/* forwarded sockets come non-blocking already: one call, not two */
	if ((fl = fcntl(fd, F_GETFL)) < 0 || ((fl & O_NONBLOCK) == 0 &&
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)) {
		log_error("fcntl O_NONBLOCK: %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	return PC_OK;
}

static bool
relay_is_socket(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

static void
relay_add_fd(struct relay *r, int fd)
{
	int j;

	if (fd < 0)
		return;
	for (j = 0; j < r->nfds; j++) {
		if (r->fds[j] == fd)
			return;
	}
	r->fds[r->nfds] = fd;
	r->fdev[r->nfds] = 0;
	r->nfds++;
}

struct relay *
relay_new(struct sloop *l, ssh_channel ch, enum relay_mode mode,
    int outfd, int infd, int efd, const struct relay_hooks *hooks)
{
	struct relay *r;
	int i;

	if (l == NULL || ch == NULL || outfd < 0 ||
	    (efd >= 0 && (efd == outfd || efd == infd)))
		return NULL;
	if (relay_nonblock(outfd) != PC_OK ||
	    (infd >= 0 && infd != outfd && relay_nonblock(infd) != PC_OK) ||
	    (efd >= 0 && relay_nonblock(efd) != PC_OK))
		return NULL;

	r = xcalloc(1, sizeof(*r));
	r->l = l;
	r->ch = ch;
	r->mode = mode;
	if (hooks != NULL)
		r->hooks = *hooks;
	(void)clock_gettime(CLOCK_MONOTONIC, &r->st.started);
	r->up[0].fd = outfd;
	r->up[0].cap = RELAY_UP_MIN;
	r->up[0].buf = xmalloc(r->up[0].cap);
	r->up[1].fd = efd;
	r->up[1].is_stderr = true;
	r->up[1].cap = RELAY_UP_MIN;
	if (efd >= 0)
		r->up[1].buf = xmalloc(r->up[1].cap);
	r->infd = infd;
	r->in_shared = infd == outfd;
	/* socket mode relays a socket: no fstat per channel */
	r->in_sock = infd >= 0 &&
	    (mode == RELAY_SOCKET || relay_is_socket(infd));
	r->close_first = mode == RELAY_SOCKET && relay_peer_closes_late(ch);
	for (i = 0; i < 3; i++)
		r->fds[i] = -1;
	relay_add_fd(r, outfd);
	relay_add_fd(r, infd);
	relay_add_fd(r, efd);

	/* Bytes (and EOF) that arrived before our callbacks existed sit in
	 * libssh: start HELD so the first round pulls them. */
	r->down = infd >= 0 ? DOWN_HELD : DOWN_DONE;
	r->ch_eof = ssh_channel_is_eof(ch) != 0;
	if (ssh_channel_is_closed(ch))
		r->ch_eof = r->ch_closed = true;
	r->up[0].ready = true;
	r->up[1].ready = efd >= 0;

	r->cb.userdata = r;
	r->cb.channel_data_function = relay_cb_data;
	r->cb.channel_eof_function = relay_cb_eof;
	r->cb.channel_close_function = relay_cb_close;
	ssh_callbacks_init(&r->cb);
	if (ssh_add_channel_callbacks(ch, &r->cb) != SSH_OK) {
		log_error("relay: cannot install channel callbacks");
		goto fail;
	}
	if ((r->task = sloop_task_new(l, relay_tick, r)) == NULL) {
		ssh_remove_channel_callbacks(ch, &r->cb);
		goto fail;
	}
	sloop_want_timeout(l, 0);
	sloop_task_wake(r->task);
	return r;
fail:
	/* the caller keeps the fds and the channel */
	free(r->up[0].buf);
	free(r->up[1].buf);
	free(r);
	return NULL;
}

void
relay_fresh(struct relay *r)
{
	if (r == NULL)
		return;
	if (r->down == DOWN_HELD && !r->ch_eof && r->ilen == 0)
		r->down = DOWN_DIRECT;
	/* the fd is level-triggered: a read now would only say EAGAIN */
	r->up[0].ready = false;
}

void
relay_finish(struct relay *r)
{
	if (r == NULL || r->torn)
		return;
	r->finish = true;
	if (sloop_running(r->l)) {
		sloop_want_timeout(r->l, 0);
		sloop_task_wake(r->task);
	} else {
		relay_teardown(r);
	}
}

void
relay_abort(struct relay *r)
{
	if (r == NULL || r->torn)
		return;
	r->aborted = true;
	/* Inside the loop we may be in a libssh callback: the tick tears
	 * down.  After the loop (clean-up) nothing else will run it. */
	if (sloop_running(r->l)) {
		sloop_want_timeout(r->l, 0);
		sloop_task_wake(r->task);
	} else {
		relay_teardown(r);
	}
}

ssh_channel
relay_channel(struct relay *r)
{
	return r->ch;
}

const struct relay_stats *
relay_stats(const struct relay *r)
{
	return &r->st;
}

/*
 * sshd/relay_io.c: the relay's byte paths (state machine: relay.c).
 *
 *   down  channel -> fd: write what we hold; in HELD pull everything
 *         libssh buffers for the channel (see "Why pull everything" in
 *         relay.c) and write it; EOF becomes shutdown(SHUT_WR)/close
 *   up    fd -> channel: read whole packets within the remote window,
 *         keep an unsent tail, grow the buffer once bulk
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/loop.h"
#include "sshd/relay_int.h"

ssize_t
relay_write_fd(int fd, bool sock, const void *p, size_t n)
{
	ssize_t w;

	do {
		if (sock)
			w = send(fd, p, n, MSG_NOSIGNAL);
		else
			w = write(fd, p, n);
	} while (w < 0 && errno == EINTR);
	return w;
}

bool
relay_again(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == EINTR;
}

/* ---- down: channel -> fd ---- */

/* Write our held bytes; 1 if all gone, 0 if the fd blocks. */
static int
relay_flush_in(struct relay *r)
{
	ssize_t n;

	while (r->ioff < r->ilen) {
		n = relay_write_fd(r->infd, r->in_sock, r->ibuf + r->ioff,
		    r->ilen - r->ioff);
		if (n < 0) {
			if (relay_again(errno)) {
				r->wait_out = true;
				return 0;
			}
			log_debug("relay: write: %s", strerror(errno));
			r->down = DOWN_DONE;
			r->ioff = r->ilen = 0;
			return 0;
		}
		r->ioff += (size_t)n;
		r->st.from_channel += (uint64_t)n;
	}
	r->ioff = r->ilen = 0;
	return 1;
}

void
relay_down(struct relay *r)
{
	int i, n, k;
	size_t got;

	if (r->down != DOWN_HELD || r->wait_out || r->infd < 0)
		return;
	for (i = 0; i < RELAY_DOWN_PULLS; i++) {
		if (relay_flush_in(r) == 0)
			return;
		/* With the buffer empty and no EOF yet this runs a
		 * non-blocking libssh round (callbacks see pulling). */
		r->pulling = true;
		n = ssh_channel_poll(r->ch, 0);
		r->pulling = false;
		if (n == 0 || n == SSH_EOF) {
			/* An EOF or CLOSE that came before our callbacks
			 * were installed shows only here (libssh reports EOF
			 * once its buffer is empty). */
			if (n == SSH_EOF)
				r->ch_eof = true;
			if (ssh_channel_is_closed(r->ch))
				r->ch_eof = r->ch_closed = true;
			r->down = DOWN_DIRECT;
			/* the backlog is gone: a window's worth of buffer is
			 * not kept for an idle channel */
			if (r->icap > RELAY_BUF) {
				free(r->ibuf);
				r->ibuf = NULL;
				r->icap = 0;
			}
			return;
		}
		if (n < 0) {
			log_debug("relay: channel poll failed");
			r->down = DOWN_DONE;
			return;
		}
		if (n > RELAY_PULL_MAX) {
			r->violation = true;
			return;
		}
		if (r->icap < (size_t)n) {
			free(r->ibuf);
			r->icap = (size_t)n > RELAY_BUF ? (size_t)n : RELAY_BUF;
			r->ibuf = xmalloc(r->icap);
		}
		r->pulling = true;
		for (got = 0; got < (size_t)n; got += (size_t)k) {
			k = ssh_channel_read_nonblocking(r->ch, r->ibuf + got,
			    (uint32_t)((size_t)n - got), 0);
			if (k <= 0)
				break;
		}
		r->pulling = false;
		r->ioff = 0;
		r->ilen = got;
		if (got == 0) {
			r->down = DOWN_DONE;
			return;
		}
	}
	/* more may be waiting: come back without sleeping */
	sloop_want_timeout(r->l, 0);
	sloop_task_wake(r->task);
}

/* Channel EOF reached the fd side: pass it on once nothing is held. */
void
relay_down_eof(struct relay *r)
{
	if (r->down != DOWN_DIRECT || !r->ch_eof)
		return;
	if (r->infd >= 0) {
		if (r->in_sock) {
			(void)shutdown(r->infd, SHUT_WR);
		} else if (!r->in_shared) {
			sloop_close(r->l, r->infd);
			r->infd = -1;
		}
		/* a pty shared with the output stays open */
	}
	r->down = DOWN_DONE;
}

/* ---- up: fd -> channel ---- */

bool
relay_can_send(const struct relay *r)
{
	return !r->ch_closed && !r->eof_sent && !r->finish && !r->torn;
}

/* Send the tail; true when it is gone. */
static bool
relay_up_flush(struct relay *r, struct relay_up *u)
{
	int n;

	if (u->len == 0)
		return true;
	if (u->is_stderr)
		n = ssh_channel_write_stderr(r->ch, u->buf + u->off,
		    (uint32_t)u->len);
	else
		n = ssh_channel_write(r->ch, u->buf + u->off,
		    (uint32_t)u->len);
	if (n < 0) {
		/* the channel takes no more (closed under us, or the
		 * session failed): this direction is over */
		log_debug("relay: channel write failed");
		u->eof = true;
		u->len = 0;
		r->ch_closed = true;
		r->ch_eof = true;
		return false;
	}
	r->st.to_channel += (uint64_t)n;
	u->off += (size_t)n;
	u->len -= (size_t)n;
	if (u->len > 0) {
		/* window exhausted, or a key re-exchange is running (0.10
		 * returns 0 then); the window case is re-checked after every
		 * round, the rekey case needs a short retry */
		if (ssh_channel_window_size(r->ch) > 0) {
			sloop_want_timeout(r->l, RELAY_RETRY_MS);
			r->again = true;
		}
		return false;
	}
	u->off = 0;
	return true;
}

void
relay_up(struct relay *r, struct relay_up *u)
{
	uint32_t win;
	size_t want;
	ssize_t n;
	int i;

	if (u->fd < 0 || u->eof)
		return;
	if (!relay_can_send(r)) {
		/* nobody will take it any more */
		u->len = 0;
		return;
	}
	if (!relay_up_flush(r, u))
		return;
	if (!u->ready)
		return;
	for (i = 0; i < RELAY_UP_READS; i++) {
		win = ssh_channel_window_size(r->ch);
		if (win == 0)
			return;		/* paused; re-checked each round */
		want = win < u->cap ? win : u->cap;
		if (want > RELAY_PKT)
			want -= want % RELAY_PKT;	/* whole packets */
		do {
			n = read(u->fd, u->buf, want);
		} while (n < 0 && errno == EINTR);
		if (n == 0) {
			u->eof = true;
			return;
		}
		if (n < 0) {
			if (relay_again(errno)) {
				u->ready = false;
				return;
			}
			/* EIO on a pty master is the normal end; a reset
			 * socket cannot be written either */
			log_debug("relay: read: %s", strerror(errno));
			u->eof = true;
			if (r->mode == RELAY_SOCKET && r->down != DOWN_DONE) {
				r->down = DOWN_DONE;
				r->ioff = r->ilen = 0;
			}
			return;
		}
		u->off = 0;
		u->len = (size_t)n;
		if (!relay_up_flush(r, u))
			return;
		if ((size_t)n < want) {
			/* drained for now: the fd is level-triggered, so a
			 * read that would only say EAGAIN is left to the
			 * next poll (one system call less per message) */
			u->ready = false;
			return;
		}
		if ((size_t)n == u->cap && u->cap < RELAY_UP_MAX) {
			free(u->buf);
			u->cap = RELAY_UP_MAX;
			u->buf = xmalloc(u->cap);
		}
	}
}

bool
relay_up_drained(const struct relay *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (r->up[i].fd >= 0 && (!r->up[i].eof || r->up[i].len > 0))
			return false;
	}
	return true;
}

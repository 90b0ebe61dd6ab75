/*
 * sshd/relay_int.h: the relay's state, shared by relay.c (callbacks, the
 * per-round tick, teardown, the public calls) and relay_io.c (moving the
 * bytes: down = channel -> fd, up = fd -> channel).  Not for other parts:
 * they use relay.h.  The state machine is described at the top of relay.c.
 */
#ifndef PC_SSHD_RELAY_INT_H
#define PC_SSHD_RELAY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "sshd/loop.h"
#include "sshd/relay.h"

#define RELAY_BUF (64 * 1024)		/* one read from an fd (down) */
/*
 * Up (fd -> channel): libssh 0.10 cuts ssh_channel_write() into DATA
 * packets of the peer's max packet - 10 bytes; OpenSSH clients announce
 * 32768 for TCP and session channels (CHAN_TCP_PACKET_DEFAULT), so
 * packets carry 32758 bytes.  A 64 KiB read became 32758 + 32758 + 20:
 * a third of the packets (each its own send() and seal) for 20 bytes.
 * Reads are whole packets, and after a read that filled the buffer it
 * grows to RELAY_UP_MAX (bulk): fewer writes, each followed by libssh's
 * flush round.  There is no getter for the peer's max packet in 0.10; a
 * client with a smaller one only gets the old small tail packet.
 */
#define RELAY_PKT 32758
#define RELAY_UP_MIN (2 * RELAY_PKT)
#define RELAY_UP_MAX (8 * RELAY_PKT)
#define RELAY_PULL_MAX (4 * 1024 * 1024) /* > window: protocol violation */
#define RELAY_UP_READS 4		/* reads per round and fd */
#define RELAY_DOWN_PULLS 4		/* pulls per round */
#define RELAY_RETRY_MS 20		/* unsent tail with an open window */
#define RELAY_CLOSE_GRACE_MS 2000	/* peer's CLOSE after both EOFs */

struct relay_up {
	int fd;			/* -1: none */
	bool is_stderr;
	bool ready;		/* poll reported it readable */
	bool eof;
	unsigned char *buf;
	size_t cap;		/* RELAY_UP_MIN, RELAY_UP_MAX once bulk */
	size_t off, len;	/* unsent tail */
};

enum relay_down_state { DOWN_DIRECT, DOWN_HELD, DOWN_DONE };

struct relay {
	struct sloop *l;
	ssh_channel ch;
	enum relay_mode mode;
	struct ssh_channel_callbacks_struct cb;
	struct relay_hooks hooks;
	struct relay_stats st;
	struct sloop_task *task;
	bool again;			/* tick: look again next round */

	struct relay_up up[2];		/* [0] out, [1] err */
	int infd;
	bool in_sock;			/* infd is a socket: shutdown */
	bool in_shared;			/* infd == out fd (pty/socket) */

	enum relay_down_state down;
	bool wait_out;			/* HELD: waiting for POLLOUT */
	bool pulling;			/* inside ssh_channel_read */
	unsigned char *ibuf;
	size_t icap, ioff, ilen;

	/* distinct fds and the events registered for them */
	int fds[3];
	short fdev[3];
	int nfds;

	bool ch_eof;			/* peer sent EOF (or CLOSE) */
	bool ch_closed;			/* peer sent CLOSE */
	bool eof_sent;
	bool output_done;		/* session: hook ran */
	bool finish;			/* session: relay_finish() */
	bool aborted;
	bool violation;
	bool torn;
	long long close_deadline;	/* relay_close_wait(), 0: not yet */
	bool close_first;		/* socket mode: no grace (OpenSSH) */
	bool ctl_later;			/* socket mode: EOF/CLOSE deferred once */
};

/* relay_io.c */
ssize_t relay_write_fd(int fd, bool sock, const void *p, size_t n);
bool relay_again(int e);
/* down: write what is held, then pull libssh's backlog (HELD state) */
void relay_down(struct relay *r);
/* channel EOF reached the fd side: pass it on once nothing is held */
void relay_down_eof(struct relay *r);
/* may the up direction send (no unsent tail, channel open)? */
bool relay_can_send(const struct relay *r);
void relay_up(struct relay *r, struct relay_up *u);
bool relay_up_drained(const struct relay *r);

#endif

/*
 * Relay: moves bytes between an SSH channel and file descriptors with
 * backpressure in both directions and bounded memory (DESIGN.md 'Relay').
 *
 *   out fd (socket / child stdout)  --read-->  channel data
 *   err fd (child stderr, optional) --read-->  channel extended data
 *   channel data --write--> in fd (socket / child stdin)
 *
 * For a socket, in and out are the same fd; channel EOF becomes
 * shutdown(SHUT_WR).  For pipes, channel EOF closes the in fd.
 */
#ifndef PC_RELAY_H
#define PC_RELAY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <libssh/libssh.h>

#include "sshd/loop.h"

struct relay;

enum relay_mode {
	/* forwarded TCP: when both directions have seen EOF (or either side
	 * failed) the channel is closed and on_done runs */
	RELAY_SOCKET,
	/* session: when out (and err) reached EOF and everything was
	 * written to the channel, on_output_done runs; the owner sends
	 * exit-status and then calls relay_finish() */
	RELAY_SESSION,
};

struct relay_stats {
	uint64_t to_channel;	/* bytes sent to the client */
	uint64_t from_channel;	/* bytes received from the client */
	struct timespec started;
};

struct relay_hooks {
	/* RELAY_SESSION: output drained (fds at EOF, all sent). */
	void (*on_output_done)(struct relay *r, void *arg);
	/* The channel is closed (either side) and the relay is finished;
	 * the owner may log stats.  The relay frees itself after this
	 * returns, in the bookkeeping pass; do not use r afterwards. */
	void (*on_done)(struct relay *r, const struct relay_stats *st,
	    void *arg);
	void *arg;
};

/* Takes ownership of the fds (closed when the relay ends).  efd and/or
 * infd may be -1.  The channel must already be open; relay installs its
 * own data/eof/close callbacks on it (ssh_add_channel_callbacks). */
struct relay *relay_new(struct sloop *l, ssh_channel ch, enum relay_mode mode,
    int outfd, int infd, int efd, const struct relay_hooks *hooks);

/* The channel was accepted inside the message callback that is still
 * running: libssh cannot hold data or EOF for it yet, so the first round
 * need not pull from it (a pull on an empty channel runs a whole libssh
 * round).  Call right after relay_new(). */
void relay_fresh(struct relay *r);
/* RELAY_SESSION: send EOF and CLOSE on the channel (after exit-status). */
void relay_finish(struct relay *r);
/* Tear down now (error, cancel): closes fds and the channel. */
void relay_abort(struct relay *r);
ssh_channel relay_channel(struct relay *r);
const struct relay_stats *relay_stats(const struct relay *r);

#endif

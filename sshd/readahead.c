/*
 * Transport read-ahead (notes/libssh-0.10-server.md 7; issue 7), and
 * the POLLOUT round libssh asks for after every send().
 *
 * libssh 0.10 receives the SSH transport in ssh_socket_pollcallback(): one
 * recv() of MAX_BUF_SIZE (4 KiB) per POLLIN, then back to poll().  A
 * 1 GiB -L upload is thus ~262,000 recv() and ~262,000 poll() calls in the
 * connection process; OpenSSH's sshd reads ~200 KiB per read().  On a
 * paravirtualised 2-core machine those system calls were ~60% of the
 * process's CPU per byte.
 *
 * The size is a compile-time constant of the library, and its socket layer
 * is not public.  What is public is that libssh.so calls recv() and poll()
 * through the dynamic linker: a definition in the executable takes
 * precedence over libc's for every library of the process (the same rule
 * that lets an application bring its own malloc).  So:
 *
 *  - recv() on the session's transport fd, with no flags, fills one buffer
 *    of READAHEAD_SIZE with a single recvfrom(2) and hands libssh its 4 KiB
 *    from there until it is empty; then the next call reads the kernel
 *    again.  Bytes come out in order, exactly once; EOF and errors are
 *    returned only when the buffer is empty, i.e. where the kernel would
 *    have returned them.
 *  - poll() that asks POLLIN on that fd while bytes are buffered reports it
 *    readable without a system call (a level-triggered truth: there is
 *    data).  Every READAHEAD_FAIRNESS-th such answer, and whenever the set
 *    also wants POLLOUT on the transport, it polls the kernel with a zero
 *    timeout as well, so other fds (our epoll fd with every forwarded
 *    socket) and the transport's own output are never starved for longer
 *    than a few rounds; a writable transport is then reported alone (see
 *    poll()).
 *  - libssh wants POLLOUT on the transport after every send(), before it
 *    sends again (ssh_socket_unbuffered_write).  Right after a send() on
 *    the transport that took every byte, poll() answers that POLLOUT
 *    without a system call (once, and only if the round before asked the
 *    kernel): the socket had room a moment ago, and asking costs one more
 *    round that never sleeps (one per packet sent in a ping-pong).
 *    A wrong guess costs nothing new: the transport is a blocking socket
 *    (libssh makes only client sockets non-blocking), so libssh's send()
 *    of a burst larger than the free space waits in the kernel today
 *    too.  Were it ever non-blocking, send() on a full socket returns 0,
 *    "nothing sent yet" to libssh (it takes any -1 for a dead link).
 *  - Everything else (other fds, flags, other processes' state: the
 *    listener never starts it) goes straight to recvfrom(2), sendto(2)
 *    and ppoll(2).
 *
 * Safety: the fd is compared with ssh_get_fd() of the live session at every
 * call, so once libssh closes the transport (error, disconnect) a new
 * socket that reuses the number is never served stale bytes.
 * readahead_stop() must run before the session is freed.
 */
#include "config.h"

/* We define recv(), send() and poll(): glibc's fortify wrappers (inline
 * functions of the same names) must not be in scope in this file. */
#undef _FORTIFY_SOURCE

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include <libssh/libssh.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "sshd/readahead.h"

/* One kernel read: 64 packets of libssh's 4 KiB.  256 KiB is also about
 * what Linux's loopback autotuning holds in a socket's receive queue. */
#define READAHEAD_SIZE (256 * 1024)
/* Rounds answered from the buffer alone before the kernel is asked too. */
#define READAHEAD_FAIRNESS 32

static struct {
	ssh_session session;	/* NULL: off */
	int fd;
	unsigned char *buf;
	size_t off, len;	/* buffered bytes: buf[off .. off+len) */
	unsigned int rounds;	/* poll answers from the buffer, in a row */
	bool sent;		/* the last send() took every byte */
	bool asked;		/* the last poll() asked the kernel */
	unsigned long long syscalls, served, shortcuts;
} readahead = { NULL, -1, NULL, 0, 0, 0, false, false, 0, 0, 0 };

int
readahead_start(ssh_session session)
{
	int fd;

	if (session == NULL)
		return PC_ERR_INVAL;
	fd = ssh_get_fd(session);
	if (fd < 0)
		return PC_ERR_INVAL;
	readahead_stop();
	readahead.buf = xmalloc(READAHEAD_SIZE);
	readahead.session = session;
	readahead.fd = fd;
	return PC_OK;
}

void
readahead_stop(void)
{
	free(readahead.buf);
	readahead.buf = NULL;
	readahead.session = NULL;
	readahead.fd = -1;
	readahead.off = readahead.len = 0;
	readahead.rounds = 0;
	readahead.sent = readahead.asked = false;
}

size_t
readahead_pending(void)
{
	return readahead.len;
}

void
readahead_stats(unsigned long long *syscalls, unsigned long long *served,
    unsigned long long *shortcuts)
{
	if (syscalls != NULL)
		*syscalls = readahead.syscalls;
	if (served != NULL)
		*served = readahead.served;
	if (shortcuts != NULL)
		*shortcuts = readahead.shortcuts;
}

/* Is FD the transport of the live session? */
static bool
readahead_mine(int fd)
{
	return readahead.session != NULL && fd >= 0 && fd == readahead.fd &&
	    ssh_get_fd(readahead.session) == fd;
}

ssize_t
recv(int fd, void *buf, size_t n, int flags)
{
	ssize_t r;
	size_t k;

	if (flags != 0 || n == 0 || !readahead_mine(fd))
		return recvfrom(fd, buf, n, flags, NULL, NULL);
	if (readahead.len == 0) {
		if (n >= READAHEAD_SIZE)
			return recvfrom(fd, buf, n, 0, NULL, NULL);
		r = recvfrom(fd, readahead.buf, READAHEAD_SIZE, 0, NULL, NULL);
		readahead.syscalls++;
		if (r <= 0)
			return r;
		readahead.off = 0;
		readahead.len = (size_t)r;
	}
	k = n < readahead.len ? n : readahead.len;
	memcpy(buf, readahead.buf + readahead.off, k);
	readahead.off += k;
	readahead.len -= k;
	readahead.served += k;
	return (ssize_t)k;
}

ssize_t
send(int fd, const void *buf, size_t n, int flags)
{
	ssize_t r;

	r = sendto(fd, buf, n, flags, NULL, 0);
	if (!readahead_mine(fd))
		return r;
	readahead.sent = r >= 0 && (size_t)r == n;
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR)) {
		/* libssh takes any failed send() for a dead connection; a
		 * full socket, or a signal before the first byte, is
		 * "nothing sent yet": it keeps the bytes and polls again */
		return 0;
	}
	return r;
}

/* poll(2) itself, without coming back here; remembered as asked. */
static int
readahead_poll_kernel(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct timespec ts;

	readahead.asked = true;
	if (timeout < 0)
		return ppoll(fds, nfds, NULL, NULL);
	ts.tv_sec = timeout / 1000;
	ts.tv_nsec = (long)(timeout % 1000) * 1000000L;
	return ppoll(fds, nfds, &ts, NULL);
}

/* glibc declares poll()'s array write-only (access attribute), which it is
 * not: gcc would take our reading of fds[i].fd for a read of
 * uninitialised memory. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
/* Only the transport, with REVENTS. */
static int
readahead_poll_only(struct pollfd *fds, nfds_t nfds, struct pollfd *t,
    short revents)
{
	nfds_t i;

	for (i = 0; i < nfds; i++)
		fds[i].revents = 0;
	t->revents = revents;
	readahead.asked = false;
	return 1;
}

int
poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct pollfd *t = NULL;
	nfds_t i;
	int r;

	if (readahead.session != NULL && fds != NULL) {
		for (i = 0; i < nfds; i++) {
			if (fds[i].fd == readahead.fd) {
				t = &fds[i];
				break;
			}
		}
	}
	if (t == NULL || !readahead_mine(t->fd)) {
		readahead.rounds = 0;
		return readahead_poll_kernel(fds, nfds, timeout);
	}
	/*
	 * libssh wants POLLOUT again after every send(), before it sends
	 * the next packet.  Just after a send() that took every byte the
	 * socket has room, so that answer needs no system call (it would
	 * be one more round that does not sleep), provided the round
	 * before asked the kernel: other fds wait one round at most.
	 */
	if ((t->events & POLLOUT) != 0 && readahead.sent && readahead.asked) {
		readahead.sent = false;
		readahead.shortcuts++;
		return readahead_poll_only(fds, nfds, t, POLLOUT);
	}
	if (readahead.len == 0 || (t->events & POLLIN) == 0) {
		readahead.rounds = 0;
		return readahead_poll_kernel(fds, nfds, timeout);
	}
	readahead.shortcuts++;
	if ((t->events & POLLOUT) != 0 ||
	    ++readahead.rounds >= READAHEAD_FAIRNESS) {
		readahead.rounds = 0;
		r = readahead_poll_kernel(fds, nfds, 0);
		if (r < 0)
			return r;
		/*
		 * libssh drops POLLOUT from its interest only when POLLOUT
		 * comes without POLLIN (with both, its callback has already
		 * let go of the poll handle).  So a writable transport is
		 * reported alone, and the buffer is read next round;
		 * otherwise POLLOUT would stay wanted for good and every
		 * round would cost a system call.
		 */
		if ((t->revents & POLLOUT) != 0) {
			t->revents &= (short)~POLLIN;
			return r;
		}
		if (t->revents == 0)
			r++;
		t->revents |= POLLIN;
		return r;
	}
	return readahead_poll_only(fds, nfds, t, POLLIN);
}

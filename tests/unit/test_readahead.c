/*
 * sshd/readahead.c: the transport read-ahead that stands in for libssh's
 * recv() and poll().  A real libssh server session is bound to one end of
 * a socketpair (ssh_bind_accept_fd, no key exchange needed: only its fd
 * matters); the test writes into the other end and reads the way libssh
 * does, 4 KiB per recv().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sshd/readahead.h"

#define CHUNK 4096

struct fx {
	ssh_bind bind;
	ssh_session session;
	int fd;		/* the session's end */
	int peer;	/* the client's end */
};

static unsigned char
pattern(size_t i)
{
	return (unsigned char)((i * 7 + i / 251) & 0xff);
}

/* Write N pattern bytes, starting at offset OFF of the pattern. */
static void
peer_write(int fd, size_t off, size_t n)
{
	unsigned char buf[8192];
	size_t i, k;
	ssize_t w;

	while (n > 0) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		for (i = 0; i < k; i++)
			buf[i] = pattern(off + i);
		w = write(fd, buf, k);
		assert_true(w > 0);
		off += (size_t)w;
		n -= (size_t)w;
	}
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	ssh_key key = NULL;
	struct timeval tmo = { 10, 0 };
	int sv[2], sz = 1 << 20;

	assert_non_null(f);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* room for the 200 KiB the tests queue before reading */
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	/* a read that would wait for bytes that never come fails the test
	 * (EAGAIN after 10 s) instead of hanging `make check` */
	assert_int_equal(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tmo,
	    sizeof(tmo)), 0);
	f->fd = sv[0];
	f->peer = sv[1];
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key),
	    SSH_OK);
	f->bind = ssh_bind_new();
	assert_non_null(f->bind);
	assert_int_equal(ssh_bind_options_set(f->bind,
	    SSH_BIND_OPTIONS_IMPORT_KEY, key), SSH_OK);
	f->session = ssh_new();
	assert_non_null(f->session);
	assert_int_equal(ssh_bind_accept_fd(f->bind, f->session, f->fd),
	    SSH_OK);
	assert_int_equal(ssh_get_fd(f->session), f->fd);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	readahead_stop();
	if (f->session != NULL)
		ssh_free(f->session);	/* closes f->fd */
	ssh_bind_free(f->bind);
	if (f->peer >= 0)
		close(f->peer);
	free(f);
	return 0;
}

/* Read N bytes 4 KiB at a time through recv(); check them against the
 * pattern from OFF. */
static void
read_all(int fd, size_t off, size_t n)
{
	unsigned char buf[CHUNK];
	size_t got = 0, i;
	ssize_t r;

	while (got < n) {
		r = recv(fd, buf, sizeof(buf), 0);
		assert_true(r > 0);
		assert_true((size_t)r <= sizeof(buf));
		for (i = 0; i < (size_t)r; i++) {
			if (buf[i] != pattern(off + got + i))
				fail_msg("byte %zu differs", off + got + i);
		}
		got += (size_t)r;
	}
	assert_int_equal(got, n);
}

/* 200 KiB already queued: one kernel read serves fifty 4 KiB recv()s, in
 * order, exactly once. */
static void
test_order_one_read(void **state)
{
	struct fx *f = *state;
	unsigned long long sys = 0, served = 0;

	peer_write(f->peer, 0, 200 * 1024);
	assert_int_equal(readahead_start(f->session), 0);
	read_all(f->fd, 0, 200 * 1024);
	readahead_stats(&sys, &served, NULL);
	assert_int_equal(served, 200 * 1024);
	assert_int_equal(sys, 1);
	assert_int_equal(readahead_pending(), 0);
	/* more later: read again, still in order */
	peer_write(f->peer, 200 * 1024, 10000);
	read_all(f->fd, 200 * 1024, 10000);
}

/* While bytes are buffered, poll() says POLLIN on the transport even
 * though the kernel's queue is empty; other fds are not reported ready. */
static void
test_poll_buffered(void **state)
{
	struct fx *f = *state;
	struct pollfd p[2];
	unsigned char buf[CHUNK];
	int pipefd[2];

	assert_int_equal(pipe(pipefd), 0);
	peer_write(f->peer, 0, 3 * CHUNK);
	assert_int_equal(readahead_start(f->session), 0);
	assert_int_equal(recv(f->fd, buf, sizeof(buf), 0), CHUNK);
	assert_int_equal(readahead_pending(), 2 * CHUNK);
	p[0].fd = f->fd;
	p[0].events = POLLIN;
	p[1].fd = pipefd[0];
	p[1].events = POLLIN;
	p[0].revents = p[1].revents = -1;
	assert_int_equal(poll(p, 2, 1000), 1);
	assert_int_equal(p[0].revents, POLLIN);
	assert_int_equal(p[1].revents, 0);
	/* the transport asks POLLOUT too: a writable socket is reported
	 * alone (libssh only drops POLLOUT from its interest then) */
	p[0].events = POLLIN | POLLOUT;
	assert_int_equal(poll(p, 2, 1000), 1);
	assert_int_equal(p[0].revents, POLLOUT);
	/* drained: poll() is the kernel's again, which has nothing */
	read_all(f->fd, CHUNK, 2 * CHUNK);
	p[0].events = POLLIN;
	assert_int_equal(poll(p, 2, 0), 0);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* After a send() on the transport that took every byte, the POLLOUT
 * libssh asks for next is answered without the kernel, once, and only
 * after a round that asked the kernel; a readable pipe shows which rounds
 * the kernel answered. */
static void
test_pollout_after_send(void **state)
{
	struct fx *f = *state;
	struct pollfd p[2];
	unsigned char buf[64];
	int pipefd[2];

	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(write(pipefd[1], "x", 1), 1);
	assert_int_equal(readahead_start(f->session), 0);
	p[0].fd = f->fd;
	p[0].events = POLLIN | POLLOUT;
	p[1].fd = pipefd[0];
	p[1].events = POLLIN;
	/* nothing sent yet: the kernel answers (the pipe is readable) */
	assert_int_equal(poll(p, 2, 1000), 2);
	assert_int_equal(p[0].revents, POLLOUT);
	assert_int_equal(p[1].revents, POLLIN);
	/* a whole send, then POLLOUT alone, from memory */
	assert_int_equal(send(f->fd, "hello", 5, MSG_NOSIGNAL), 5);
	p[0].revents = p[1].revents = -1;
	assert_int_equal(poll(p, 2, 1000), 1);
	assert_int_equal(p[0].revents, POLLOUT);
	assert_int_equal(p[1].revents, 0);
	/* that round did not ask the kernel, so the next one does, even
	 * after another send: other fds wait one round at most */
	assert_int_equal(send(f->fd, "world", 5, MSG_NOSIGNAL), 5);
	assert_int_equal(poll(p, 2, 1000), 2);
	assert_int_equal(p[1].revents, POLLIN);
	/* without POLLOUT wanted there is nothing to answer from memory */
	assert_int_equal(send(f->fd, "!", 1, MSG_NOSIGNAL), 1);
	p[0].events = POLLIN;
	assert_int_equal(poll(p, 2, 1000), 1);
	assert_int_equal(p[0].revents, 0);
	assert_int_equal(p[1].revents, POLLIN);
	/* nothing was sent since, so the room is still there */
	p[0].events = POLLIN | POLLOUT;
	assert_int_equal(poll(p, 2, 1000), 1);
	assert_int_equal(p[0].revents, POLLOUT);
	assert_int_equal(p[1].revents, 0);
	/* a send() on another fd says nothing about the transport */
	assert_int_equal(poll(p, 2, 1000), 2);
	assert_int_equal(send(f->peer, "?", 1, MSG_NOSIGNAL), 1);
	assert_int_equal(poll(p, 2, 1000), 2);
	assert_int_equal(p[0].revents, POLLIN | POLLOUT);
	assert_int_equal(p[1].revents, POLLIN);
	/* every byte arrived, in order */
	assert_int_equal(read(f->peer, buf, sizeof(buf)), 11);
	assert_memory_equal(buf, "helloworld!", 11);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A full non-blocking transport: send() says "nothing sent yet" (0), not
 * -1, which libssh would take for a dead connection; and the next POLLOUT
 * is the kernel's (it has no room), not a guess. */
static void
test_send_full(void **state)
{
	struct fx *f = *state;
	static unsigned char chunk[65536];
	struct pollfd p;
	ssize_t r = 1;
	int i, fl;

	fl = fcntl(f->fd, F_GETFL);
	assert_true(fl >= 0);
	assert_int_equal(fcntl(f->fd, F_SETFL, fl | O_NONBLOCK), 0);
	assert_int_equal(readahead_start(f->session), 0);
	for (i = 0; i < 4096 && r != 0; i++) {
		r = send(f->fd, chunk, sizeof(chunk), MSG_NOSIGNAL);
		assert_true(r >= 0);
	}
	assert_int_equal(r, 0);
	p.fd = f->fd;
	p.events = POLLIN | POLLOUT;
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(p.revents, 0);
}

/* EOF comes only once every buffered byte has been handed out. */
static void
test_eof_after_drain(void **state)
{
	struct fx *f = *state;
	unsigned char buf[CHUNK];

	peer_write(f->peer, 0, 5 * CHUNK + 123);
	close(f->peer);
	f->peer = -1;
	assert_int_equal(readahead_start(f->session), 0);
	read_all(f->fd, 0, 5 * CHUNK + 123);
	assert_int_equal(recv(f->fd, buf, sizeof(buf), 0), 0);
}

/* Flags, other fds and a stopped read-ahead go straight to the kernel. */
static void
test_passthrough(void **state)
{
	struct fx *f = *state;
	unsigned char buf[CHUNK];
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], "xyz", 3), 3);
	peer_write(f->peer, 0, 2 * CHUNK);
	assert_int_equal(readahead_start(f->session), 0);
	/* another socket: its own bytes */
	assert_int_equal(recv(sv[0], buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "xyz", 3);
	/* MSG_PEEK is not ours: the kernel answers, nothing is consumed */
	assert_int_equal(recv(f->fd, buf, 10, MSG_PEEK), 10);
	assert_int_equal(buf[0], pattern(0));
	assert_int_equal(readahead_pending(), 0);
	read_all(f->fd, 0, CHUNK);
	assert_int_equal(readahead_pending(), CHUNK);
	readahead_stop();
	assert_int_equal(readahead_pending(), 0);
	/* stopped: what the kernel gets now comes straight from it, in
	 * pieces as large as the caller asks */
	peer_write(f->peer, 2 * CHUNK, 3 * CHUNK);
	assert_int_equal(recv(f->fd, buf, sizeof(buf), 0), CHUNK);
	assert_int_equal(buf[0], pattern(2 * CHUNK));
	close(sv[0]);
	close(sv[1]);
}

/* Once libssh has closed the transport, a new socket that reuses its fd
 * number gets its own bytes, never the stale buffered ones. */
static void
test_reused_fd(void **state)
{
	struct fx *f = *state;
	unsigned char buf[CHUNK];
	int sv[2], oldfd = f->fd;

	peer_write(f->peer, 0, 3 * CHUNK);
	assert_int_equal(readahead_start(f->session), 0);
	assert_int_equal(recv(f->fd, buf, sizeof(buf), 0), CHUNK);
	assert_true(readahead_pending() > 0);
	ssh_silent_disconnect(f->session);	/* libssh closes the fd */
	assert_int_not_equal(ssh_get_fd(f->session), oldfd);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if (sv[0] != oldfd) {
		/* make the number come back */
		assert_int_equal(dup2(sv[0], oldfd), oldfd);
		close(sv[0]);
		sv[0] = oldfd;
	}
	assert_int_equal(write(sv[1], "new", 3), 3);
	assert_int_equal(recv(sv[0], buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "new", 3);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_one_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_poll_buffered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pollout_after_send, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_send_full, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_eof_after_drain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_passthrough, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reused_fd, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * sshd/pidcache.c: getpid() from a MADV_WIPEONFORK page.  What matters is
 * that no process ever sees another's pid, and that OpenSSL's generator
 * still notices a fork: a parent and its child must never draw the same
 * random bytes.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/rand.h>

#include "sshd/pidcache.h"

struct pids {
	pid_t cached, kernel;
};

static int
setup(void **state)
{
	(void)state;
	if (pidcache_start() != 0 || !pidcache_active()) {
		/* a kernel without MADV_WIPEONFORK: nothing is cached, so
		 * there is nothing to check */
		skip();
	}
	return 0;
}

static pid_t
kernel_pid(void)
{
	return (pid_t)syscall(SYS_getpid);
}

static void
read_full(int fd, void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t r;

	while (n > 0) {
		r = read(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		assert_true(r > 0);
		b += r;
		n -= (size_t)r;
	}
}

static void
reap(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_parent(void **state)
{
	(void)state;
	assert_int_equal(getpid(), kernel_pid());
	assert_int_equal(getpid(), getpid());
}

/* A child (and its own child) answers with its own pid, never ours. */
static void
test_fork_child(void **state)
{
	struct pids got[2];
	int p[2];
	pid_t child, parent = getpid();

	(void)state;
	assert_int_equal(pipe(p), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pid_t grand;

		got[0].cached = getpid();
		got[0].kernel = kernel_pid();
		if ((grand = fork()) == 0) {
			got[1].cached = getpid();
			got[1].kernel = kernel_pid();
			_exit(write(p[1], &got[1], sizeof(got[1])) ==
			    (ssize_t)sizeof(got[1]) ? 0 : 1);
		}
		if (grand < 0 || waitpid(grand, NULL, 0) != grand)
			_exit(1);
		_exit(write(p[1], &got[0], sizeof(got[0])) ==
		    (ssize_t)sizeof(got[0]) ? 0 : 1);
	}
	read_full(p[0], &got[1], sizeof(got[1]));
	read_full(p[0], &got[0], sizeof(got[0]));
	reap(child);
	close(p[0]);
	close(p[1]);
	assert_int_equal(got[0].cached, got[0].kernel);
	assert_int_equal(got[0].kernel, child);
	assert_int_equal(got[1].cached, got[1].kernel);
	assert_int_not_equal(got[1].cached, got[0].cached);
	assert_int_not_equal(got[0].cached, parent);
	assert_int_equal(getpid(), parent);
}

/* OpenSSL reseeds after a fork only because getpid() changed. */
static void
test_rand_after_fork(void **state)
{
	unsigned char mine[32], theirs[32];
	int p[2], i;
	pid_t child;

	(void)state;
	assert_int_equal(RAND_bytes(mine, sizeof(mine)), 1);
	assert_int_equal(pipe(p), 0);
	for (i = 0; i < 4; i++) {
		child = fork();
		assert_true(child >= 0);
		if (child == 0) {
			if (RAND_bytes(theirs, sizeof(theirs)) != 1)
				_exit(1);
			_exit(write(p[1], theirs, sizeof(theirs)) ==
			    (ssize_t)sizeof(theirs) ? 0 : 1);
		}
		read_full(p[0], theirs, sizeof(theirs));
		reap(child);
		assert_int_equal(RAND_bytes(mine, sizeof(mine)), 1);
		assert_memory_not_equal(mine, theirs, sizeof(mine));
	}
	close(p[0]);
	close(p[1]);
}

static void *
thread_fn(void *arg)
{
	*(pid_t *)arg = getpid();
	return NULL;
}

static void
test_thread(void **state)
{
	pthread_t t;
	pid_t got = 0;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, thread_fn, &got), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(got, kernel_pid());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parent),
		cmocka_unit_test(test_fork_child),
		cmocka_unit_test(test_rand_after_fork),
		cmocka_unit_test(test_thread),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

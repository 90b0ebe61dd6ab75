/* policy/wrap.c: libwrap with private hosts files (Decision 8). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/err.h"
#include "common/log.h"
#include "policy/wrap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct wrap_fixture {
	char dir[64];
	char allow[128], deny[128], missing[128];
};

static void
wrap_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int
wrap_setup(void **state)
{
	struct wrap_fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL) {
		return -1;
	}
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pc-wrap-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->allow, sizeof(fx->allow), "%s/hosts.allow", fx->dir);
	snprintf(fx->deny, sizeof(fx->deny), "%s/hosts.deny", fx->dir);
	snprintf(fx->missing, sizeof(fx->missing), "%s/missing", fx->dir);
	*state = fx;
	return 0;
}

static int
wrap_teardown(void **state)
{
	struct wrap_fixture *fx = *state;

	unlink(fx->allow);
	unlink(fx->deny);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

struct wrap_case {
	const char *allow, *deny;	/* file contents; NULL: no file */
	const char *daemon, *addr;
	int want;
};

static const struct wrap_case wrap_cases[] = {
	{ NULL, NULL, "sshdfwd-8080", "127.0.0.1", 1 },	/* both missing */
	{ "", "", "sshdfwd-8080", "127.0.0.1", 1 },
	{ NULL, "ALL: ALL\n", "sshdfwd-8080", "127.0.0.1", 0 },
	{ "sshdfwd-8080: 127.0.0.1\n", "ALL: ALL\n", "sshdfwd-8080",
	  "127.0.0.1", 1 },
	{ "sshdfwd-8080: 127.0.0.1\n", "ALL: ALL\n", "sshdfwd-8080",
	  "127.0.0.2", 0 },
	{ "sshdfwd-8080: 127.0.0.1\n", "ALL: ALL\n", "sshdfwd-8081",
	  "127.0.0.1", 0 },
	{ "", "sshdfwd-8080: 10.0.0.0/255.0.0.0\n", "sshdfwd-8080",
	  "10.1.2.3", 0 },
	{ "", "sshdfwd-8080: 10.0.0.0/255.0.0.0\n", "sshdfwd-8080",
	  "127.0.0.1", 1 },
	{ "", "sshdfwd-8080: 10.\n", "sshdfwd-8080", "10.9.9.9", 0 },
	{ "portcullisd: [::1]\n", "portcullisd: ALL\n", "portcullisd", "::1",
	  1 },
	{ "portcullisd: [::1]\n", "portcullisd: ALL\n", "portcullisd",
	  "::2", 0 },
	/* allow wins over deny (first match in hosts.allow grants) */
	{ "ALL: 127.0.0.1\n", "ALL: 127.0.0.1\n", "portcullisd", "127.0.0.1",
	  1 },
	/* no DNS: name patterns cannot match */
	{ "", "sshdfwd-22: localhost\n", "sshdfwd-22", "127.0.0.1", 1 },
};

static void
test_wrap_check(void **state)
{
	struct wrap_fixture *fx = *state;
	size_t i;
	int got;

	for (i = 0; i < NELEM(wrap_cases); i++) {
		const struct wrap_case *c = &wrap_cases[i];

		unlink(fx->allow);
		unlink(fx->deny);
		if (c->allow != NULL) {
			wrap_write(fx->allow, c->allow);
		}
		if (c->deny != NULL) {
			wrap_write(fx->deny, c->deny);
		}
		got = wrap_check(c->daemon, c->addr, fx->allow, fx->deny);
		if (got != c->want) {
			fail_msg("case %zu: %s from %s: %d, want %d (allow "
			    "\"%s\", deny \"%s\")", i, c->daemon, c->addr, got,
			    c->want, c->allow ? c->allow : "(none)",
			    c->deny ? c->deny : "(none)");
		}
	}
}

static void
test_wrap_reread_and_errors(void **state)
{
	struct wrap_fixture *fx = *state;
	char notdir[160];

	/* the files are read again on every check */
	unlink(fx->allow);
	wrap_write(fx->deny, "");
	assert_int_equal(wrap_check("sshdfwd-9", "127.0.0.1", fx->allow,
	    fx->deny), 1);
	wrap_write(fx->deny, "ALL: ALL\n");
	assert_int_equal(wrap_check("sshdfwd-9", "127.0.0.1", fx->allow,
	    fx->deny), 0);

	/* existing but unreadable hosts files deny */
	wrap_write(fx->deny, "");
	assert_int_equal(wrap_check("sshdfwd-9", "127.0.0.1", fx->dir,
	    fx->deny), 0);				/* a directory */
	snprintf(notdir, sizeof(notdir), "%s/x", fx->deny);
	assert_int_equal(wrap_check("sshdfwd-9", "127.0.0.1", fx->allow,
	    notdir), 0);				/* ENOTDIR */
	if (geteuid() != 0) {
		assert_int_equal(chmod(fx->deny, 0), 0);
		assert_int_equal(wrap_check("sshdfwd-9", "127.0.0.1",
		    fx->allow, fx->deny), 0);
		assert_int_equal(chmod(fx->deny, 0600), 0);
	}
	/* missing is empty */
	assert_int_equal(wrap_check("sshdfwd-9", "127.0.0.1", fx->missing,
	    fx->missing), 1);
	assert_int_equal(wrap_check(NULL, "127.0.0.1", fx->allow, fx->deny),
	    0);
	assert_int_equal(wrap_check("x", NULL, fx->allow, fx->deny), 0);
}

static void
test_wrap_name(void **state)
{
	static const struct {
		int port;
		size_t len;
		int want;
		const char *name;
	} cases[] = {
		{ 1, 32, 0, "sshdfwd-1" },
		{ 22, 32, 0, "sshdfwd-22" },		/* never "ssh" */
		{ 1023, 32, 0, "sshdfwd-1023" },
		{ 1024, 32, 0, "sshdfwd-1024" },
		{ 65535, 32, 0, "sshdfwd-65535" },
		{ 0, 32, PC_ERR_RANGE, "" },
		{ 65536, 32, PC_ERR_RANGE, "" },
		{ -1, 32, PC_ERR_RANGE, "" },
		{ 65535, 13, PC_ERR_TOOLONG, "" },
		{ 65535, 14, 0, "sshdfwd-65535" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		assert_int_equal(wrap_fwd_daemon_name(cases[i].port, buf,
		    cases[i].len), cases[i].want);
		assert_string_equal(buf, cases[i].name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_check),
		cmocka_unit_test(test_wrap_reread_and_errors),
		cmocka_unit_test(test_wrap_name),
	};

	log_init("test_policy_wrap", LOG_LEVEL_ERROR, LOG_USER, 1);
	return cmocka_run_group_tests(tests, wrap_setup, wrap_teardown);
}

/* sshd/session_env.c and sshd/session_sig.c: the child's environment
 * (OpenSSH do_setup_env order and precedence), AcceptEnv, the
 * ~/.ssh/environment reader, signal names. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/err.h"
#include "common/strlist.h"
#include "sshd/session_int.h"

#define DATA TEST_DATA_DIR "/session/"

/* ---- signal names ---- */

static void
test_sig_names(void **state)
{
	static const struct {
		const char *name;
		int sig;
	} t[] = {
		{ "TERM", SIGTERM }, { "HUP", SIGHUP }, { "INT", SIGINT },
		{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		{ "QUIT", SIGQUIT }, { "ABRT", SIGABRT }, { "ALRM", SIGALRM },
		{ "FPE", SIGFPE }, { "ILL", SIGILL }, { "PIPE", SIGPIPE },
		{ "SEGV", SIGSEGV },
	};
	static const char *bad[] = { "SIGTERM", "term", "", "STOP", "CHLD",
		"TERM ", "9" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(session_sig_from_name(t[i].name), t[i].sig);
		assert_string_equal(session_sig_name(t[i].sig), t[i].name);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(session_sig_from_name(bad[i]), -1);
	}
	assert_int_equal(session_sig_from_name(NULL), -1);
	assert_string_equal(session_sig_name(SIGBUS), "SIG@openssh.com");
	assert_string_equal(session_sig_name(SIGCHLD), "SIG@openssh.com");
}

/* ---- AcceptEnv ---- */

static void
test_acceptable(void **state)
{
	static const struct {
		const char *name, *value;
		int want;
	} t[] = {
		{ "LANG", "C", 1 },
		{ "LC_ALL", "C", 1 },
		{ "LC_", "x", 1 },
		{ "XMODIFIERS", "", 1 },
		{ "LANGUAGE", "en", 0 },	/* not LANG* */
		{ "lang", "C", 0 },		/* case-sensitive */
		{ "FOO", "bar", 0 },
		{ "", "x", 0 },
		{ "LC_A=B", "x", 0 },		/* '=' in a name */
		{ "X?", "x", 0 },
	};
	struct strlist acc = { 0 };
	char big[SESSION_ENV_MAX_VALUE + 2];
	char bigname[SESSION_ENV_MAX_NAME + 2];
	size_t i;

	(void)state;
	strlist_add(&acc, "LANG", NULL, 0);
	strlist_add(&acc, "LC_*", NULL, 0);
	strlist_add(&acc, "XMODIFIERS", NULL, 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(session_env_acceptable(&acc, t[i].name,
		    t[i].value), t[i].want);
	}
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(session_env_acceptable(&acc, "LANG", big), 0);
	big[SESSION_ENV_MAX_VALUE] = '\0';
	assert_int_equal(session_env_acceptable(&acc, "LANG", big), 1);
	memset(bigname, 'L', sizeof(bigname) - 1);
	bigname[0] = 'L';
	bigname[1] = 'C';
	bigname[2] = '_';
	bigname[sizeof(bigname) - 1] = '\0';
	assert_int_equal(session_env_acceptable(&acc, bigname, "x"), 0);
	assert_int_equal(session_env_acceptable(NULL, "LANG", "C"), 0);
	assert_int_equal(session_env_acceptable(&acc, NULL, "C"), 0);
	strlist_free(&acc);
}

/* ---- the vector ---- */

static void
test_env_vector(void **state)
{
	struct session_env e;
	char name[16];
	int i;

	(void)state;
	session_env_init(&e);
	session_env_set(&e, "A", "1");
	session_env_set(&e, "AB", "2");
	session_env_set(&e, "A", "3");		/* replaces, keeps AB */
	assert_int_equal(e.n, 2);
	assert_string_equal(session_env_get(&e, "A"), "3");
	assert_string_equal(session_env_get(&e, "AB"), "2");
	assert_null(session_env_get(&e, "B"));
	assert_int_equal(session_env_put(&e, "C=x=y"), 0);
	assert_string_equal(session_env_get(&e, "C"), "x=y");
	assert_int_equal(session_env_put(&e, "noequals"), PC_ERR_INVAL);
	assert_int_equal(session_env_put(&e, "=v"), PC_ERR_INVAL);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "V%d", i);
		session_env_set(&e, name, "x");
	}
	assert_int_equal(e.n, 103);
	assert_null(e.v[e.n]);			/* execve's terminator */
	session_env_free(&e);
	assert_null(e.v);
}

/* ---- build: order and precedence ---- */

struct build_fixture {
	struct session_env client, out;
	struct strlist setenv;
	struct session_env_in in;
};

static void
build_init(struct build_fixture *f)
{
	memset(f, 0, sizeof(*f));
	session_env_init(&f->client);
	session_env_init(&f->out);
	f->in.user = "alice";
	f->in.home = "/home/alice";
	f->in.shell = "/bin/sh";
	f->in.uid = 1000;
	f->in.client_addr = "192.0.2.7";
	f->in.client_port = 50000;
	f->in.local_addr = "198.51.100.1";
	f->in.local_port = 22;
	f->in.client_env = &f->client;
	f->in.set_env = &f->setenv;
	f->in.permit_user_env = "no";
}

static void
build_free(struct build_fixture *f)
{
	session_env_free(&f->client);
	session_env_free(&f->out);
	strlist_free(&f->setenv);
}

static const char *
get(struct build_fixture *f, const char *name)
{
	return session_env_get(&f->out, name);
}

static void
test_build_basic(void **state)
{
	struct build_fixture f;

	(void)state;
	build_init(&f);
	session_env_build(&f.in, &f.out);
	assert_string_equal(get(&f, "USER"), "alice");
	assert_string_equal(get(&f, "LOGNAME"), "alice");
	assert_string_equal(get(&f, "HOME"), "/home/alice");
	assert_string_equal(get(&f, "SHELL"), "/bin/sh");
	assert_string_equal(get(&f, "MAIL"), "/var/mail/alice");
	assert_string_equal(get(&f, "PATH"),
	    "/usr/local/bin:/usr/bin:/bin:/usr/games");
	assert_string_equal(get(&f, "SSH_CLIENT"), "192.0.2.7 50000 22");
	assert_string_equal(get(&f, "SSH_CONNECTION"),
	    "192.0.2.7 50000 198.51.100.1 22");
	assert_null(get(&f, "TERM"));
	assert_null(get(&f, "SSH_TTY"));
	assert_null(get(&f, "SSH_ORIGINAL_COMMAND"));
	assert_null(get(&f, "TZ"));
	assert_int_equal(f.out.n, 8);
	build_free(&f);

	build_init(&f);
	f.in.uid = 0;
	f.in.user = "root";
	f.in.term = "xterm";
	f.in.tty = "/dev/pts/3";
	f.in.original_command = "ls -l";
	f.in.tz = "UTC";
	session_env_build(&f.in, &f.out);
	assert_string_equal(get(&f, "PATH"),
	    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	assert_string_equal(get(&f, "TERM"), "xterm");
	assert_string_equal(get(&f, "SSH_TTY"), "/dev/pts/3");
	assert_string_equal(get(&f, "SSH_ORIGINAL_COMMAND"), "ls -l");
	assert_string_equal(get(&f, "TZ"), "UTC");
	build_free(&f);
}

static void
test_build_precedence(void **state)
{
	struct build_fixture f;
	char *key_env[] = { "KEYA=key", "USER=key-user", "NOTALLOWED=1",
		"bad", "=bad" };
	char *pam_env[] = { "PAMV=pam", "SSH_CONNECTION=forged",
		"SSH_AUTH_INFO_0=forged", "SETV=pam", "LANG=pam", NULL };

	(void)state;
	build_init(&f);
	/* the client's variables come first: the rest overrides them */
	session_env_set(&f.client, "LANG", "client");
	session_env_set(&f.client, "USER", "mallory");
	session_env_set(&f.client, "PATH", "/evil");
	session_env_set(&f.client, "SSH_CONNECTION", "forged");
	session_env_set(&f.client, "KEYA", "client");
	f.in.key_env = key_env;
	f.in.nkey_env = sizeof(key_env) / sizeof(key_env[0]);
	f.in.permit_user_env = "KEY*,USER";
	f.in.pam_env = pam_env;
	strlist_add(&f.setenv, "SETV=admin", NULL, 0);
	strlist_add(&f.setenv, "NOEQUALS", NULL, 0);
	session_env_build(&f.in, &f.out);

	assert_string_equal(get(&f, "PATH"),
	    "/usr/local/bin:/usr/bin:/bin:/usr/games");
	/* the key may set USER when the allowlist says so (as OpenSSH) */
	assert_string_equal(get(&f, "USER"), "key-user");
	assert_string_equal(get(&f, "KEYA"), "key");
	assert_null(get(&f, "NOTALLOWED"));
	assert_string_equal(get(&f, "PAMV"), "pam");
	assert_string_equal(get(&f, "LANG"), "pam");
	assert_null(get(&f, "SSH_AUTH_INFO_0"));
	assert_string_equal(get(&f, "SETV"), "admin");
	assert_null(get(&f, "NOEQUALS"));
	assert_string_equal(get(&f, "SSH_CONNECTION"),
	    "192.0.2.7 50000 198.51.100.1 22");
	build_free(&f);

	/* PermitUserEnvironment no: the key's variables are ignored */
	build_init(&f);
	f.in.key_env = key_env;
	f.in.nkey_env = sizeof(key_env) / sizeof(key_env[0]);
	session_env_build(&f.in, &f.out);
	assert_null(get(&f, "KEYA"));
	assert_string_equal(get(&f, "USER"), "alice");
	build_free(&f);

	/* yes: all of them */
	build_init(&f);
	f.in.key_env = key_env;
	f.in.nkey_env = sizeof(key_env) / sizeof(key_env[0]);
	f.in.permit_user_env = "yes";
	session_env_build(&f.in, &f.out);
	assert_string_equal(get(&f, "NOTALLOWED"), "1");
	build_free(&f);
}

static void
test_build_user_file(void **state)
{
	struct build_fixture f;

	(void)state;
	build_init(&f);
	f.in.user_env_file = DATA "environment";
	session_env_build(&f.in, &f.out);
	assert_null(get(&f, "FOO"));		/* permit no */
	build_free(&f);

	build_init(&f);
	f.in.user_env_file = DATA "environment";
	f.in.permit_user_env = "LANG,FOO";
	session_env_build(&f.in, &f.out);
	assert_string_equal(get(&f, "LANG"), "C.UTF-8");
	assert_string_equal(get(&f, "FOO"), "bar=baz");
	assert_null(get(&f, "LC_ALL"));
	build_free(&f);
}

/* ---- ~/.ssh/environment reader ---- */

static void
test_read_file(void **state)
{
	struct session_env e;

	(void)state;
	session_env_init(&e);
	assert_int_equal(session_env_read_file(&e, DATA "environment", NULL),
	    0);
	assert_string_equal(session_env_get(&e, "LANG"), "C.UTF-8");
	assert_string_equal(session_env_get(&e, "FOO"), "bar=baz");
	assert_string_equal(session_env_get(&e, "LC_ALL"), "C");
	assert_string_equal(session_env_get(&e, "EMPTY"), "");
	assert_null(session_env_get(&e, "novalue"));
	assert_int_equal(e.n, 4);
	session_env_free(&e);

	session_env_init(&e);
	assert_int_equal(session_env_read_file(&e, DATA "environment",
	    "LC_*"), 0);
	assert_int_equal(e.n, 1);
	assert_string_equal(session_env_get(&e, "LC_ALL"), "C");
	session_env_free(&e);

	/* an over-long line is skipped whole; the next one still counts */
	session_env_init(&e);
	assert_int_equal(session_env_read_file(&e, DATA "environment_long",
	    NULL), 0);
	assert_string_equal(session_env_get(&e, "A"), "1");
	assert_null(session_env_get(&e, "LONG"));
	assert_string_equal(session_env_get(&e, "B"), "2");
	assert_int_equal(e.n, 2);
	session_env_free(&e);

	session_env_init(&e);
	assert_int_equal(session_env_read_file(&e, DATA "nonexistent", NULL),
	    PC_ERR_NOTFOUND);
	assert_int_equal(e.n, 0);
	session_env_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sig_names),
		cmocka_unit_test(test_acceptable),
		cmocka_unit_test(test_env_vector),
		cmocka_unit_test(test_build_basic),
		cmocka_unit_test(test_build_precedence),
		cmocka_unit_test(test_build_user_file),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

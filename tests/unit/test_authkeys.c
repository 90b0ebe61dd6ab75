#include "config.h"

/* authorized_keys parser: table-driven cases (OpenSSH 9.2 behaviour), a
 * fixture file with real keys, and hostile inputs. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common/authkeys.h"
#include "common/err.h"

/* expected capability flags */
#define F_PF 0x01	/* port_forwarding */
#define F_AF 0x02	/* agent_forwarding */
#define F_XF 0x04	/* x11_forwarding */
#define F_PTY 0x08
#define F_RC 0x10	/* user_rc */
#define F_RESTR 0x20	/* restricted */
#define F_ALL (F_PF | F_AF | F_XF | F_PTY | F_RC)

#define K "AAAAC3NzaC1lZDI1NTE5AAAAIFUr48dn8s4FTrGze5KYSpqnR6us9w04fAkjEru3KApQ"

struct line_case {
	const char *line;
	int ret;
	int flags;		/* checked when ret == 0 */
	const char *type;
	const char *command;
	const char *from;
	size_t nopen, nlisten, nenv;
	const char *open0, *listen0, *env0;
	time_t expiry;		/* -1: only check != 0 */
};

/* Rows give only the fields they check; the rest are zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct line_case line_cases[] = {
	/* plain keys, every type */
	{ "ssh-ed25519 " K " c", 0, F_ALL, "ssh-ed25519" },
	{ "ssh-ed25519 " K, 0, F_ALL, "ssh-ed25519" },
	{ "ssh-ed25519 " K "\n", 0, F_ALL, "ssh-ed25519" },
	{ "ssh-ed25519 " K "\r\n", 0, F_ALL, "ssh-ed25519" },
	{ "  \tssh-ed25519\t" K "  comment with  spaces ", 0, F_ALL,
	    "ssh-ed25519" },
	{ "ssh-rsa AAAA", 0, F_ALL, "ssh-rsa" },
	{ "ssh-dss AAAA", 0, F_ALL, "ssh-dss" },
	{ "ecdsa-sha2-nistp256 AAAA", 0, F_ALL, "ecdsa-sha2-nistp256" },
	{ "ecdsa-sha2-nistp384 AAAA", 0, F_ALL, "ecdsa-sha2-nistp384" },
	{ "ecdsa-sha2-nistp521 AAAA", 0, F_ALL, "ecdsa-sha2-nistp521" },
	{ "sk-ecdsa-sha2-nistp256@openssh.com AAAA", 0, F_ALL,
	    "sk-ecdsa-sha2-nistp256@openssh.com" },
	{ "sk-ssh-ed25519@openssh.com AAAA", 0, F_ALL,
	    "sk-ssh-ed25519@openssh.com" },
	/* blank and comments */
	{ "", PC_ERR_NOTFOUND },
	{ "\n", PC_ERR_NOTFOUND },
	{ "   \t  ", PC_ERR_NOTFOUND },
	{ "# ssh-ed25519 " K, PC_ERR_NOTFOUND },
	{ "   # comment", PC_ERR_NOTFOUND },
	/* bad key part */
	{ "ssh-ed25519", PC_ERR_INVAL },
	{ "ssh-ed25519 ", PC_ERR_INVAL },
	{ "ssh-ed25519 AA*A", PC_ERR_INVAL },
	{ "ssh-ed25519 AA=A", PC_ERR_INVAL },
	{ "ssh-ed25519 A===", PC_ERR_INVAL },
	{ "ssh-foo AAAA", PC_ERR_INVAL },	/* taken as options: unknown */
	{ "restrict ssh-foo AAAA", PC_ERR_INVAL },
	{ "restrict", PC_ERR_INVAL },		/* no key */
	{ "restrict ", PC_ERR_INVAL },
	{ "SSH-ED25519 " K, PC_ERR_INVAL },	/* types are case-sensitive */
	{ "ssh-ed25519-cert-v01@openssh.com AAAA", PC_ERR_INVAL },
	{ "restrict ssh-rsa-cert-v01@openssh.com AAAA", PC_ERR_INVAL },
	{ "rsa-sha2-256 AAAA", PC_ERR_INVAL },	/* a signature name */

	/* flags, left to right */
	{ "restrict ssh-ed25519 " K, 0, F_RESTR, "ssh-ed25519" },
	{ "RESTRICT ssh-ed25519 " K, 0, F_RESTR, "ssh-ed25519" },
	{ "restrict,port-forwarding ssh-ed25519 " K, 0, F_RESTR | F_PF },
	{ "port-forwarding,restrict ssh-ed25519 " K, 0, F_RESTR },
	{ "restrict,pty,user-rc ssh-ed25519 " K, 0,
	    F_RESTR | F_PTY | F_RC },
	{ "restrict,agent-forwarding,X11-forwarding ssh-ed25519 " K, 0,
	    F_RESTR | F_AF | F_XF },
	{ "no-port-forwarding ssh-ed25519 " K, 0, F_ALL & ~F_PF },
	{ "No-Port-Forwarding ssh-ed25519 " K, 0, F_ALL & ~F_PF },
	{ "no-port-forwarding,port-forwarding ssh-ed25519 " K, 0, F_ALL },
	{ "port-forwarding,no-port-forwarding ssh-ed25519 " K, 0,
	    F_ALL & ~F_PF },
	{ "no-agent-forwarding,no-X11-forwarding,no-pty,no-user-rc "
	    "ssh-ed25519 " K, 0, F_PF },
	{ "no-x11-forwarding ssh-ed25519 " K, 0, F_ALL & ~F_XF },
	{ "no-touch-required,verify-required ssh-ed25519 " K, 0, F_ALL },
	{ "restrict,restrict ssh-ed25519 " K, 0, F_RESTR },

	/* malformed option lists */
	{ "no-such-option ssh-ed25519 " K, PC_ERR_INVAL },
	{ "restrict, ssh-ed25519 " K, PC_ERR_INVAL },
	{ "restrict,,pty ssh-ed25519 " K, PC_ERR_INVAL },
	{ ",restrict ssh-ed25519 " K, PC_ERR_INVAL },
	{ "restrictx ssh-ed25519 " K, PC_ERR_INVAL },
	{ "no-restrict ssh-ed25519 " K, PC_ERR_INVAL },
	{ "no-ptyx ssh-ed25519 " K, PC_ERR_INVAL },
	{ "pty=\"1\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "cert-authority ssh-ed25519 " K, PC_ERR_INVAL },
	{ "restrict,cert-authority ssh-ed25519 " K, PC_ERR_INVAL },
	{ "principals=\"a\" ssh-ed25519 " K, PC_ERR_INVAL },

	/* command, from */
	{ "command=\"ls -l\" ssh-ed25519 " K, 0, F_ALL, NULL, "ls -l" },
	{ "COMMAND=\"x\" ssh-ed25519 " K, 0, F_ALL, NULL, "x" },
	{ "command=\"echo \\\"a,b c\\\"\" ssh-ed25519 " K, 0, F_ALL, NULL,
	    "echo \"a,b c\"" },
	{ "command=\"a\\b\" ssh-ed25519 " K, 0, F_ALL, NULL, "a\\b" },
	{ "command=\"\" ssh-ed25519 " K, 0, F_ALL, NULL, "" },
	{ "command=\"x\",command=\"y\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "command=x ssh-ed25519 " K, PC_ERR_INVAL },
	{ "command=\"x ssh-ed25519 " K, PC_ERR_INVAL },
	{ "command ssh-ed25519 " K, PC_ERR_INVAL },
	{ "command=\"x\"y ssh-ed25519 " K, PC_ERR_INVAL },
	{ "from=\"10.0.0.0/8,!10.1.2.3,*.example.com\" ssh-ed25519 " K, 0,
	    F_ALL, NULL, NULL, "10.0.0.0/8,!10.1.2.3,*.example.com" },
	{ "from=\"a\",from=\"b\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "from=\"\" ssh-ed25519 " K, PC_ERR_INVAL },

	/* permitopen */
	{ "permitopen=\"127.0.0.1:80\" ssh-ed25519 " K, 0, F_ALL, NULL,
	    NULL, NULL, 1, 0, 0, "127.0.0.1:80" },
	{ "permitopen=\"host:*\",permitopen=\"[::1]:22\" ssh-ed25519 " K, 0,
	    F_ALL, NULL, NULL, NULL, 2, 0, 0, "host:*" },
	{ "permitopen=\"host/22\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL,
	    NULL, 1, 0, 0, "host/22" },
	{ "permitopen=\"host:ssh\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL,
	    NULL, 1, 0, 0, "host:ssh" },
	{ "permitopen=\"host:65535\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL,
	    NULL, 1, 0, 0, "host:65535" },
	{ "permitopen=\"host:0\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"host:65536\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"host:-1\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"host:80x\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"host:nosuchservice\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"host\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"host:\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"80\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"[::1\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"[::1]x:80\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitopen=\"::1:80\" ssh-ed25519 " K, PC_ERR_INVAL },

	/* permitlisten */
	{ "permitlisten=\"8080\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL, NULL,
	    0, 1, 0, NULL, "8080" },
	{ "permitlisten=\"localhost:8080\" ssh-ed25519 " K, 0, F_ALL, NULL,
	    NULL, NULL, 0, 1, 0, NULL, "localhost:8080" },
	{ "permitlisten=\"[::1]:8080\" ssh-ed25519 " K, 0, F_ALL, NULL,
	    NULL, NULL, 0, 1, 0, NULL, "[::1]:8080" },
	{ "permitlisten=\"*:*\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL, NULL,
	    0, 1, 0, NULL, "*:*" },
	{ "permitlisten=\"host/8080\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitlisten=\"[::1]/8080\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitlisten=\"0\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitlisten=\"70000\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "permitlisten=\"\" ssh-ed25519 " K, PC_ERR_INVAL },

	/* environment */
	{ "environment=\"LANG=C\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL,
	    NULL, 0, 0, 1, NULL, NULL, "LANG=C" },
	{ "environment=\"A=1\",environment=\"A=2\" ssh-ed25519 " K, 0, F_ALL,
	    NULL, NULL, NULL, 0, 0, 1, NULL, NULL, "A=1" },
	{ "environment=\"A=1\",environment=\"AB=2\" ssh-ed25519 " K, 0, F_ALL,
	    NULL, NULL, NULL, 0, 0, 2, NULL, NULL, "A=1" },
	{ "environment=\"X_1=a b,c\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL,
	    NULL, 0, 0, 1, NULL, NULL, "X_1=a b,c" },
	{ "environment=\"A=\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL, NULL,
	    0, 0, 1, NULL, NULL, "A=" },
	{ "environment=\"=x\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "environment=\"NOVALUE\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "environment=\"A-B=1\" ssh-ed25519 " K, PC_ERR_INVAL },

	/* expiry-time (UTC forms give exact values) */
	{ "expiry-time=\"20300101Z\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL,
	    NULL, 0, 0, 0, NULL, NULL, NULL, 1893456000 },
	{ "expiry-time=\"203001010102UTC\" ssh-ed25519 " K, 0, F_ALL, NULL,
	    NULL, NULL, 0, 0, 0, NULL, NULL, NULL, 1893459720 },
	{ "expiry-time=\"20300101010203Z\" ssh-ed25519 " K, 0, F_ALL, NULL,
	    NULL, NULL, 0, 0, 0, NULL, NULL, NULL, 1893459723 },
	{ "expiry-time=\"20300101Z\",expiry-time=\"20200101Z\" ssh-ed25519 "
	    K, 0, F_ALL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL,
	    1577836800 },
	{ "expiry-time=\"20240229\" ssh-ed25519 " K, 0, F_ALL, NULL, NULL,
	    NULL, 0, 0, 0, NULL, NULL, NULL, -1 },
	{ "expiry-time=\"20230229\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"20231301\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"20230100\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"202301011\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"202301012400\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"2023O101\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"-2023010\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"\" ssh-ed25519 " K, PC_ERR_INVAL },
	{ "expiry-time=\"Z\" ssh-ed25519 " K, PC_ERR_INVAL },

	/* tunnel= accepted for compatibility (never offered) */
	{ "tunnel=\"0\" ssh-ed25519 " K, 0, F_ALL },
	{ "tunnel=\"x\" ssh-ed25519 " K, PC_ERR_INVAL },

	/* quoting: commas and spaces inside quotes belong to the value */
	{ "command=\"a b\",restrict ssh-ed25519 " K, 0, F_RESTR, NULL,
	    "a b" },
	{ "restrict,command=\"x\" ssh-ed25519 " K " trailing \"quote", 0,
	    F_RESTR, "ssh-ed25519", "x" },
	{ "command=\"\\\"\" ssh-ed25519 " K, 0, F_ALL, NULL, "\"" },
	{ "command=\"\\\\\" ssh-ed25519 " K, PC_ERR_INVAL },	/* \\ is no escape */
};

static void
check_line(const struct line_case *tc)
{
	struct key_opts o;
	char *buf = NULL, err[256];
	const char *type = NULL, *b64 = NULL;
	int r;

	r = authkeys_parse_line(tc->line, &o, &buf, &type, &b64, err,
	    sizeof(err));
	if (r != tc->ret) {
		fail_msg("line <%s>: got %d (%s), want %d", tc->line, r, err,
		    tc->ret);
	}
	if (r != 0) {
		assert_null(buf);
		/* opts left in their default state, nothing to leak */
		assert_null(o.command);
		assert_int_equal(o.npermitopen, 0);
		if (r == PC_ERR_INVAL && err[0] == '\0') {
			fail_msg("line <%s>: no error text", tc->line);
		}
		authkeys_opts_free(&o);
		return;
	}
	assert_non_null(buf);
	if (tc->type != NULL) {
		assert_string_equal(type, tc->type);
	}
	assert_true(b64 != NULL && b64[0] != '\0');
	if (((o.port_forwarding ? F_PF : 0) | (o.agent_forwarding ? F_AF : 0) |
	    (o.x11_forwarding ? F_XF : 0) | (o.pty ? F_PTY : 0) |
	    (o.user_rc ? F_RC : 0) | (o.restricted ? F_RESTR : 0)) !=
	    tc->flags) {
		fail_msg("line <%s>: flags pf=%d af=%d xf=%d pty=%d rc=%d "
		    "restrict=%d, want 0x%x", tc->line, o.port_forwarding,
		    o.agent_forwarding, o.x11_forwarding, o.pty, o.user_rc,
		    o.restricted, tc->flags);
	}
	if (tc->command != NULL) {
		assert_non_null(o.command);
		assert_string_equal(o.command, tc->command);
	}
	if (tc->from != NULL) {
		assert_non_null(o.from);
		assert_string_equal(o.from, tc->from);
	}
	assert_int_equal(o.npermitopen, tc->nopen);
	assert_int_equal(o.npermitlisten, tc->nlisten);
	assert_int_equal(o.nenvironment, tc->nenv);
	if (tc->open0 != NULL) {
		assert_string_equal(o.permitopen[0], tc->open0);
	}
	if (tc->listen0 != NULL) {
		assert_string_equal(o.permitlisten[0], tc->listen0);
	}
	if (tc->env0 != NULL) {
		assert_string_equal(o.environment[0], tc->env0);
	}
	if (tc->expiry == -1) {
		assert_true(o.expiry > 0);
	} else {
		assert_int_equal(o.expiry, tc->expiry);
	}
	authkeys_opts_free(&o);
	free(buf);
}

static void
test_lines(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		check_line(&line_cases[i]);
	}
}

/* Local-time expiry: same instant as mktime says. */
static void
test_expiry_local(void **state)
{
	struct key_opts o;
	struct tm tm;
	time_t want;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2031 - 1900;
	tm.tm_mon = 6;
	tm.tm_mday = 15;
	tm.tm_hour = 12;
	tm.tm_min = 30;
	tm.tm_isdst = -1;
	want = mktime(&tm);
	assert_int_equal(authkeys_parse_options(
	    "expiry-time=\"203107151230\"", &o, NULL, 0), 0);
	assert_int_equal(o.expiry, want);
	authkeys_opts_free(&o);
}

static void
test_fido_flags(void **state)
{
	struct key_opts o;

	assert_int_equal(authkeys_parse_options("restrict", &o, NULL, 0), 0);
	assert_false(o.no_touch_required || o.verify_required);
	assert_int_equal(authkeys_parse_options("no-touch-required", &o, NULL,
	    0), 0);
	assert_true(o.no_touch_required && !o.verify_required);
	assert_int_equal(authkeys_parse_options("Verify-Required,pty", &o,
	    NULL, 0), 0);
	assert_true(!o.no_touch_required && o.verify_required);
	assert_int_equal(authkeys_parse_options("touch-required", &o, NULL,
	    0), PC_ERR_INVAL);
}

static void
test_copy(void **state)
{
	struct key_opts o, c;
	char err[128];

	assert_int_equal(authkeys_parse_options("restrict,port-forwarding,"
	    "command=\"c\",from=\"f\",permitopen=\"a:1\",permitopen=\"b:2\","
	    "permitlisten=\"3\",environment=\"E=1\"", &o, err, sizeof(err)),
	    0);
	o.file = strdup("/x/authorized_keys");
	o.line = 7;
	authkeys_opts_copy(&c, &o);
	authkeys_opts_free(&o);
	assert_true(c.restricted && c.port_forwarding && !c.pty);
	assert_string_equal(c.command, "c");
	assert_string_equal(c.from, "f");
	assert_int_equal(c.npermitopen, 2);
	assert_string_equal(c.permitopen[1], "b:2");
	assert_string_equal(c.permitlisten[0], "3");
	assert_string_equal(c.environment[0], "E=1");
	assert_string_equal(c.file, "/x/authorized_keys");
	assert_int_equal(c.line, 7);
	authkeys_opts_free(&c);
	/* free leaves defaults behind; freeing twice is harmless */
	assert_true(c.port_forwarding && c.pty && !c.restricted);
	authkeys_opts_free(&c);
}

/* Hostile inputs: bounds and junk never crash, hang or loosen. */
static void
test_hostile(void **state)
{
	struct key_opts o;
	char *big, *buf, err[256];
	const char *t, *b;
	size_t i, n;
	int r;

	/* a line exactly too long */
	big = malloc(AUTHKEYS_MAX_LINE + 64);
	assert_non_null(big);
	memset(big, 'A', AUTHKEYS_MAX_LINE + 63);
	memcpy(big, "ssh-ed25519 ", 12);
	big[AUTHKEYS_MAX_LINE + 63] = '\0';
	assert_int_equal(authkeys_parse_line(big, &o, &buf, &t, &b, err,
	    sizeof(err)), PC_ERR_TOOLONG);
	/* one below the limit is fine */
	big[AUTHKEYS_MAX_LINE - 1] = '\0';
	assert_int_equal(authkeys_parse_line(big, &o, &buf, &t, &b, err,
	    sizeof(err)), 0);
	authkeys_opts_free(&o);
	free(buf);

	/* list over AUTHKEYS_MAX_LIST */
	n = 0;
	for (i = 0; i <= AUTHKEYS_MAX_LIST; i++) {
		n += (size_t)snprintf(big + n, AUTHKEYS_MAX_LINE + 64 - n,
		    "permitopen=\"h:%zu\",", i + 1);
	}
	snprintf(big + n, AUTHKEYS_MAX_LINE + 64 - n, "pty ssh-ed25519 "
	    K);
	r = authkeys_parse_line(big, &o, &buf, &t, &b, err, sizeof(err));
	assert_int_equal(r, PC_ERR_LIMIT);
	assert_int_equal(o.npermitopen, 0);
	assert_non_null(strstr(err, "too many"));

	/* many quotes and backslashes */
	memset(big, '"', 4000);
	big[4000] = '\0';
	r = authkeys_parse_line(big, &o, &buf, &t, &b, err, sizeof(err));
	assert_int_not_equal(r, 0);
	memset(big, '\\', 4000);
	r = authkeys_parse_line(big, &o, &buf, &t, &b, err, sizeof(err));
	assert_int_not_equal(r, 0);
	free(big);

	/* control bytes, high bytes */
	r = authkeys_parse_line("\x01\x02 ssh-ed25519 " K, &o, &buf, &t, &b,
	    err, sizeof(err));
	assert_int_equal(r, PC_ERR_INVAL);
	r = authkeys_parse_line("command=\"\xff\xfe\" ssh-ed25519 " K, &o,
	    &buf, &t, &b, err, sizeof(err));
	assert_int_equal(r, 0);
	authkeys_opts_free(&o);
	free(buf);
	/* NULL / zero-size error buffer */
	r = authkeys_parse_line("junk", &o, &buf, &t, &b, NULL, 0);
	assert_int_equal(r, PC_ERR_INVAL);
	r = authkeys_parse_options("restrict,", &o, err, 1);
	assert_int_equal(r, PC_ERR_INVAL);
	assert_int_equal(err[0], '\0');
}

/* The fixture file: real keys of every type, options, junk lines. */
static void
test_fixture(void **state)
{
	static const struct {
		int ret;
		const char *type;
		int flags;
		size_t nopen;
	} want[] = {
		{ 0, "ssh-ed25519", F_ALL, 0 },
		{ 0, "ecdsa-sha2-nistp256", F_ALL, 0 },
		{ 0, "ecdsa-sha2-nistp384", F_ALL, 0 },
		{ 0, "ecdsa-sha2-nistp521", F_ALL, 0 },
		{ 0, "ssh-rsa", F_ALL, 0 },
		{ 0, "ssh-ed25519", F_RESTR | F_PF, 2 },
		{ 0, "ecdsa-sha2-nistp256", F_ALL, 0 },
		{ PC_ERR_INVAL, NULL, 0, 0 },	/* cert-authority */
		{ PC_ERR_INVAL, NULL, 0, 0 },	/* unknown option */
		{ 0, "ecdsa-sha2-nistp384", F_ALL & ~F_PTY, 0 },
	};
	FILE *f;
	char line[AUTHKEYS_MAX_LINE + 2], *buf, err[256];
	const char *t, *b;
	struct key_opts o;
	size_t k = 0;
	int r, flags;

	f = fopen(TEST_DATA_DIR "/authkeys/authorized_keys", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		r = authkeys_parse_line(line, &o, &buf, &t, &b, err,
		    sizeof(err));
		if (r == PC_ERR_NOTFOUND) {
			continue;
		}
		assert_true(k < sizeof(want) / sizeof(want[0]));
		if (r != want[k].ret) {
			fail_msg("fixture key line %zu: got %d (%s)", k + 1,
			    r, err);
		}
		if (r == 0) {
			assert_string_equal(t, want[k].type);
			flags = (o.port_forwarding ? F_PF : 0) |
			    (o.agent_forwarding ? F_AF : 0) |
			    (o.x11_forwarding ? F_XF : 0) |
			    (o.pty ? F_PTY : 0) | (o.user_rc ? F_RC : 0) |
			    (o.restricted ? F_RESTR : 0);
			assert_int_equal(flags, want[k].flags);
			assert_int_equal(o.npermitopen, want[k].nopen);
			assert_true(strncmp(b, "AAAA", 4) == 0);
			free(buf);
		}
		authkeys_opts_free(&o);
		k++;
	}
	fclose(f);
	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_expiry_local),
		cmocka_unit_test(test_fido_flags),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

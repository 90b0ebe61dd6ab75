/* policy/pattern.c: F-Secure port patterns (Decision 2), ...To entries,
 * PermitOpen/PermitListen entries, user/group validators. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/addr.h"
#include "common/err.h"
#include "policy/pattern.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Ports probed for every pattern: the edges named by the issue plus the
 * neighbours that tell the metacharacters apart. */
static const int probe_ports[] = {
	0, 1, 7, 17, 22, 80, 300, 1023, 1024, 3000, 3009, 3010, 4000, 4050,
	4051, 5000, 5001, 30000, 30099, 30100, 65535,
};
#define NPROBE NELEM(probe_ports)

struct pp_case {
	const char *word;
	int want;		/* parse result */
	const char *match;	/* for each probe port, '1' match or '0' */
};

/*                               0 1 7 17 22 80 300 1023 1024 3000 3009 3010
 *                               4000 4050 4051 5000 5001 30000 30099 30100
 *                               65535 */
static const struct pp_case pp_cases[] = {
	{ "0",		0, "100000000000000000000" },
	{ "1",		0, "010000000000000000000" },
	{ "1023",	0, "000000010000000000000" },
	{ "1024",	0, "000000001000000000000" },
	{ "65535",	0, "000000000000000000001" },
	{ "ssh",	0, "000010000000000000000" },	/* service name */
	{ "<0",		0, "000000000000000000000" },
	{ "<1",		0, "100000000000000000000" },
	{ "<1024",	0, "111111110000000000000" },
	{ "<65535",	0, "111111111111111111110" },
	{ ">0",		0, "011111111111111111111" },
	{ ">1023",	0, "000000001111111111111" },
	{ ">1024",	0, "000000000111111111111" },
	{ ">5000",	0, "000000000000000011111" },	/* strictly */
	{ ">65535",	0, "000000000000000000000" },
	{ "4000..4050",	0, "000000000000110000000" },
	{ "0..1023",	0, "111111110000000000000" },
	{ "1024..65535", 0, "000000001111111111111" },
	{ "22..22",	0, "000010000000000000000" },
	{ "*",		0, "111111111111111111111" },	/* alone */
	{ "*7",		0, "001100000000000000000" },	/* first */
	{ "300*",	0, "000000100110000001100" },	/* last */
	{ "3*0",	0, "000000100101000001010" },	/* middle */
	{ "*0*",	0, "100001111111111111110" },
	{ "1*",		0, "010100011000000000000" },
	{ "65535*",	0, "000000000000000000001" },
	/* errors */
	{ "",		PC_ERR_INVAL, NULL },
	{ "65536",	PC_ERR_INVAL, NULL },
	{ "-1",		PC_ERR_INVAL, NULL },
	{ "<65536",	PC_ERR_INVAL, NULL },
	{ ">65536",	PC_ERR_INVAL, NULL },
	{ "<",		PC_ERR_INVAL, NULL },
	{ ">",		PC_ERR_INVAL, NULL },
	{ "<<5",	PC_ERR_INVAL, NULL },
	{ "<ssh",	PC_ERR_INVAL, NULL },
	{ "4050..4000",	PC_ERR_INVAL, NULL },	/* A > B */
	{ "1..65536",	PC_ERR_INVAL, NULL },
	{ "..5",	PC_ERR_INVAL, NULL },
	{ "5..",	PC_ERR_INVAL, NULL },
	{ "1...5",	PC_ERR_INVAL, NULL },
	{ "1..2..3",	PC_ERR_INVAL, NULL },
	{ "*65536",	PC_ERR_INVAL, NULL },	/* never matches */
	{ "655360*",	PC_ERR_INVAL, NULL },
	{ "3?0",	PC_ERR_INVAL, NULL },	/* no other metachar */
	{ "*x",		PC_ERR_INVAL, NULL },
	{ "<*",		PC_ERR_INVAL, NULL },
	{ "1-5",	PC_ERR_INVAL, NULL },
	{ "80,443",	PC_ERR_INVAL, NULL },
	{ "no-such-service-xyz", PC_ERR_INVAL, NULL },
	{ "**************7", 0, "001100000000000000000" },
	{ "****************7", PC_ERR_INVAL, NULL },	/* too long */
};

static void
test_port_pattern(void **state)
{
	struct port_pattern pp;
	char err[256];
	size_t i, j;
	int r;

	(void)state;
	for (i = 0; i < NELEM(pp_cases); i++) {
		const struct pp_case *c = &pp_cases[i];

		err[0] = '\0';
		r = port_pattern_parse(c->word, &pp, err, sizeof(err));
		if (r != c->want) {
			fail_msg("port_pattern_parse(\"%s\") = %d, want %d (%s)",
			    c->word, r, c->want, err);
		}
		assert_int_equal(pattern_port_validate(c->word, NULL, 0),
		    c->want);
		if (r != 0) {
			assert_true(err[0] != '\0');	/* says why */
			continue;
		}
		assert_int_equal(strlen(c->match), NPROBE);
		for (j = 0; j < NPROBE; j++) {
			bool want = c->match[j] == '1';

			if (port_pattern_match(&pp, probe_ports[j]) != want) {
				fail_msg("pattern \"%s\" port %d: got %d, "
				    "want %d", c->word, probe_ports[j], !want,
				    want);
			}
		}
		/* never a port outside 0..65535 */
		assert_false(port_pattern_match(&pp, 65536));
		assert_false(port_pattern_match(&pp, -1));
	}
}

struct to_case {
	const char *word;
	int want;
	bool cidr;
	const char *host;	/* to_pattern_match_name */
	bool host_match;
	const char *addr;	/* to_pattern_match_addr, NULL skip */
	bool addr_match;
	int port;
	bool port_match;
};

static const struct to_case to_cases[] = {
	{ "server.example.com:80", 0, false, "SERVER.example.com", true,
	  "192.0.2.1", false, 80, true },
	{ "*.example.com:*", 0, false, "a.example.com", true,
	  NULL, false, 1, true },
	{ "other.net:*", 0, false, "other.net", true, NULL, false, 65535,
	  true },
	{ "yoyodyne.com:<1024", 0, false, "yoyodyne.com", true, NULL, false,
	  1024, false },
	{ "*:22", 0, false, "anything", true, "::1", true, 23, false },
	{ "127.0.0.1:80", 0, true, "127.0.0.1", true, "127.0.0.1", true, 80,
	  true },
	{ "127.0.0.1:80", 0, true, "localhost", false, "127.0.0.2", false,
	  80, true },
	{ "127.0.0.*:80", 0, false, "127.0.0.9", true, "127.0.0.5", true,
	  80, true },
	{ "10.0.0.0/8:5432", 0, true, "10.9.9.9", true, "10.1.1.1", true,
	  5432, true },
	{ "10.0.0.0/8:5432", 0, true, "11.0.0.1", false, "::ffff:10.0.0.1",
	  true, 5433, false },
	{ "[2001:db8::/32]:443", 0, true, "2001:db8::5", true,
	  "2001:db9::1", false, 443, true },
	{ "[::1]:22", 0, true, "0:0::1", true, "::1", true, 22, true },
	{ "::1:22", 0, true, "::1", true, "::1", true, 22, true },
	{ "host:300*", 0, false, "host", true, NULL, false, 30099, true },
	/* errors */
	{ "server.example.com", PC_ERR_INVAL, false, NULL, false, NULL,
	  false, 0, false },
	{ ":80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0, false },
	{ "host:", PC_ERR_INVAL, false, NULL, false, NULL, false, 0, false },
	{ "host:65536", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "host:9..1", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "10.0.0.1/8:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "10.0.0.0/33:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "foo/8:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "[host]:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "[::1:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "[]:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0, false },
	{ "ho st:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0,
	  false },
	{ "a,b:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0, false },
	{ "!a:80", PC_ERR_INVAL, false, NULL, false, NULL, false, 0, false },
};

static void
test_to_pattern(void **state)
{
	struct to_pattern tp;
	struct pc_addr a;
	char err[256];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < NELEM(to_cases); i++) {
		const struct to_case *c = &to_cases[i];

		err[0] = '\0';
		r = to_pattern_parse(c->word, &tp, err, sizeof(err));
		if (r != c->want) {
			fail_msg("to_pattern_parse(\"%s\") = %d, want %d (%s)",
			    c->word, r, c->want, err);
		}
		assert_int_equal(pattern_to_validate(c->word, NULL, 0), c->want);
		if (r != 0) {
			assert_true(err[0] != '\0');
			continue;
		}
		if (tp.cidr != c->cidr) {
			fail_msg("\"%s\": cidr %d, want %d", c->word, tp.cidr,
			    c->cidr);
		}
		if (to_pattern_match_name(&tp, c->host) != c->host_match) {
			fail_msg("\"%s\" vs name \"%s\": want %d", c->word,
			    c->host, c->host_match);
		}
		if (c->addr != NULL) {
			assert_int_equal(addr_parse(c->addr, &a), 0);
			if (to_pattern_match_addr(&tp, &a) != c->addr_match) {
				fail_msg("\"%s\" vs address %s: want %d",
				    c->word, c->addr, c->addr_match);
			}
		}
		if (port_pattern_match(&tp.port, c->port) != c->port_match) {
			fail_msg("\"%s\" vs port %d: want %d", c->word, c->port,
			    c->port_match);
		}
	}
}

struct permit_case {
	const char *word;
	enum permit_kind kind;
	int want;
	const char *host;
	int port;
};

static const struct permit_case permit_cases[] = {
	{ "localhost:80", PERMIT_OPEN, 0, "localhost", 80 },
	{ "127.0.0.1:8080", PERMIT_OPEN, 0, "127.0.0.1", 8080 },
	{ "[::1]:22", PERMIT_OPEN, 0, "::1", 22 },
	{ "*:*", PERMIT_OPEN, 0, "*", 0 },
	{ "host:*", PERMIT_OPEN, 0, "host", 0 },
	{ "host:ssh", PERMIT_OPEN, 0, "host", 22 },
	{ "host:1", PERMIT_OPEN, 0, "host", 1 },
	{ "host:65535", PERMIT_OPEN, 0, "host", 65535 },
	{ "host:0", PERMIT_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "host:65536", PERMIT_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "host", PERMIT_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "8080", PERMIT_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "host/80", PERMIT_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "host:", PERMIT_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "host:x", PERMIT_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "host/80", PERMIT_KEY_OPEN, 0, "host", 80 },
	{ "[::1]/80", PERMIT_KEY_OPEN, 0, "::1", 80 },
	{ "host:*", PERMIT_KEY_OPEN, 0, "host", 0 },
	{ "host/0", PERMIT_KEY_OPEN, PC_ERR_INVAL, NULL, 0 },
	{ "8080", PERMIT_LISTEN, 0, "*", 8080 },	/* bare port */
	{ "*", PERMIT_LISTEN, 0, "*", 0 },
	{ "localhost:8080", PERMIT_LISTEN, 0, "localhost", 8080 },
	{ "[::1]:8080", PERMIT_LISTEN, 0, "::1", 8080 },
	{ "0", PERMIT_LISTEN, PC_ERR_INVAL, NULL, 0 },
	{ "65536", PERMIT_LISTEN, PC_ERR_INVAL, NULL, 0 },
	{ "localhost/8080", PERMIT_LISTEN, PC_ERR_INVAL, NULL, 0 },
	{ "8080", PERMIT_KEY_LISTEN, 0, "*", 8080 },
	{ "localhost/8080", PERMIT_KEY_LISTEN, PC_ERR_INVAL, NULL, 0 },
	{ "", PERMIT_LISTEN, PC_ERR_INVAL, NULL, 0 },
};

static void
test_permit_entry_parse(void **state)
{
	struct permit_entry e;
	char err[256];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < NELEM(permit_cases); i++) {
		const struct permit_case *c = &permit_cases[i];

		err[0] = '\0';
		r = permit_entry_parse(c->word, c->kind, &e, err, sizeof(err));
		if (r != c->want) {
			fail_msg("permit_entry_parse(\"%s\", %d) = %d, want %d "
			    "(%s)", c->word, c->kind, r, c->want, err);
		}
		if (r != 0) {
			assert_true(err[0] != '\0');
			continue;
		}
		assert_string_equal(e.host, c->host);
		assert_int_equal(e.port, c->port);
	}
	assert_int_equal(pattern_permitopen_validate("any", NULL, 0), 0);
	assert_int_equal(pattern_permitopen_validate("none", NULL, 0), 0);
	assert_int_equal(pattern_permitopen_validate("ANY", NULL, 0),
	    PC_ERR_INVAL);	/* any/none are case-sensitive (A.0) */
	assert_int_equal(pattern_permitopen_validate("h:1", NULL, 0), 0);
	assert_int_equal(pattern_permitlisten_validate("none", NULL, 0), 0);
	assert_int_equal(pattern_permitlisten_validate("1", NULL, 0), 0);
	assert_int_equal(pattern_permitlisten_validate("x", NULL, 0),
	    PC_ERR_INVAL);
}

static void
test_permit_entry_match(void **state)
{
	struct permit_entry e;

	(void)state;
	/* A.4: literal, case-sensitive; no DNS, no normalisation */
	assert_int_equal(permit_entry_parse("localhost:80", PERMIT_OPEN, &e,
	    NULL, 0), 0);
	assert_true(permit_entry_match_open(&e, "localhost", 80));
	assert_false(permit_entry_match_open(&e, "LOCALHOST", 80));
	assert_false(permit_entry_match_open(&e, "127.0.0.1", 80));
	assert_false(permit_entry_match_open(&e, "localhost", 81));
	assert_int_equal(permit_entry_parse("*:80", PERMIT_OPEN, &e, NULL, 0),
	    0);
	assert_true(permit_entry_match_open(&e, "anything", 80));
	assert_int_equal(permit_entry_parse("a*:80", PERMIT_OPEN, &e, NULL, 0),
	    0);
	assert_false(permit_entry_match_open(&e, "ab", 80));	/* no globs */
	assert_true(permit_entry_match_open(&e, "a*", 80));
	assert_int_equal(permit_entry_parse("h:*", PERMIT_OPEN, &e, NULL, 0),
	    0);
	assert_true(permit_entry_match_open(&e, "h", 0));
	assert_true(permit_entry_match_open(&e, "h", 65535));

	/* A.5: lower-cased request vs glob; pattern not lower-cased */
	assert_int_equal(permit_entry_parse("127.0.0.1:8080", PERMIT_LISTEN,
	    &e, NULL, 0), 0);
	assert_false(permit_entry_match_listen(&e, "localhost", 8080));
	assert_true(permit_entry_match_listen(&e, "127.0.0.1", 8080));
	assert_int_equal(permit_entry_parse("LOCALHOST:8080", PERMIT_LISTEN,
	    &e, NULL, 0), 0);
	assert_false(permit_entry_match_listen(&e, "localhost", 8080));
	assert_int_equal(permit_entry_parse("local*:8080", PERMIT_LISTEN, &e,
	    NULL, 0), 0);
	assert_true(permit_entry_match_listen(&e, "localhost", 8080));
	assert_false(permit_entry_match_listen(&e, "localhost", 0));
	assert_int_equal(permit_entry_parse("8080", PERMIT_LISTEN, &e, NULL,
	    0), 0);
	assert_true(permit_entry_match_listen(&e, "", 8080));
	assert_false(permit_entry_match_listen(&e, "", 0));
	assert_int_equal(permit_entry_parse("*", PERMIT_LISTEN, &e, NULL, 0),
	    0);
	assert_true(permit_entry_match_listen(&e, "localhost", 0));
}

struct val_case {
	const char *word;
	int user_want, group_want;
};

static const struct val_case val_cases[] = {
	{ "alice", 0, 0 },
	{ "alice,bob", 0, 0 },
	{ "a*", 0, 0 },
	{ "alice@10.0.0.0/8", 0, 0 },
	{ "alice@*.example.com", 0, 0 },
	{ "alice@10.0.0.1/8", PC_ERR_INVAL, 0 },
	{ "alice@", PC_ERR_INVAL, 0 },
	{ "@host", PC_ERR_INVAL, 0 },
	{ "", PC_ERR_INVAL, PC_ERR_INVAL },
	{ "alice,", PC_ERR_INVAL, PC_ERR_INVAL },
	{ ",alice", PC_ERR_INVAL, PC_ERR_INVAL },
	{ "!alice", PC_ERR_INVAL, PC_ERR_INVAL },
	{ "bob,!alice", PC_ERR_INVAL, PC_ERR_INVAL },
};

static void
test_user_group_validate(void **state)
{
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(val_cases); i++) {
		const struct val_case *c = &val_cases[i];
		int r;

		r = pattern_user_validate(c->word, err, sizeof(err));
		if (r != c->user_want) {
			fail_msg("pattern_user_validate(\"%s\") = %d, want %d",
			    c->word, r, c->user_want);
		}
		r = pattern_group_validate(c->word, err, sizeof(err));
		if (r != c->group_want) {
			fail_msg("pattern_group_validate(\"%s\") = %d, want %d",
			    c->word, r, c->group_want);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_pattern),
		cmocka_unit_test(test_to_pattern),
		cmocka_unit_test(test_permit_entry_parse),
		cmocka_unit_test(test_permit_entry_match),
		cmocka_unit_test(test_user_group_validate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

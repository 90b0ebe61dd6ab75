/* common/match.c: OpenSSH pattern semantics, table-driven. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/match.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct pat_case {
	const char *s;
	const char *pat;
	int want;
};

static const struct pat_case pattern_cases[] = {
	{ "", "", 1 },
	{ "a", "", 0 },
	{ "", "*", 1 },
	{ "", "?", 0 },
	{ "abc", "abc", 1 },
	{ "abc", "ABC", 0 },		/* case-sensitive */
	{ "abc", "a?c", 1 },
	{ "ac", "a?c", 0 },
	{ "abc", "*", 1 },
	{ "abc", "*c", 1 },		/* '*' first */
	{ "abc", "a*c", 1 },		/* '*' middle */
	{ "abc", "ab*", 1 },		/* '*' last */
	{ "abc", "abc*", 1 },		/* '*' matching nothing */
	{ "abc", "*abc", 1 },
	{ "abc", "a*b*c", 1 },
	{ "abc", "a*d", 0 },
	{ "abcbcd", "a*bcd", 1 },	/* needs backtracking */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
	  "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ac", 0 },
	{ "mississippi", "*sip*", 1 },
	{ "x.example.com", "*.example.com", 1 },
	{ "example.com", "*.example.com", 0 },
	{ "a,b", "a,b", 1 },		/* no list semantics here */
	{ "!a", "!a", 1 },
	{ "a", "**", 1 },
	{ "ab", "?*?", 1 },
	{ "a", "?*?", 0 },
};

static void
test_match_pattern(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(pattern_cases); i++) {
		const struct pat_case *c = &pattern_cases[i];
		int got = match_pattern(c->s, c->pat);

		if (got != c->want) {
			fail_msg("match_pattern(\"%s\", \"%s\") = %d, want %d",
			    c->s, c->pat, got, c->want);
		}
	}
	assert_int_equal(match_pattern(NULL, "*"), 0);
	assert_int_equal(match_pattern("a", NULL), 0);
}

struct list_case {
	const char *s;
	const char *list;
	int dolower;
	int want;
};

static const struct list_case list_cases[] = {
	{ "alice", "alice", 0, 1 },
	{ "alice", "bob,alice", 0, 1 },
	{ "alice", "bob,carol", 0, 0 },
	{ "alice", "*,!alice", 0, -1 },		/* negation wins over * */
	{ "alice", "!alice,*", 0, -1 },
	{ "bob", "*,!alice", 0, 1 },
	{ "bob", "!alice", 0, 0 },		/* negation alone: no match */
	{ "alice", "a*", 0, 1 },
	{ "Alice", "alice", 0, 0 },
	{ "Alice", "alice", 1, 1 },		/* dolower folds s */
	{ "alice", "Alice", 1, 0 },		/* ...not the pattern */
	{ "alice", "", 0, 0 },
	{ "", "", 0, 0 },			/* empty list: nothing */
	{ "", ",", 0, 1 },			/* empty entry matches "" */
	{ "a", "b,,a", 0, 1 },
	{ "alice", "al?ce,!bob", 0, 1 },
	{ "x", "!", 0, 0 },
	{ "", "!", 0, -1 },
	{ "alice", "alice,", 0, 1 },
};

static void
test_match_pattern_list(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(list_cases); i++) {
		const struct list_case *c = &list_cases[i];
		int got = match_pattern_list(c->s, c->list, c->dolower);

		if (got != c->want) {
			fail_msg("match_pattern_list(\"%s\", \"%s\", %d) = %d, "
			    "want %d", c->s, c->list, c->dolower, got, c->want);
		}
	}
}

static const struct list_case hostname_cases[] = {
	{ "Host.Example.COM", "*.example.com", 0, 1 },
	{ "host.example.com", "*.EXAMPLE.com", 0, 1 },
	{ "host.example.com", "*.example.com,!host.example.com", 0, -1 },
	{ "other.net", "*.example.com", 0, 0 },
	{ "localhost", "LOCALHOST", 0, 1 },
};

static void
test_match_hostname(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(hostname_cases); i++) {
		const struct list_case *c = &hostname_cases[i];
		int got = match_hostname(c->s, c->list);

		if (got != c->want) {
			fail_msg("match_hostname(\"%s\", \"%s\") = %d, want %d",
			    c->s, c->list, got, c->want);
		}
	}
}

struct addr_case {
	const char *addr;
	const char *list;
	int want;		/* addr_match_list */
	int want_cidr;		/* addr_match_cidr_list */
};

static const struct addr_case addr_cases[] = {
	{ "10.1.2.3", "10.0.0.0/8", 1, 1 },
	{ "11.1.2.3", "10.0.0.0/8", 0, 0 },
	{ "10.1.2.3", "10.1.2.3", 1, 1 },
	{ "10.1.2.3", "10.1.2.3/32", 1, 1 },
	{ "10.1.2.3", "0.0.0.0/0", 1, 1 },
	{ "10.1.2.3", "10.1.2.2/31", 1, 1 },
	{ "10.1.2.4", "10.1.2.2/31", 0, 0 },
	{ "10.1.2.3", "10.1.2.3/33", -2, -2 },	/* mask too long */
	{ "10.1.2.3", "10.1.2.3/8", -2, -2 },	/* host bits set */
	{ "10.1.2.3", "10.*", 1, -2 },		/* glob, not CIDR */
	{ "10.1.2.3", "10.0.0.0/8,!10.1.0.0/16", -1, -2 },
	{ "10.2.2.3", "10.0.0.0/8,!10.1.0.0/16", 1, -2 },
	{ "10.1.2.3", "", -2, -2 },		/* empty entry */
	{ "10.1.2.3", "10.0.0.0/8,", -2, -2 },
	{ "2001:db8::1", "2001:db8::/32", 1, 1 },
	{ "2001:db9::1", "2001:db8::/32", 0, 0 },
	{ "2001:db8::1", "2001:db8::1/128", 1, 1 },
	{ "2001:db8::1", "2001:db8::/129", -2, -2 },
	{ "2001:db8::1", "10.0.0.0/8", 0, 0 },	/* other family */
	{ "::ffff:10.1.2.3", "10.0.0.0/8", 1, 1 },	/* v4-mapped */
	{ "::1", "::1", 1, 1 },
	{ "::1", "0.0.0.0/0", 0, 0 },
	{ "::1", "::/0", 1, 1 },
	{ "not-an-address", "*", 0, 0 },	/* unparsable addr */
	{ "10.1.2.3", "host.example.com", 0, -2 },
	{ "10.1.2.3", "10.0.0.0/abc", 0, -2 },	/* glob fallback */
};

static void
test_addr_match_list(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(addr_cases); i++) {
		const struct addr_case *c = &addr_cases[i];
		int got = addr_match_list(c->addr, c->list);
		int gotc = addr_match_cidr_list(c->addr, c->list);

		if (got != c->want) {
			fail_msg("addr_match_list(\"%s\", \"%s\") = %d, want %d",
			    c->addr, c->list, got, c->want);
		}
		if (gotc != c->want_cidr) {
			fail_msg("addr_match_cidr_list(\"%s\", \"%s\") = %d, "
			    "want %d", c->addr, c->list, gotc, c->want_cidr);
		}
	}
	/* validation mode */
	assert_int_equal(addr_match_list(NULL, "10.0.0.0/8,*.x"), 0);
	assert_int_equal(addr_match_list(NULL, "10.0.0.1/8"), -2);
	assert_int_equal(match_cidr_list_valid("10.0.0.0/8,::1"), 0);
	assert_int_equal(match_cidr_list_valid("10.0.0.0/8,bad"), -1);
	assert_int_equal(match_cidr_list_valid("10.0.0.1/8"), -1);
	assert_int_equal(match_cidr_list_valid(""), -1);
}

struct user_case {
	const char *user, *host, *ip, *pat;
	int want;
};

static const struct user_case user_cases[] = {
	{ "alice", "10.1.2.3", "10.1.2.3", "alice", 1 },
	{ "alice", "10.1.2.3", "10.1.2.3", "bob", 0 },
	{ "alice", "10.1.2.3", "10.1.2.3", "a*", 1 },
	{ "Alice", "10.1.2.3", "10.1.2.3", "alice", 0 },	/* case */
	{ "alice", "10.1.2.3", "10.1.2.3", "alice@10.1.2.3", 1 },
	{ "alice", "10.1.2.3", "10.1.2.3", "alice@10.0.0.0/8", 1 },
	{ "alice", "11.1.2.3", "11.1.2.3", "alice@10.0.0.0/8", 0 },
	{ "alice", "10.1.2.3", "10.1.2.3", "alice@10.*", 1 },
	{ "alice", "10.1.2.3", "10.1.2.3", "bob@10.0.0.0/8", 0 },
	{ "alice", "h.example.com", "10.1.2.3", "alice@*.EXAMPLE.com", 1 },
	{ "alice", "h.example.com", "10.1.2.3", "alice@*.other", 0 },
	{ "alice", "10.1.2.3", "10.1.2.3", "alice@10.1.2.3/8", -1 },
	{ "alice", "10.1.2.3", "10.1.2.3",
	  "alice@10.0.0.0/8,!10.1.0.0/16", 0 },
	{ "alice", "10.2.2.3", "10.2.2.3",
	  "alice@10.0.0.0/8,!10.1.0.0/16", 1 },
	{ "alice", "::1", "::1", "alice@::1", 1 },
	{ "a@b", "10.1.2.3", "10.1.2.3", "a@b@10.1.2.3", 1 },
	/* test mode: only the HOST part is checked */
	{ NULL, NULL, NULL, "alice@10.0.0.0/8", 0 },
	{ NULL, NULL, NULL, "alice@10.0.0.1/8", -1 },
	{ NULL, NULL, NULL, "alice", 0 },
};

static void
test_match_user(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(user_cases); i++) {
		const struct user_case *c = &user_cases[i];
		int got = match_user(c->user, c->host, c->ip, c->pat);

		if (got != c->want) {
			fail_msg("match_user(%s, %s, %s, \"%s\") = %d, want %d",
			    c->user ? c->user : "NULL",
			    c->host ? c->host : "NULL",
			    c->ip ? c->ip : "NULL", c->pat, got, c->want);
		}
	}
}

static void
test_match_group_list(void **state)
{
	const char *const g[] = { "alice", "staff", "wheel", NULL };
	const char *const none[] = { NULL };

	(void)state;
	assert_int_equal(match_group_list(g, "staff"), 1);
	assert_int_equal(match_group_list(g, "students,staff"), 1);
	assert_int_equal(match_group_list(g, "students"), 0);
	assert_int_equal(match_group_list(g, "st*"), 1);
	assert_int_equal(match_group_list(g, "*,!wheel"), 0);	/* negated */
	assert_int_equal(match_group_list(g, "!students"), 0);
	assert_int_equal(match_group_list(g, "Staff"), 0);	/* case */
	assert_int_equal(match_group_list(none, "*"), 0);
	assert_int_equal(match_group_list(NULL, "*"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_pattern),
		cmocka_unit_test(test_match_pattern_list),
		cmocka_unit_test(test_match_hostname),
		cmocka_unit_test(test_addr_match_list),
		cmocka_unit_test(test_match_user),
		cmocka_unit_test(test_match_group_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

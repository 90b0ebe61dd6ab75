/* common/addr.c: address, CIDR, port and host:port parsing. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "common/addr.h"
#include "common/err.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct parse_case {
	const char *s;
	int want;		/* return code */
	int af;
	const char *ntop;	/* canonical text when ok */
};

static const struct parse_case parse_cases[] = {
	{ "127.0.0.1", 0, AF_INET, "127.0.0.1" },
	{ "0.0.0.0", 0, AF_INET, "0.0.0.0" },
	{ "255.255.255.255", 0, AF_INET, "255.255.255.255" },
	{ "::", 0, AF_INET6, "::" },
	{ "::1", 0, AF_INET6, "::1" },
	{ "2001:DB8::1", 0, AF_INET6, "2001:db8::1" },
	{ "::ffff:10.0.0.1", 0, AF_INET6, "::ffff:10.0.0.1" },
	{ "256.0.0.1", PC_ERR_INVAL, 0, NULL },
	{ "127.1", PC_ERR_INVAL, 0, NULL },	/* no inet_aton shortcuts */
	{ "localhost", PC_ERR_INVAL, 0, NULL },
	{ "", PC_ERR_INVAL, 0, NULL },
	{ "[::1]", PC_ERR_INVAL, 0, NULL },
	{ "fe80::1%eth0", PC_ERR_INVAL, 0, NULL },
	{ " 127.0.0.1", PC_ERR_INVAL, 0, NULL },
	{ "10.0.0.0/8", PC_ERR_INVAL, 0, NULL },
};

static void
test_addr_parse(void **state)
{
	struct pc_addr a;
	char buf[INET6_ADDRSTRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		int r = addr_parse(c->s, &a);

		if (r != c->want) {
			fail_msg("addr_parse(\"%s\") = %d, want %d", c->s, r,
			    c->want);
		}
		if (r != 0) {
			continue;
		}
		assert_int_equal(a.af, c->af);
		assert_non_null(addr_ntop(&a, buf, sizeof(buf)));
		assert_string_equal(buf, c->ntop);
	}
	assert_int_equal(addr_parse(NULL, &a), PC_ERR_INVAL);
}

struct cidr_case {
	const char *s;
	int want;
	unsigned int masklen;
};

static const struct cidr_case cidr_cases[] = {
	{ "10.0.0.0/8", 0, 8 },
	{ "10.0.0.1", 0, 32 },
	{ "0.0.0.0/0", 0, 0 },
	{ "10.0.0.1/32", 0, 32 },
	{ "10.0.0.0/33", PC_ERR_RANGE, 0 },
	{ "10.0.0.1/8", PC_ERR_RANGE, 0 },	/* host bits set */
	{ "10.0.0.0/", PC_ERR_INVAL, 0 },
	{ "10.0.0.0/x", PC_ERR_INVAL, 0 },
	{ "10.0.0.0/-1", PC_ERR_INVAL, 0 },
	{ "10.0.0.0/0008", PC_ERR_INVAL, 0 },
	{ "2001:db8::/32", 0, 32 },
	{ "2001:db8::1", 0, 128 },
	{ "::/0", 0, 0 },
	{ "2001:db8::/129", PC_ERR_RANGE, 0 },
	{ "2001:db8::1/64", PC_ERR_RANGE, 0 },
	{ "host/8", PC_ERR_INVAL, 0 },
	{ "/8", PC_ERR_INVAL, 0 },
};

static void
test_addr_parse_cidr(void **state)
{
	struct pc_addr a;
	unsigned int len;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cidr_cases); i++) {
		const struct cidr_case *c = &cidr_cases[i];
		int r = addr_parse_cidr(c->s, &a, &len);

		if (r != c->want) {
			fail_msg("addr_parse_cidr(\"%s\") = %d, want %d", c->s,
			    r, c->want);
		}
		if (r == 0 && len != c->masklen) {
			fail_msg("addr_parse_cidr(\"%s\"): masklen %u, want %u",
			    c->s, len, c->masklen);
		}
	}
}

struct in_case {
	const char *addr, *net;
	int want;
};

static const struct in_case in_cases[] = {
	{ "10.1.2.3", "10.0.0.0/8", 1 },
	{ "11.0.0.0", "10.0.0.0/8", 0 },
	{ "10.1.2.3", "10.1.2.0/25", 1 },
	{ "10.1.2.200", "10.1.2.0/25", 0 },
	{ "10.1.2.3", "0.0.0.0/0", 1 },
	{ "::ffff:10.1.2.3", "10.0.0.0/8", 1 },
	{ "10.1.2.3", "::ffff:10.0.0.0/104", 1 },
	{ "2001:db8:1::1", "2001:db8::/32", 1 },
	{ "2001:db8:1::1", "2001:db8::/48", 0 },
	{ "2001:db8::1", "2001:db8::/127", 1 },
	{ "::1", "10.0.0.0/8", 0 },
	{ "10.0.0.1", "::/0", 0 },
};

static void
test_addr_in_cidr(void **state)
{
	struct pc_addr a, n;
	unsigned int len;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(in_cases); i++) {
		const struct in_case *c = &in_cases[i];

		assert_int_equal(addr_parse(c->addr, &a), 0);
		assert_int_equal(addr_parse_cidr(c->net, &n, &len), 0);
		if (addr_in_cidr(&a, &n, len) != c->want) {
			fail_msg("addr_in_cidr(%s, %s) != %d", c->addr, c->net,
			    c->want);
		}
	}
}

static void
test_addr_sockaddr_loopback(void **state)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct pc_addr a;
	char buf[INET6_ADDRSTRLEN];
	int port = -1;

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(8080);
	inet_pton(AF_INET, "127.0.0.2", &sin.sin_addr);
	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&sin,
	    sizeof(sin), &a, &port), 0);
	assert_int_equal(a.af, AF_INET);
	assert_int_equal(port, 8080);
	assert_true(addr_is_loopback(&a));

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(65535);
	inet_pton(AF_INET6, "::ffff:192.0.2.7", &sin6.sin6_addr);
	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(sin6), &a, &port), 0);
	assert_int_equal(a.af, AF_INET);	/* mapped -> v4 */
	assert_int_equal(port, 65535);
	assert_string_equal(addr_ntop(&a, buf, sizeof(buf)), "192.0.2.7");
	assert_false(addr_is_loopback(&a));

	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(sin), &a, &port), PC_ERR_INVAL);	/* short */

	assert_int_equal(addr_parse("::1", &a), 0);
	assert_true(addr_is_loopback(&a));
	assert_int_equal(addr_parse("::", &a), 0);
	assert_false(addr_is_loopback(&a));
	assert_int_equal(addr_parse("127.255.0.1", &a), 0);
	assert_true(addr_is_loopback(&a));
	assert_int_equal(addr_parse("128.0.0.1", &a), 0);
	assert_false(addr_is_loopback(&a));
}

struct port_case {
	const char *s;
	bool service;
	int want;
	int port;
};

static const struct port_case port_cases[] = {
	{ "0", false, 0, 0 },
	{ "1", false, 0, 1 },
	{ "1023", false, 0, 1023 },
	{ "1024", false, 0, 1024 },
	{ "65535", false, 0, 65535 },
	{ "65536", false, PC_ERR_RANGE, 0 },
	{ "99999999999999999999", false, PC_ERR_RANGE, 0 },
	{ "080", false, 0, 80 },
	{ "-1", false, PC_ERR_INVAL, 0 },
	{ "+1", false, PC_ERR_INVAL, 0 },
	{ "1x", false, PC_ERR_INVAL, 0 },
	{ "", true, PC_ERR_INVAL, 0 },
	{ " 22", true, PC_ERR_INVAL, 0 },
	{ "ssh", false, PC_ERR_INVAL, 0 },
	{ "ssh", true, 0, 22 },
	{ "no-such-service-xyz", true, PC_ERR_INVAL, 0 },
	{ "*", true, PC_ERR_INVAL, 0 },
};

static void
test_port_parse(void **state)
{
	size_t i;
	int port;

	(void)state;
	for (i = 0; i < NELEM(port_cases); i++) {
		const struct port_case *c = &port_cases[i];
		int r;

		port = -1;
		r = port_parse(c->s, &port, c->service);
		if (r != c->want) {
			fail_msg("port_parse(\"%s\", %d) = %d, want %d", c->s,
			    c->service, r, c->want);
		}
		if (r == 0 && port != c->port) {
			fail_msg("port_parse(\"%s\"): port %d, want %d", c->s,
			    port, c->port);
		}
	}
}

struct split_case {
	const char *s;
	bool slash;
	int want;
	const char *host, *port;
	bool had_host;
};

static const struct split_case split_cases[] = {
	{ "localhost:80", false, 0, "localhost", "80", true },
	{ "127.0.0.1:8080", false, 0, "127.0.0.1", "8080", true },
	{ "[::1]:22", false, 0, "::1", "22", true },
	{ "[2001:db8::/32]:443", false, 0, "2001:db8::/32", "443", true },
	{ "*:*", false, 0, "*", "*", true },
	{ ":80", false, 0, "", "80", true },
	{ "8080", false, 0, "", "8080", false },
	{ "*", false, 0, "", "*", false },
	{ "host/80", true, 0, "host", "80", true },
	{ "[::1]/80", true, 0, "::1", "80", true },
	{ "host/80", false, 0, "", "host/80", false },
	{ "[::1]/80", false, PC_ERR_INVAL, "", "", false },
	{ "host:", false, PC_ERR_INVAL, "", "", false },
	{ "[::1]", false, PC_ERR_INVAL, "", "", false },
	{ "[::1", false, PC_ERR_INVAL, "", "", false },
	{ "[::1]x:80", false, PC_ERR_INVAL, "", "", false },
	{ "a:b:c", false, 0, "a", "b:c", true },
};

static void
test_hostport_split(void **state)
{
	char host[64], port[16];
	bool had;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(split_cases); i++) {
		const struct split_case *c = &split_cases[i];
		int r = hostport_split(c->s, host, sizeof(host), port,
		    sizeof(port), c->slash, &had);

		if (r != c->want) {
			fail_msg("hostport_split(\"%s\") = %d, want %d", c->s, r,
			    c->want);
		}
		if (r != 0) {
			continue;
		}
		if (strcmp(host, c->host) != 0 || strcmp(port, c->port) != 0 ||
		    had != c->had_host) {
			fail_msg("hostport_split(\"%s\") = (\"%s\", \"%s\", %d), "
			    "want (\"%s\", \"%s\", %d)", c->s, host, port, had,
			    c->host, c->port, c->had_host);
		}
	}
	/* bounded output */
	assert_int_equal(hostport_split("averyveryverylonghostname:80", host,
	    8, port, sizeof(port), false, &had), PC_ERR_TOOLONG);
	assert_int_equal(hostport_split("h:123456789012345678901", host,
	    sizeof(host), port, sizeof(port), false, &had), PC_ERR_TOOLONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_addr_parse_cidr),
		cmocka_unit_test(test_addr_in_cidr),
		cmocka_unit_test(test_addr_sockaddr_loopback),
		cmocka_unit_test(test_port_parse),
		cmocka_unit_test(test_hostport_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

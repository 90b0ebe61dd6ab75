/* policy_decide(): the extension layers (POLICY.md Part B) and the
 * Decisions they carry — Tectia user/group lists (B.1, Decision 6),
 * F-Secure ...To / ...Port rules (B.2, Decisions 2-5), the privileged
 * listen port (Decision 7) and "every layer can only remove" (1). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <cmocka.h>

#include "common/addr.h"
#include "common/log.h"
#include "policy/policy.h"
#include "policy/policy_config.h"
#include "test_policy_util.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAXADDR 4

struct ext_case {
	const char *name;
	int atf;			/* TP_ATF_* */
	const char *lists[TP_NLISTS];
	uid_t uid;			/* subject (alice: 1000) */
	const char *client_host;	/* NULL: the address */
	enum pc_kind kind;
	const char *host;
	long port;
	int allocated;
	const char *addrs;		/* space-separated resolved addresses */
	bool want;
	bool deferred;
	const char *rule;		/* deciding rule, NULL: don't check */
	int line;			/* its line (0: no location, -1:
					 * built-in) */
	const char *layer;		/* failing layer, NULL: don't check */
};

#define L(x) [TP_##x]
#define U 1000

static const struct ext_case ext_cases[] = {
	/* ---- B.1 / Decision 6: Tectia user and group lists ---------- */
	{ "allow users: other user", 0, { L(ALLOW_USERS) = "bob" }, U, NULL,
	  PC_OPEN, "h", 80, 0, NULL, false, false,
	  "AllowTcpForwardingForUsers bob", 12, "UserLists" },
	{ "allow users: listed", 0, { L(ALLOW_USERS) = "alice" }, U, NULL,
	  PC_LISTEN, "localhost", 8080, 0, NULL, true, false,
	  "AllowTcpForwardingForUsers alice", 12, NULL },
	{ "allow users: comma list", 0, { L(ALLOW_USERS) = "bob,alice" }, U,
	  NULL, PC_OPEN, "h", 80, 0, NULL, true, false,
	  "AllowTcpForwardingForUsers alice", 12, NULL },
	{ "allow users: words accumulate", 0,
	  { L(ALLOW_USERS) = "bob carol al?ce" }, U, NULL, PC_OPEN, "h", 80, 0,
	  NULL, true, false, "AllowTcpForwardingForUsers al?ce", 12, NULL },
	{ "allow users: USER@CIDR match", 0,
	  { L(ALLOW_USERS) = "alice@192.0.2.0/24" }, U, NULL, PC_OPEN, "h",
	  80, 0, NULL, true, false, NULL, 0, NULL },
	{ "allow users: USER@CIDR other net", 0,
	  { L(ALLOW_USERS) = "alice@10.0.0.0/8" }, U, NULL, PC_OPEN, "h", 80,
	  0, NULL, false, false, NULL, 0, "UserLists" },
	{ "allow users: USER@glob on address", 0,
	  { L(ALLOW_USERS) = "alice@192.0.2.*" }, U, NULL, PC_LISTEN, "", 8080,
	  0, NULL, true, false, NULL, 0, NULL },
	{ "allow users: USER@name with UseDNS", 0,
	  { L(ALLOW_USERS) = "alice@*.EXAMPLE.com" }, U, "h.example.com",
	  PC_OPEN, "h", 80, 0, NULL, true, false, NULL, 0, NULL },
	{ "allow users: case-sensitive names", 0,
	  { L(ALLOW_USERS) = "Alice" }, U, NULL, PC_OPEN, "h", 80, 0, NULL,
	  false, false, NULL, 0, "UserLists" },
	{ "deny wins over allow", 0,
	  { L(ALLOW_USERS) = "alice", L(DENY_USERS) = "alice" }, U, NULL,
	  PC_OPEN, "h", 80, 0, NULL, false, false,
	  "DenyTcpForwardingForUsers alice", 13, "UserLists" },
	{ "deny users: other user", 0, { L(DENY_USERS) = "bob" }, U, NULL,
	  PC_OPEN, "h", 80, 0, NULL, true, false, "default", 0, NULL },
	{ "deny users: USER@CIDR", 0, { L(DENY_USERS) = "*@192.0.2.0/24" }, U,
	  NULL, PC_LISTEN, "localhost", 8080, 0, NULL, false, false, NULL, 0,
	  "UserLists" },
	{ "deny groups: member", 0, { L(DENY_GROUPS) = "staff" }, U, NULL,
	  PC_LISTEN, "localhost", 8080, 0, NULL, false, false,
	  "DenyTcpForwardingForGroups staff", 15, "UserLists" },
	{ "deny groups beat allow users", 0,
	  { L(ALLOW_USERS) = "alice", L(DENY_GROUPS) = "st*" }, U, NULL,
	  PC_OPEN, "h", 80, 0, NULL, false, false, NULL, 0, "UserLists" },
	{ "allow groups: member", 0, { L(ALLOW_GROUPS) = "staff" }, U, NULL,
	  PC_OPEN, "h", 80, 0, NULL, true, false,
	  "AllowTcpForwardingForGroups staff", 14, NULL },
	{ "allow groups: not a member", 0, { L(ALLOW_GROUPS) = "wheel" }, U,
	  NULL, PC_OPEN, "h", 80, 0, NULL, false, false, NULL, 0,
	  "UserLists" },
	{ "allow users OR allow groups", 0,
	  { L(ALLOW_USERS) = "smith", L(ALLOW_GROUPS) = "students,staff" }, U,
	  NULL, PC_LISTEN, "localhost", 8080, 0, NULL, true, false,
	  "AllowTcpForwardingForGroups staff", 14, NULL },
	{ "allow lists never widen AllowTcpForwarding local", TP_ATF_LOCAL,
	  { L(ALLOW_USERS) = "alice" }, U, NULL, PC_LISTEN, "localhost", 8080,
	  0, NULL, false, false, "AllowTcpForwarding local", 2,
	  "AllowTcpForwarding" },

	/* ---- B.2 / Decision 5: ...ForwardingTo ----------------------- */
	{ "deny to: resolved address", 0,
	  { L(DENY_TO) = "127.0.0.1:80" }, U, NULL, PC_OPEN, "localhost", 80,
	  0, "127.0.0.1", false, false, "DenyForwardingTo 127.0.0.1:80", 19,
	  "ForwardingTo" },
	{ "deny to: other port", 0, { L(DENY_TO) = "127.0.0.1:80" }, U, NULL,
	  PC_OPEN, "localhost", 81, 0, "127.0.0.1", true, false, "default", 0,
	  NULL },
	{ "deny to: unresolved name matched as a string only", 0,
	  { L(DENY_TO) = "127.0.0.1:80" }, U, NULL, PC_OPEN, "nosuch", 80, 0,
	  NULL, true, false, NULL, 0, NULL },
	{ "deny to: glob on the numeric form", 0,
	  { L(DENY_TO) = "127.0.0.*:80" }, U, NULL, PC_OPEN, "localhost", 80,
	  0, "::1 127.0.0.1", false, false, NULL, 0, "ForwardingTo" },
	{ "deny to: name case-insensitive, <N", 0,
	  { L(DENY_TO) = "server.example.com:80 other.net:* yoyodyne.com:<1024" },
	  U, NULL, PC_OPEN, "YoYoDyne.COM", 1023, 0, NULL, false, false,
	  "DenyForwardingTo yoyodyne.com:<1024", 19, "ForwardingTo" },
	{ "deny to: <1024 spares 1024", 0,
	  { L(DENY_TO) = "yoyodyne.com:<1024" }, U, NULL, PC_OPEN,
	  "yoyodyne.com", 1024, 0, NULL, true, false, NULL, 0, NULL },
	{ "deny to: any port", 0, { L(DENY_TO) = "other.net:*" }, U, NULL,
	  PC_OPEN, "other.net", 65535, 0, NULL, false, false, NULL, 0,
	  "ForwardingTo" },
	{ "deny to: CIDR vs any resolved address", 0,
	  { L(DENY_TO) = "10.0.0.0/8:5432" }, U, NULL, PC_OPEN, "db", 5432, 0,
	  "192.168.1.1 10.1.1.1", false, false, NULL, 0, "ForwardingTo" },
	{ "allow to: CIDR, every address inside", 0,
	  { L(ALLOW_TO) = "10.0.0.0/8:5432" }, U, NULL, PC_OPEN, "db", 5432,
	  0, "10.1.1.1 10.2.2.2", true, false, "AllowForwardingTo 10.0.0.0/8:5432",
	  18, NULL },
	{ "allow to: CIDR, one address outside", 0,
	  { L(ALLOW_TO) = "10.0.0.0/8:5432" }, U, NULL, PC_OPEN, "db", 5432,
	  0, "10.1.1.1 192.168.1.1", false, false,
	  "AllowForwardingTo 10.0.0.0/8:5432", 18, "ForwardingTo" },
	{ "allow to: unresolved name", 0, { L(ALLOW_TO) = "10.0.0.0/8:5432" },
	  U, NULL, PC_OPEN, "db", 5432, 0, NULL, false, false, NULL, 0,
	  "ForwardingTo" },
	{ "allow to: numeric string inside the block", 0,
	  { L(ALLOW_TO) = "10.0.0.0/8:5432" }, U, NULL, PC_OPEN, "10.9.8.7",
	  5432, 0, NULL, true, false, NULL, 0, NULL },
	{ "allow to: name glob matches the string", 0,
	  { L(ALLOW_TO) = "*.example.com:443" }, U, NULL, PC_OPEN,
	  "www.example.com", 443, 0, "203.0.113.5", true, false, NULL, 0,
	  NULL },
	{ "allow to: wrong port", 0, { L(ALLOW_TO) = "*.example.com:443" }, U,
	  NULL, PC_OPEN, "www.example.com", 80, 0, "203.0.113.5", false, false,
	  NULL, 0, "ForwardingTo" },
	{ "allow to: [v6]/len", 0, { L(ALLOW_TO) = "[2001:db8::/32]:443" }, U,
	  NULL, PC_OPEN, "v6host", 443, 0, "2001:db8::1 2001:db8:1::2", true,
	  false, NULL, 0, NULL },
	{ "allow to: [v6]/len, one outside", 0,
	  { L(ALLOW_TO) = "[2001:db8::/32]:443" }, U, NULL, PC_OPEN, "v6host",
	  443, 0, "2001:db8::1 2001:db9::1", false, false, NULL, 0,
	  "ForwardingTo" },
	{ "allow to: range port", 0, { L(ALLOW_TO) = "host:4000..4050" }, U,
	  NULL, PC_OPEN, "host", 4050, 0, NULL, true, false, NULL, 0, NULL },
	{ "to: deny wins over allow", 0,
	  { L(ALLOW_TO) = "*:*", L(DENY_TO) = "secret:22" }, U, NULL, PC_OPEN,
	  "secret", 22, 0, NULL, false, false, "DenyForwardingTo secret:22",
	  19, "ForwardingTo" },
	{ "to rules ignore listens (Decision 4)", 0,
	  { L(ALLOW_TO) = "x:1", L(DENY_TO) = "*:*" }, U, NULL, PC_LISTEN,
	  "localhost", 8080, 0, NULL, true, false, "default", 0, NULL },
	{ "to rules after PermitOpen", 0,
	  { L(PERMIT_OPEN) = "secret:22", L(DENY_TO) = "secret:22" }, U, NULL,
	  PC_OPEN, "secret", 22, 0, NULL, false, false, NULL, 0,
	  "ForwardingTo" },

	/* ---- B.2 / Decisions 2, 4: ...ForwardingPort ---------------- */
	{ "allow port: 3000", 0,
	  { L(ALLOW_PORT) = "3000 4000..4050 >5000 *7" }, U, NULL, PC_LISTEN,
	  "localhost", 3000, 0, NULL, true, false, "AllowForwardingPort 3000",
	  16, NULL },
	{ "allow port: 4050", 0, { L(ALLOW_PORT) = "3000 4000..4050 >5000 *7" },
	  U, NULL, PC_LISTEN, "localhost", 4050, 0, NULL, true, false,
	  "AllowForwardingPort 4000..4050", 16, NULL },
	{ "allow port: 4051", 0, { L(ALLOW_PORT) = "3000 4000..4050 >5000 *7" },
	  U, NULL, PC_LISTEN, "localhost", 4051, 0, NULL, false, false,
	  "AllowForwardingPort 3000 4000..4050 >5000 *7", 16,
	  "ForwardingPort" },
	{ "allow port: 5000 is not >5000", 0,
	  { L(ALLOW_PORT) = "3000 4000..4050 >5000 *7" }, U, NULL, PC_LISTEN,
	  "localhost", 5000, 0, NULL, false, false, NULL, 0, "ForwardingPort" },
	{ "allow port: 5001", 0, { L(ALLOW_PORT) = "3000 4000..4050 >5000 *7" },
	  U, NULL, PC_LISTEN, "localhost", 5001, 0, NULL, true, false,
	  "AllowForwardingPort >5000", 16, NULL },
	{ "allow port: *7", 0, { L(ALLOW_PORT) = "3000 4000..4050 >5000 *7" },
	  U, NULL, PC_LISTEN, "localhost", 2007, 0, NULL, true, false,
	  "AllowForwardingPort *7", 16, NULL },
	{ "port: deny wins", 0,
	  { L(ALLOW_PORT) = "*", L(DENY_PORT) = "8080" }, U, NULL, PC_LISTEN,
	  "localhost", 8080, 0, NULL, false, false, "DenyForwardingPort 8080",
	  17, "ForwardingPort" },
	{ "port rules ignore opens (Decision 4)", 0,
	  { L(DENY_PORT) = "*" }, U, NULL, PC_OPEN, "h", 8080, 0, NULL, true,
	  false, "default", 0, NULL },
	{ "port 0: deferred", 0, { L(ALLOW_PORT) = "8080" }, U, NULL,
	  PC_LISTEN, "localhost", 0, 0, NULL, true, true, NULL, 0, NULL },
	{ "port 0: allocated port refused by allow list", 0,
	  { L(ALLOW_PORT) = "8080" }, U, NULL, PC_LISTEN, "localhost", 0,
	  40000, NULL, false, false, "AllowForwardingPort 8080", 16,
	  "ForwardingPort" },
	{ "port 0: allocated port admitted", 0, { L(ALLOW_PORT) = "8080" }, U,
	  NULL, PC_LISTEN, "localhost", 0, 8080, NULL, true, false,
	  "AllowForwardingPort 8080", 16, NULL },
	{ "port 0: <1024 never blocks -R 0", 0, { L(DENY_PORT) = "<1024" }, 0,
	  NULL, PC_LISTEN, "localhost", 0, 40000, NULL, true, false, NULL, 0,
	  NULL },
	{ "root: deny <1024 at 1023", 0, { L(DENY_PORT) = "<1024" }, 0, NULL,
	  PC_LISTEN, "localhost", 1023, 0, NULL, false, false, NULL, 0,
	  "ForwardingPort" },
	{ "root: deny <1024 at 1024", 0, { L(DENY_PORT) = "<1024" }, 0, NULL,
	  PC_LISTEN, "localhost", 1024, 0, NULL, true, false, NULL, 0, NULL },
	{ "root: allow 65535", 0, { L(ALLOW_PORT) = "65535" }, 0, NULL,
	  PC_LISTEN, "localhost", 65535, 0, NULL, true, false, NULL, 0, NULL },
	{ "root: allow 0..1 at 1", 0, { L(ALLOW_PORT) = "0..1" }, 0, NULL,
	  PC_LISTEN, "localhost", 1, 0, NULL, true, false, NULL, 0, NULL },

	/* ---- Decision 3: repeated lines accumulate, each entry keeps
	 * its own FILE:LINE ------------------------------------------- */
	{ "port lines accumulate", 0, { L(ALLOW_PORT) = "3000 ; 4000" }, U,
	  NULL, PC_LISTEN, "localhost", 4000, 0, NULL, true, false,
	  "AllowForwardingPort 4000", 116, NULL },
	{ "deny to lines accumulate", 0,
	  { L(DENY_TO) = "a:1 ; b:2 ; c:3" }, U, NULL, PC_OPEN, "C", 3, 0,
	  NULL, false, false, "DenyForwardingTo c:3", 219, "ForwardingTo" },
	{ "user lines accumulate", 0,
	  { L(ALLOW_USERS) = "bob ; carol,alice" }, U, NULL, PC_OPEN, "h", 1,
	  0, NULL, true, false, "AllowTcpForwardingForUsers alice", 112,
	  NULL },
	{ "failing allow list is cited at its first line", 0,
	  { L(ALLOW_PORT) = "3000 ; 4000" }, U, NULL, PC_LISTEN, "localhost",
	  5000, 0, NULL, false, false, "AllowForwardingPort 3000 4000", 16,
	  "ForwardingPort" },

	/* ---- Decision 7: privileged listen ports -------------------- */
	{ "user: listen 1", 0, { NULL }, U, NULL, PC_LISTEN, "localhost", 1,
	  0, NULL, false, false, "privileged port 1 < 1024 needs uid 0", -1,
	  "PrivilegedPort" },
	{ "user: listen 1023", 0, { NULL }, U, NULL, PC_LISTEN, "localhost",
	  1023, 0, NULL, false, false, NULL, 0, "PrivilegedPort" },
	{ "user: listen 1024", 0, { NULL }, U, NULL, PC_LISTEN, "localhost",
	  1024, 0, NULL, true, false, "default", 0, NULL },
	{ "user: listen 65535", 0, { NULL }, U, NULL, PC_LISTEN, "localhost",
	  65535, 0, NULL, true, false, NULL, 0, NULL },
	{ "root: listen 1", 0, { NULL }, 0, NULL, PC_LISTEN, "localhost", 1,
	  0, NULL, true, false, NULL, 0, NULL },
	{ "root: listen 1023", 0, { NULL }, 0, NULL, PC_LISTEN, "localhost",
	  1023, 0, NULL, true, false, NULL, 0, NULL },
	{ "user: port 0, allocated privileged", 0, { NULL }, U, NULL,
	  PC_LISTEN, "localhost", 0, 1000, NULL, false, false, NULL, 0,
	  "PrivilegedPort" },
	{ "user: privileged after port rules", 0, { L(ALLOW_PORT) = "80" }, U,
	  NULL, PC_LISTEN, "localhost", 80, 0, NULL, false, false, NULL, 0,
	  "PrivilegedPort" },
	{ "user: opens to low ports are fine", 0, { NULL }, U, NULL, PC_OPEN,
	  "h", 22, 0, NULL, true, false, NULL, 0, NULL },

	/* ---- Decision 1: layers only remove ------------------------- */
	{ "all layers allow", 0,
	  { L(PERMIT_OPEN) = "h:22", L(ALLOW_USERS) = "alice",
	    L(ALLOW_TO) = "h:22" }, U, NULL, PC_OPEN, "h", 22, 0, NULL, true,
	  false, "AllowTcpForwardingForUsers alice", 12, NULL },
	{ "one layer denies", 0,
	  { L(PERMIT_OPEN) = "h:22", L(ALLOW_USERS) = "alice",
	    L(ALLOW_TO) = "h:23" }, U, NULL, PC_OPEN, "h", 22, 0, NULL, false,
	  false, NULL, 0, "ForwardingTo" },
	{ "AllowForwardingTo cannot widen PermitOpen", 0,
	  { L(PERMIT_OPEN) = "h:22", L(ALLOW_TO) = "*:*" }, U, NULL, PC_OPEN,
	  "h", 23, 0, NULL, false, false, NULL, 0, "PermitOpen" },
	{ "AllowForwardingPort cannot widen PermitListen", 0,
	  { L(PERMIT_LISTEN) = "8080", L(ALLOW_PORT) = "*" }, U, NULL,
	  PC_LISTEN, "localhost", 8081, 0, NULL, false, false, NULL, 0,
	  "PermitListen" },
	{ "AllowTcpForwardingForUsers cannot widen AllowTcpForwarding no",
	  TP_ATF_NO, { L(ALLOW_USERS) = "alice" }, U, NULL, PC_OPEN, "h", 22,
	  0, NULL, false, false, "AllowTcpForwarding no", 2, NULL },
};

static size_t
ext_addrs(const char *list, struct pc_addr *a)
{
	char buf[256], *save, *w;
	size_t n = 0;

	if (list == NULL) {
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (w = strtok_r(buf, " ", &save); w != NULL && n < MAXADDR;
	    w = strtok_r(NULL, " ", &save)) {
		assert_int_equal(addr_parse(w, &a[n]), 0);
		n++;
	}
	return n;
}

static void
test_ext_table(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	struct pc_addr addrs[MAXADDR];
	size_t i, j, n;

	(void)state;
	for (i = 0; i < NELEM(ext_cases); i++) {
		const struct ext_case *e = &ext_cases[i];

		memset(&c, 0, sizeof(c));
		c.atf = e->atf;
		for (j = 0; j < TP_NLISTS; j++) {
			c.lists[j] = e->lists[j];
		}
		if (tp_build(&t, &c) != 0) {
			fail_msg("%s: policy_new failed", e->name);
		}
		tp_subject(&s, NULL);
		s.uid = e->uid;
		if (e->client_host != NULL) {
			s.client_host = e->client_host;
		}
		n = ext_addrs(e->addrs, addrs);
		if (e->kind == PC_OPEN) {
			tp_open(&r, e->host, e->port, n > 0 ? addrs : NULL, n);
		} else {
			tp_listen(&r, e->host, e->port, e->allocated);
		}
		policy_decide(t.p, &s, &r, &d);
		if (d.allow != e->want || d.port_deferred != e->deferred) {
			fail_msg("%s: %s%s, want %s%s (%s; layers %s)", e->name,
			    d.allow ? "allow" : "deny",
			    d.port_deferred ? " deferred" : "",
			    e->want ? "allow" : "deny",
			    e->deferred ? " deferred" : "", d.why,
			    tp_layers(&d));
		}
		if (e->rule != NULL && strcmp(d.rule, e->rule) != 0) {
			fail_msg("%s: rule \"%s\", want \"%s\"", e->name, d.rule,
			    e->rule);
		}
		if (e->rule != NULL && e->line == -1 && (d.file == NULL ||
		    strcmp(d.file, PC_RULE_BUILTIN) != 0 || d.line != 0)) {
			fail_msg("%s: rule at %s:%d, want built-in", e->name,
			    d.file ? d.file : "(none)", d.line);
		}
		if (e->rule != NULL && e->line != -1 && (e->line != d.line ||
		    (e->line == 0) != (d.file == NULL))) {
			fail_msg("%s: rule at %s:%d, want line %d", e->name,
			    d.file ? d.file : "(none)", d.line, e->line);
		}
		if (e->layer != NULL && (d.nlayers == 0 ||
		    strcmp(d.layers[d.nlayers - 1].name, e->layer) != 0 ||
		    d.layers[d.nlayers - 1].pass)) {
			fail_msg("%s: failing layer %s, want %s", e->name,
			    d.nlayers > 0 ? d.layers[d.nlayers - 1].name : "-",
			    e->layer);
		}
		/* extension denials have no OpenSSH log line */
		if (!d.allow && e->layer != NULL &&
		    strcmp(e->layer, "PermitOpen") != 0 &&
		    strcmp(e->layer, "PermitListen") != 0 &&
		    strcmp(e->layer, "AllowTcpForwarding") != 0) {
			assert_int_equal(d.openssh_denial, 0);
		}
		tp_free(&t);
	}
}

/* The daemon's two-call protocol for tcpip-forward with port 0. */
static void
test_port_zero_protocol(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.lists[TP_DENY_PORT] = "40000";
	c.gateway = PC_GW_CLIENTSPECIFIED;
	assert_int_equal(tp_build(&t, &c), 0);
	tp_subject(&s, NULL);

	/* 1: before binding: allowed, deferred, the bind mapping is given */
	tp_listen(&r, "0.0.0.0", 0, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_true(d.allow);
	assert_true(d.port_deferred);
	assert_int_equal(d.bind, PC_BIND_LITERAL);
	assert_string_equal(d.bind_addr, "0.0.0.0");
	assert_non_null(tp_layer(&d, "ForwardingPort"));
	assert_string_equal(tp_layer(&d, "ForwardingPort")->rule,
	    "deferred to the allocated port");

	/* 2a: the kernel gave 40000: refused, no longer deferred */
	r.allocated_port = 40000;
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	assert_false(d.port_deferred);
	assert_int_equal(d.bind, PC_BIND_NONE);
	assert_string_equal(d.rule, "DenyForwardingPort 40000");

	/* 2b: any other port: allowed, final */
	r.allocated_port = 40001;
	policy_decide(t.p, &s, &r, &d);
	assert_true(d.allow);
	assert_false(d.port_deferred);
	assert_int_equal(d.bind, PC_BIND_LITERAL);

	/* a bad allocated port is refused */
	r.allocated_port = 65536;
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	tp_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext_table),
		cmocka_unit_test(test_port_zero_protocol),
	};

	log_init("test_policy_ext", LOG_LEVEL_ERROR, LOG_USER, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

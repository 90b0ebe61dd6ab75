/* policy_decide(): OpenSSH layers (POLICY.md Part A) — GatewayPorts table
 * (A.3), the forward-control matrix (Part C), PermitOpen/PermitListen and
 * key option quirks (A.4-A.6), the recorded layers, config errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <cmocka.h>

#include "common/err.h"
#include "common/log.h"
#include "policy/policy.h"
#include "policy/policy_config.h"
#include "test_policy_util.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- A.3: GatewayPorts, every row x every value ---------------------- */

struct gw_case {
	const char *req;
	/* no, yes, clientspecified */
	enum pc_bind bind[3];
	const char *literal[3];
	bool overridden[3];
};

#define LO PC_BIND_LOOPBACK
#define WC PC_BIND_WILDCARD
#define LIT PC_BIND_LITERAL

static const struct gw_case gw_cases[] = {
	{ "localhost", { LO, WC, LO }, { NULL, NULL, NULL },
	  { false, true, false } },
	{ "", { LO, WC, WC }, { NULL, NULL, NULL }, { false, false, false } },
	{ "*", { LO, WC, WC }, { NULL, NULL, NULL }, { false, false, false } },
	{ "0.0.0.0", { LO, WC, LIT }, { NULL, NULL, "0.0.0.0" },
	  { false, false, false } },
	{ "::", { LO, WC, LIT }, { NULL, NULL, "::" }, { false, true, false } },
	{ "127.0.0.1", { LIT, WC, LIT }, { "127.0.0.1", NULL, "127.0.0.1" },
	  { false, true, false } },
	{ "::1", { LIT, WC, LIT }, { "::1", NULL, "::1" },
	  { false, true, false } },
	{ "192.0.2.7", { LO, WC, LIT }, { NULL, NULL, "192.0.2.7" },
	  { false, true, false } },
	{ "host.example", { LO, WC, LIT }, { NULL, NULL, "host.example" },
	  { false, true, false } },
};

static void
test_gateway_ports_table(void **state)
{
	static const int gw[3] = { PC_GW_NO, PC_GW_YES,
	    PC_GW_CLIENTSPECIFIED };
	static const char *const gwname[3] = { "no", "yes",
	    "clientspecified" };
	struct tp_cfg c;
	struct tp t;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	const struct pc_layer *l;
	size_t i, j;

	(void)state;
	tp_subject(&s, NULL);
	for (j = 0; j < 3; j++) {
		memset(&c, 0, sizeof(c));
		c.gateway = gw[j];
		assert_int_equal(tp_build(&t, &c), 0);
		for (i = 0; i < NELEM(gw_cases); i++) {
			const struct gw_case *g = &gw_cases[i];

			tp_listen(&r, g->req, 8080, 0);
			policy_decide(t.p, &s, &r, &d);
			if (!d.allow || d.bind != g->bind[j] ||
			    d.gateway_overridden != g->overridden[j] ||
			    (g->literal[j] != NULL &&
			    strcmp(d.bind_addr, g->literal[j]) != 0)) {
				fail_msg("GatewayPorts %s, request \"%s\": "
				    "allow %d bind %d addr \"%s\" overridden "
				    "%d; want bind %d addr \"%s\" overridden "
				    "%d", gwname[j], g->req, d.allow, d.bind,
				    d.bind_addr, d.gateway_overridden,
				    g->bind[j], g->literal[j] ? g->literal[j] :
				    "", g->overridden[j]);
			}
			if (g->literal[j] == NULL) {
				assert_string_equal(d.bind_addr, "");
			}
			l = tp_layer(&d, "GatewayPorts");
			assert_non_null(l);
			assert_true(l->pass);
			if (gw[j] == PC_GW_NO) {
				/* the default has no location */
				assert_null(l->file);
				assert_string_equal(l->rule, "GatewayPorts no");
			} else {
				assert_string_equal(l->file, TP_FILE);
				assert_int_equal(l->line, TP_LINE_GATEWAY);
			}
		}
		tp_free(&t);
	}
}

/* ---- Part C: forward-control.sh matrix --------------------------------
 * Each case says whether -L (to 127.0.0.1:FWD) and -R 127.0.0.1:FWD pass
 * when AllowTcpForwarding permits that direction. */

#define FWD 3301

static char *ko_po_match[] = { (char *)"127.0.0.1:3301", NULL };
static char *ko_po_mismatch[] = { (char *)"127.0.0.1:3302", NULL };
static char *ko_pl_match[] = { (char *)"127.0.0.1:3301", NULL };
static char *ko_pl_mismatch[] = { (char *)"127.0.0.1:3302", NULL };

struct fc_case {
	const char *name;
	bool key;		/* key-authenticated */
	bool pf, restricted;	/* key flags */
	char **permitopen, **permitlisten;
	const char *permit_open, *permit_listen;	/* admin */
	bool local_ok, remote_ok;
	int local_denial;	/* openssh_denial when local refused
				 * although AllowTcpForwarding permits */
};

static const struct fc_case fc_cases[] = {
	{ "no key", false, true, false, NULL, NULL, NULL, NULL,
	  true, true, 0 },
	{ "key, no options", true, true, false, NULL, NULL, NULL, NULL,
	  true, true, 0 },
	{ "PermitOpen mismatch", true, true, false, NULL, NULL,
	  "127.0.0.1:3302", NULL, false, true, 2 },
	{ "PermitOpen match", true, true, false, NULL, NULL,
	  "127.0.0.1:3301", NULL, true, true, 0 },
	{ "permitopen mismatch", true, true, false, ko_po_mismatch, NULL,
	  NULL, NULL, false, true, 2 },
	{ "permitopen match", true, true, false, ko_po_match, NULL,
	  NULL, NULL, true, true, 0 },
	{ "no-port-forwarding", true, false, false, NULL, NULL, NULL, NULL,
	  false, false, 1 },
	{ "restrict", true, false, true, NULL, NULL, NULL, NULL,
	  false, false, 1 },
	{ "restrict,port-forwarding", true, true, true, NULL, NULL, NULL,
	  NULL, true, true, 0 },
	{ "PermitListen mismatch", true, true, false, NULL, NULL, NULL,
	  "127.0.0.1:3302", true, false, 0 },
	{ "PermitListen match", true, true, false, NULL, NULL, NULL,
	  "127.0.0.1:3301", true, true, 0 },
	{ "permitlisten mismatch", true, true, false, NULL, ko_pl_mismatch,
	  NULL, NULL, true, false, 0 },
	{ "permitlisten match", true, true, false, NULL, ko_pl_match,
	  NULL, NULL, true, true, 0 },
};

static void
test_forward_control_matrix(void **state)
{
	static const struct {
		const char *name;
		int atf;
		bool local, remote;
	} atf[] = {
		{ "yes", TP_ATF_YES, true, true },
		{ "local", TP_ATF_LOCAL, true, false },
		{ "remote", TP_ATF_REMOTE, false, true },
		{ "no", TP_ATF_NO, false, false },
	};
	struct tp_cfg c;
	struct tp t;
	struct key_opts k;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	size_t i, j;
	bool want;
	int want_denial;

	(void)state;
	for (j = 0; j < NELEM(atf); j++) {
		for (i = 0; i < NELEM(fc_cases); i++) {
			const struct fc_case *f = &fc_cases[i];

			memset(&c, 0, sizeof(c));
			c.atf = atf[j].atf;
			c.lists[TP_PERMIT_OPEN] = f->permit_open;
			c.lists[TP_PERMIT_LISTEN] = f->permit_listen;
			assert_int_equal(tp_build(&t, &c), 0);
			tp_key(&k, f->pf, f->restricted, f->permitopen,
			    f->permitlisten);
			tp_subject(&s, f->key ? &k : NULL);

			tp_open(&r, "127.0.0.1", FWD, NULL, 0);
			policy_decide(t.p, &s, &r, &d);
			want = atf[j].local && f->local_ok;
			if (d.allow != want) {
				fail_msg("AllowTcpForwarding %s, %s: -L %s, "
				    "want %s (%s)", atf[j].name, f->name,
				    d.allow ? "allowed" : "denied",
				    want ? "allowed" : "denied", d.why);
			}
			/* A.11: which OpenSSH line the daemon logs */
			want_denial = want ? 0 : !atf[j].local ? 1 :
			    f->local_denial;
			if (d.openssh_denial != want_denial) {
				fail_msg("AllowTcpForwarding %s, %s: -L "
				    "openssh_denial %d, want %d", atf[j].name,
				    f->name, d.openssh_denial, want_denial);
			}

			tp_listen(&r, "127.0.0.1", FWD, 0);
			policy_decide(t.p, &s, &r, &d);
			want = atf[j].remote && f->remote_ok;
			if (d.allow != want) {
				fail_msg("AllowTcpForwarding %s, %s: -R %s, "
				    "want %s (%s)", atf[j].name, f->name,
				    d.allow ? "allowed" : "denied",
				    want ? "allowed" : "denied", d.why);
			}
			/* tcpip-forward refused by the flags: no INFO line;
			 * by PermitListen/permitlisten: line 2 */
			want_denial = want || !atf[j].remote || !f->pf ? 0 : 2;
			if (d.openssh_denial != want_denial) {
				fail_msg("AllowTcpForwarding %s, %s: -R "
				    "openssh_denial %d, want %d", atf[j].name,
				    f->name, d.openssh_denial, want_denial);
			}
			tp_free(&t);
		}
	}
}

/* ---- A.2: DisableForwarding overrides everything ---------------------- */

static void
test_disable_forwarding(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct key_opts k;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.disable = true;
	c.atf = TP_ATF_YES;
	c.lists[TP_PERMIT_OPEN] = "any";
	assert_int_equal(tp_build(&t, &c), 0);
	tp_key(&k, true, true, ko_po_match, NULL);
	tp_subject(&s, &k);
	tp_open(&r, "127.0.0.1", FWD, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	assert_int_equal(d.openssh_denial, 1);
	assert_string_equal(d.rule, "DisableForwarding yes");
	assert_string_equal(d.file, TP_FILE);
	assert_int_equal(d.line, TP_LINE_DISABLE);
	assert_string_equal(tp_layers(&d),
	    "request:pass DisableForwarding:fail");
	tp_listen(&r, "", 8080, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	assert_int_equal(d.openssh_denial, 0);
	assert_int_equal(d.bind, PC_BIND_NONE);
	tp_free(&t);
}

/* ---- A.4 / A.6: PermitOpen and permitopen ----------------------------- */

struct po_case {
	const char *admin;	/* PermitOpen line, NULL unset */
	const char *key[3];	/* permitopen= values */
	const char *host;
	long port;
	bool want;
};

static const struct po_case po_cases[] = {
	{ NULL, { NULL }, "anything", 1, true },
	{ "any", { NULL }, "anything", 65535, true },
	{ "none", { NULL }, "localhost", 80, false },
	{ "localhost:80", { NULL }, "localhost", 80, true },
	{ "localhost:80", { NULL }, "127.0.0.1", 80, false },	/* literal */
	{ "localhost:80", { NULL }, "LOCALHOST", 80, false },	/* case */
	{ "localhost:80", { NULL }, "localhost", 81, false },
	{ "127.0.0.1:8080", { NULL }, "localhost", 8080, false },
	{ "[::1]:22", { NULL }, "::1", 22, true },
	{ "[::1]:22", { NULL }, "0:0::1", 22, false },	/* no normalising */
	{ "*:80", { NULL }, "any.host", 80, true },
	{ "*:80", { NULL }, "any.host", 81, false },
	{ "h:*", { NULL }, "h", 1, true },
	{ "h:*", { NULL }, "h", 0, true },	/* '*' is the only 0 match */
	{ "h:1", { NULL }, "h", 0, false },
	{ "a*:80", { NULL }, "ab", 80, false },	/* no globs */
	{ "a:1 b:2 c:3", { NULL }, "b", 2, true },
	{ "localhost:ssh", { NULL }, "localhost", 22, true },
	/* key lists: same matching; '/' accepted there */
	{ NULL, { "localhost:80" }, "localhost", 80, true },
	{ NULL, { "localhost:80" }, "127.0.0.1", 80, false },
	{ NULL, { "localhost/80" }, "localhost", 80, true },
	{ NULL, { "a:1", "b:2" }, "b", 2, true },
	{ NULL, { "a:1", "b:2" }, "c", 2, false },
	{ NULL, { "*:*" }, "x", 9, true },
	{ NULL, { "bad entry" }, "x", 9, false },	/* fails closed */
	/* intersection: neither list widens the other */
	{ "a:1", { "b:2" }, "b", 2, false },
	{ "a:1", { "b:2" }, "a", 1, false },
	{ "a:1 b:2", { "b:2" }, "b", 2, true },
	{ "any", { "b:2" }, "a", 1, false },
	{ "none", { "*:*" }, "a", 1, false },
};

static void
test_permit_open(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct key_opts k;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	char *keyv[4];
	size_t i, j;

	(void)state;
	for (i = 0; i < NELEM(po_cases); i++) {
		const struct po_case *p = &po_cases[i];

		memset(&c, 0, sizeof(c));
		c.lists[TP_PERMIT_OPEN] = p->admin;
		assert_int_equal(tp_build(&t, &c), 0);
		for (j = 0; j < 3 && p->key[j] != NULL; j++) {
			keyv[j] = (char *)p->key[j];
		}
		keyv[j] = NULL;
		tp_key(&k, true, false, keyv, NULL);
		tp_subject(&s, &k);
		tp_open(&r, p->host, p->port, NULL, 0);
		policy_decide(t.p, &s, &r, &d);
		if (d.allow != p->want) {
			fail_msg("PermitOpen %s, permitopen %s: open %s:%ld "
			    "%s, want %s (%s)", p->admin ? p->admin : "unset",
			    p->key[0] ? p->key[0] : "unset", p->host, p->port,
			    d.allow ? "allowed" : "denied",
			    p->want ? "allowed" : "denied", d.why);
		}
		if (!d.allow) {
			assert_int_equal(d.openssh_denial, 2);
		}
		tp_free(&t);
	}
}

/* ---- A.5 / A.6: PermitListen and permitlisten ------------------------- */

struct pl_case {
	const char *admin;
	const char *key[3];
	const char *host;
	long port;
	int allocated;
	bool want;
};

static const struct pl_case pl_cases[] = {
	{ NULL, { NULL }, "localhost", 8080, 0, true },
	{ "none", { NULL }, "localhost", 8080, 0, false },
	{ "any", { NULL }, "localhost", 8080, 0, true },
	/* plain ssh -R 8080:... sends "localhost" */
	{ "127.0.0.1:8080", { NULL }, "localhost", 8080, 0, false },
	{ "localhost:8080", { NULL }, "localhost", 8080, 0, true },
	{ "8080", { NULL }, "localhost", 8080, 0, true },
	{ "*:8080", { NULL }, "localhost", 8080, 0, true },
	{ "8080", { NULL }, "localhost", 8081, 0, false },
	{ "localhost:8080", { NULL }, "127.0.0.1", 8080, 0, false },
	{ "127.0.0.1:8080", { NULL }, "127.0.0.1", 8080, 0, true },
	/* request lower-cased, pattern not */
	{ "localhost:8080", { NULL }, "LocalHost", 8080, 0, true },
	{ "LOCALHOST:8080", { NULL }, "localhost", 8080, 0, false },
	{ "LOCALHOST:8080", { NULL }, "LOCALHOST", 8080, 0, false },
	{ "local*:8080", { NULL }, "localhost", 8080, 0, true },
	{ "[::1]:8080", { NULL }, "::1", 8080, 0, true },
	{ "8080", { NULL }, "", 8080, 0, true },
	{ ":8080", { NULL }, "", 8080, 0, true },
	/* port 0 only matches '*', judged on the requested 0 */
	{ "8080", { NULL }, "localhost", 0, 0, false },
	{ "8080", { NULL }, "localhost", 0, 8080, false },
	{ "*", { NULL }, "localhost", 0, 0, true },
	{ "localhost:*", { NULL }, "localhost", 0, 40000, true },
	/* key permitlisten */
	{ NULL, { "8080" }, "localhost", 8080, 0, true },
	{ NULL, { "8080" }, "localhost", 8081, 0, false },
	{ NULL, { "localhost:8080" }, "127.0.0.1", 8080, 0, false },
	{ NULL, { "127.0.0.1:8080" }, "127.0.0.1", 8080, 0, true },
	{ NULL, { "localhost/8080" }, "localhost", 8080, 0, false },
	/* neither list widens the other (cfgmatchlisten.sh) */
	{ "localhost:8080", { "8080", "8081" }, "localhost", 8081, 0,
	  false },
	{ "8081", { "8080" }, "localhost", 8081, 0, false },
	{ "127.0.0.1:8080", { "127.0.0.1:8080" }, "127.0.0.1", 8080, 0,
	  true },
};

static void
test_permit_listen(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct key_opts k;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	char *keyv[4];
	size_t i, j;

	(void)state;
	for (i = 0; i < NELEM(pl_cases); i++) {
		const struct pl_case *p = &pl_cases[i];

		memset(&c, 0, sizeof(c));
		c.lists[TP_PERMIT_LISTEN] = p->admin;
		assert_int_equal(tp_build(&t, &c), 0);
		for (j = 0; j < 3 && p->key[j] != NULL; j++) {
			keyv[j] = (char *)p->key[j];
		}
		keyv[j] = NULL;
		tp_key(&k, true, false, NULL, keyv);
		tp_subject(&s, &k);
		tp_listen(&r, p->host, p->port, p->allocated);
		policy_decide(t.p, &s, &r, &d);
		if (d.allow != p->want) {
			fail_msg("PermitListen %s, permitlisten %s: listen "
			    "\"%s\":%ld (allocated %d) %s, want %s (%s)",
			    p->admin ? p->admin : "unset",
			    p->key[0] ? p->key[0] : "unset", p->host, p->port,
			    p->allocated, d.allow ? "allowed" : "denied",
			    p->want ? "allowed" : "denied", d.why);
		}
		if (!d.allow) {
			assert_int_equal(d.openssh_denial, 2);
		}
		tp_free(&t);
	}
}

/* ---- recorded layers, deciding rule and FILE:LINE --------------------- */

static void
test_decision_record(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct key_opts k;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	const struct pc_layer *l;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.lists[TP_PERMIT_OPEN] = "db:5432 localhost:80";
	assert_int_equal(tp_build(&t, &c), 0);
	tp_key(&k, true, false, NULL, NULL);
	tp_subject(&s, &k);

	tp_open(&r, "localhost", 80, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_true(d.allow);
	assert_string_equal(tp_layers(&d), "request:pass "
	    "DisableForwarding:pass AllowTcpForwarding:pass key:pass "
	    "UserLists:pass PermitOpen:pass ForwardingTo:pass");
	assert_string_equal(d.rule, "PermitOpen localhost:80");
	assert_string_equal(d.file, TP_FILE);
	assert_int_equal(d.line, TP_LINE_BASE + TP_PERMIT_OPEN);
	l = tp_layer(&d, "AllowTcpForwarding");
	assert_string_equal(l->rule, "AllowTcpForwarding yes");
	assert_null(l->file);			/* default */
	l = tp_layer(&d, "key");
	assert_string_equal(l->rule, "port-forwarding");
	assert_string_equal(l->file, "authorized_keys");
	assert_int_equal(l->line, 7);
	assert_int_equal(d.bind, PC_BIND_NONE);

	tp_open(&r, "localhost", 81, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	assert_string_equal(d.rule, "PermitOpen db:5432 localhost:80");
	assert_string_equal(d.file, TP_FILE);
	assert_int_equal(d.line, TP_LINE_BASE + TP_PERMIT_OPEN);
	assert_string_equal(tp_layers(&d), "request:pass "
	    "DisableForwarding:pass AllowTcpForwarding:pass key:pass "
	    "UserLists:pass PermitOpen:fail");
	assert_true(strlen(d.why) > 0);

	/* nothing restricted: rule "default", no location */
	tp_listen(&r, "localhost", 8080, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_true(d.allow);
	assert_string_equal(d.rule, "default");
	assert_null(d.file);
	assert_string_equal(tp_layers(&d), "request:pass "
	    "DisableForwarding:pass AllowTcpForwarding:pass key:pass "
	    "UserLists:pass PermitListen:pass ForwardingPort:pass "
	    "PrivilegedPort:pass GatewayPorts:pass");
	tp_free(&t);

	/* no policy: deny, never crash */
	tp_open(&r, "localhost", 80, NULL, 0);
	policy_decide(NULL, &s, &r, &d);
	assert_false(d.allow);
	tp_open(&r, NULL, 80, NULL, 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(tp_build(&t, &c), 0);
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	assert_string_equal(d.layers[0].name, "request");
	tp_free(&t);
}

/* ---- ports above 65535 are refused first, in both directions ---------- */

static void
test_request_ports(void **state)
{
	static const struct {
		enum pc_kind kind;
		long port;
		bool want;
	} cases[] = {
		{ PC_OPEN, 0, true }, { PC_OPEN, 1, true },
		{ PC_OPEN, 65535, true }, { PC_OPEN, 65536, false },
		{ PC_OPEN, -1, false }, { PC_OPEN, 4294967295L, false },
		{ PC_LISTEN, 1024, true }, { PC_LISTEN, 65535, true },
		{ PC_LISTEN, 65536, false }, { PC_LISTEN, 70000, false },
	};
	struct tp_cfg c;
	struct tp t;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.disable = true;	/* the request check still comes first */
	assert_int_equal(tp_build(&t, &c), 0);
	tp_subject(&s, NULL);
	for (i = 0; i < NELEM(cases); i++) {
		if (cases[i].kind == PC_OPEN) {
			tp_open(&r, "h", cases[i].port, NULL, 0);
		} else {
			tp_listen(&r, "h", cases[i].port, 0);
		}
		policy_decide(t.p, &s, &r, &d);
		assert_false(d.allow);
		assert_string_equal(d.layers[0].name, "request");
		if (d.layers[0].pass != cases[i].want) {
			fail_msg("kind %d port %ld: request layer %s", cases[i].kind,
			    cases[i].port, d.layers[0].pass ? "pass" : "fail");
		}
		assert_int_equal(d.openssh_denial,
		    cases[i].want && cases[i].kind == PC_OPEN ? 1 : 0);
	}
	tp_free(&t);
}

/* ---- malformed configuration never yields a policy -------------------- */

static void
test_config_errors(void **state)
{
	static const struct {
		enum tp_list list;
		const char *value;
	} bad[] = {
		{ TP_PERMIT_OPEN, "any localhost:80" },	/* must be alone */
		{ TP_PERMIT_OPEN, "localhost:80 none" },
		{ TP_PERMIT_OPEN, "localhost" },
		{ TP_PERMIT_OPEN, "localhost:0" },
		{ TP_PERMIT_LISTEN, "70000" },
		{ TP_PERMIT_LISTEN, "host/80" },
		{ TP_ALLOW_USERS, "!alice" },
		{ TP_DENY_USERS, "bob@10.0.0.1/8" },
		{ TP_ALLOW_GROUPS, "staff,,x" },
		{ TP_ALLOW_PORT, "4050..4000" },
		{ TP_DENY_PORT, "65536" },
		{ TP_ALLOW_TO, "host" },
		{ TP_DENY_TO, "10.0.0.1/8:80" },
	};
	struct tp_cfg c;
	struct tp t;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		memset(&c, 0, sizeof(c));
		c.lists[bad[i].list] = bad[i].value;
		if (tp_build(&t, &c) != PC_ERR_CONFIG) {
			fail_msg("list %d \"%s\" accepted", bad[i].list,
			    bad[i].value);
		}
		assert_null(t.p);
		tp_free(&t);
	}
	memset(&c, 0, sizeof(c));
	c.gateway = 7;
	assert_int_equal(tp_build(&t, &c), PC_ERR_CONFIG);
	tp_free(&t);
	assert_int_equal(policy_new(NULL, &t.p), PC_ERR_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gateway_ports_table),
		cmocka_unit_test(test_forward_control_matrix),
		cmocka_unit_test(test_disable_forwarding),
		cmocka_unit_test(test_permit_open),
		cmocka_unit_test(test_permit_listen),
		cmocka_unit_test(test_decision_record),
		cmocka_unit_test(test_request_ports),
		cmocka_unit_test(test_config_errors),
	};

	/* config errors are logged: to stderr, not the test host's syslog */
	log_init("test_policy", LOG_LEVEL_ERROR, LOG_USER, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* policy/explain.c: -X output, INFO line, OpenSSH A.11 lines, -X spec. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <cmocka.h>

#include "common/err.h"
#include "common/log.h"
#include "policy/explain.h"
#include "policy/policy.h"
#include "test_policy_util.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static char *
explain_capture(const struct pc_decision *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	assert_non_null(f);
	policy_explain_print(f, d);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void
test_explain_print(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct key_opts k;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	char *out;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.atf = TP_ATF_YES;
	c.lists[TP_PERMIT_OPEN] = "localhost:80";
	assert_int_equal(tp_build(&t, &c), 0);
	tp_key(&k, true, false, NULL, NULL);
	tp_subject(&s, &k);

	tp_open(&r, "localhost", 80, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	out = explain_capture(&d);
	assert_string_equal(out,
	    "allow\n"
	    "request pass port 80 within 0-65535 (built-in)\n"
	    "DisableForwarding pass DisableForwarding no\n"
	    "AllowTcpForwarding pass AllowTcpForwarding yes (test.conf:2)\n"
	    "key pass port-forwarding (authorized_keys:7)\n"
	    "UserLists pass default\n"
	    "PermitOpen pass PermitOpen localhost:80 (test.conf:10)\n"
	    "ForwardingTo pass default\n");
	free(out);

	tp_open(&r, "127.0.0.1", 80, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	out = explain_capture(&d);
	assert_string_equal(out,
	    "deny\n"
	    "request pass port 80 within 0-65535 (built-in)\n"
	    "DisableForwarding pass DisableForwarding no\n"
	    "AllowTcpForwarding pass AllowTcpForwarding yes (test.conf:2)\n"
	    "key pass port-forwarding (authorized_keys:7)\n"
	    "UserLists pass default\n"
	    "PermitOpen fail PermitOpen localhost:80 (test.conf:10)\n");
	free(out);

	tp_listen(&r, "localhost", 0, 0);
	policy_decide(t.p, &s, &r, &d);
	out = explain_capture(&d);
	assert_string_equal(out,
	    "allow\n"
	    "request pass port 0 within 0-65535 (built-in)\n"
	    "DisableForwarding pass DisableForwarding no\n"
	    "AllowTcpForwarding pass AllowTcpForwarding yes (test.conf:2)\n"
	    "key pass port-forwarding (authorized_keys:7)\n"
	    "UserLists pass default\n"
	    "PermitListen pass PermitListen any\n"
	    "ForwardingPort pass deferred to the allocated port\n"
	    "PrivilegedPort pass deferred to the allocated port "
	    "(built-in)\n"
	    "GatewayPorts pass GatewayPorts no\n");
	free(out);
	tp_free(&t);

	out = explain_capture(NULL);
	assert_string_equal(out, "deny\n");
	free(out);
}

static void
test_format_log(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct key_opts k;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	char buf[512], small[40], *out;
	static char *po[] = { (char *)"db:5432", NULL };

	(void)state;
	memset(&c, 0, sizeof(c));
	c.lists[TP_PERMIT_OPEN] = "localhost:80 db:5432";
	c.lists[TP_DENY_PORT] = "9000";
	assert_int_equal(tp_build(&t, &c), 0);
	tp_subject(&s, NULL);

	tp_open(&r, "localhost", 80, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_format_log(buf, sizeof(buf), "alice",
	    "192.0.2.10", 51234, &r, &d), 0);
	assert_string_equal(buf, "forward open allowed: user=alice "
	    "from=192.0.2.10 port=51234 to=localhost:80 "
	    "rule=\"PermitOpen localhost:80\" (test.conf:10)");

	tp_listen(&r, "", 8080, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_format_log(buf, sizeof(buf), "alice",
	    "::1", 2, &r, &d), 0);
	assert_string_equal(buf, "forward listen allowed: user=alice "
	    "from=::1 port=2 listen=:8080 rule=\"default\"");

	/* port 0: the allocated port is reported */
	tp_listen(&r, "localhost", 0, 9000);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_format_log(buf, sizeof(buf), "alice",
	    "192.0.2.10", 1, &r, &d), 0);
	assert_string_equal(buf, "forward listen denied: user=alice "
	    "from=192.0.2.10 port=1 listen=localhost:9000 "
	    "rule=\"DenyForwardingPort 9000\" (test.conf:17)");

	/* untrusted bytes are escaped; quotes inside the rule too */
	tp_key(&k, true, false, po, NULL);
	tp_subject(&s, &k);
	tp_open(&r, "evil\n\"host", 5432, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	assert_int_equal(policy_format_log(buf, sizeof(buf), "alice",
	    "192.0.2.10", 1, &r, &d), 0);
	assert_string_equal(buf, "forward open denied: user=alice "
	    "from=192.0.2.10 port=1 to=evil\\x0a\"host:5432 "
	    "rule=\"PermitOpen localhost:80 db:5432\" (test.conf:10)");
	tp_open(&r, "db", 5432, NULL, 0);
	c.lists[TP_PERMIT_OPEN] = NULL;
	tp_free(&t);
	assert_int_equal(tp_build(&t, &c), 0);
	tp_key(&k, true, false, po, NULL);
	tp_open(&r, "db", 5433, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_format_log(buf, sizeof(buf), "alice",
	    "192.0.2.10", 1, &r, &d), 0);
	assert_string_equal(buf, "forward open denied: user=alice "
	    "from=192.0.2.10 port=1 to=db:5433 "
	    "rule=\"permitopen=\\\"db:5432\\\"\" (authorized_keys:7)");

	/* built-in rules: named, with the location "built-in" */
	tp_subject(&s, NULL);
	tp_listen(&r, "localhost", 80, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_format_log(buf, sizeof(buf), "alice",
	    "192.0.2.10", 1, &r, &d), 0);
	assert_string_equal(buf, "forward listen denied: user=alice "
	    "from=192.0.2.10 port=1 listen=localhost:80 "
	    "rule=\"privileged port 80 < 1024 needs uid 0\" (built-in)");
	out = explain_capture(&d);
	assert_non_null(strstr(out, "\nPrivilegedPort fail privileged port 80 "
	    "< 1024 needs uid 0 (built-in)\n"));
	free(out);
	tp_open(&r, "db", 70000, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_format_log(buf, sizeof(buf), "alice",
	    "192.0.2.10", 1, &r, &d), 0);
	assert_string_equal(buf, "forward open denied: user=alice "
	    "from=192.0.2.10 port=1 to=db:70000 "
	    "rule=\"port 70000 outside 0-65535\" (built-in)");
	tp_subject(&s, &k);

	/* cut to fit, always terminated */
	assert_int_equal(policy_format_log(small, sizeof(small), "alice",
	    "192.0.2.10", 1, &r, &d), PC_ERR_TOOLONG);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(policy_format_log(buf, 0, "a", "b", 1, &r, &d),
	    PC_ERR_INVAL);
	tp_free(&t);
}

static void
test_openssh_lines(void **state)
{
	struct tp_cfg c;
	struct tp t;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	char buf[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.atf = TP_ATF_REMOTE;
	c.lists[TP_PERMIT_LISTEN] = "8080";
	assert_int_equal(tp_build(&t, &c), 0);
	tp_subject(&s, NULL);

	tp_open(&r, "127.0.0.1", 22, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_explain_openssh(buf, sizeof(buf),
	    "192.0.2.10", 51234, "127.0.0.1", 40000, &r, &d), 0);
	assert_string_equal(buf, "refused local port forward: originator "
	    "127.0.0.1 port 40000, target 127.0.0.1 port 22");

	tp_listen(&r, "localhost", 8081, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_explain_openssh(buf, sizeof(buf),
	    "192.0.2.10", 51234, NULL, 0, &r, &d), 0);
	assert_string_equal(buf, "Received request from 192.0.2.10 port "
	    "51234 to remote forward to host localhost port 8081, but the "
	    "request was denied.");

	tp_listen(&r, "localhost", 8080, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_true(d.allow);
	assert_int_equal(policy_explain_openssh(buf, sizeof(buf),
	    "192.0.2.10", 51234, NULL, 0, &r, &d), PC_ERR_NOTFOUND);
	assert_string_equal(buf, "");
	tp_free(&t);

	memset(&c, 0, sizeof(c));
	c.lists[TP_PERMIT_OPEN] = "a:1";
	assert_int_equal(tp_build(&t, &c), 0);
	tp_open(&r, "b", 2, NULL, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_int_equal(policy_explain_openssh(buf, sizeof(buf),
	    "192.0.2.10", 51234, "::1", 3, &r, &d), 0);
	assert_string_equal(buf, "Received request from 192.0.2.10 port "
	    "51234 to connect to host b port 2, but the request was denied.");
	tp_free(&t);

	/* tcpip-forward refused by the flags: OpenSSH logs nothing */
	memset(&c, 0, sizeof(c));
	c.atf = TP_ATF_NO;
	assert_int_equal(tp_build(&t, &c), 0);
	tp_listen(&r, "localhost", 8080, 0);
	policy_decide(t.p, &s, &r, &d);
	assert_false(d.allow);
	assert_int_equal(policy_explain_openssh(buf, sizeof(buf),
	    "192.0.2.10", 51234, NULL, 0, &r, &d), PC_ERR_NOTFOUND);
	tp_free(&t);
}

struct spec_case {
	const char *spec;
	int want;
	enum pc_kind kind;
	const char *host;
	long port;
	size_t ngroups;
	const char *key_file;
	int key_line;
};

static const struct spec_case spec_cases[] = {
	{ "user=alice,addr=192.0.2.10,open=localhost:80", 0, PC_OPEN,
	  "localhost", 80, 0, NULL, 0 },
	{ "open=[::1]:22,addr=::1,user=bob", 0, PC_OPEN, "::1", 22, 0, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,open=::1:22", 0, PC_OPEN, "::1", 22, 0, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,open=h:ssh", 0, PC_OPEN, "h", 22, 0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,open=h:70000", 0, PC_OPEN, "h", 70000, 0,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,listen=8080", 0, PC_LISTEN, "localhost", 8080,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,listen=:8080", 0, PC_LISTEN, "", 8080, 0,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,listen=0.0.0.0:0", 0, PC_LISTEN, "0.0.0.0", 0,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,listen=*:8080", 0, PC_LISTEN, "*", 8080, 0,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,listen=[::]:8080", 0, PC_LISTEN, "::", 8080,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,group=staff,group=wheel,listen=1", 0,
	  PC_LISTEN, "localhost", 1, 2, NULL, 0 },
	{ "user=a,addr=10.0.0.1,key=/home/a/.ssh/authorized_keys:3,open=h:1",
	  0, PC_OPEN, "h", 1, 0, "/home/a/.ssh/authorized_keys", 3 },
	/* errors */
	{ "", PC_ERR_INVAL, 0, NULL, 0, 0, NULL, 0 },
	{ "user=a,addr=10.0.0.1", PC_ERR_INVAL, 0, NULL, 0, 0, NULL, 0 },
	{ "addr=10.0.0.1,open=h:1", PC_ERR_INVAL, 0, NULL, 0, 0, NULL, 0 },
	{ "user=a,open=h:1", PC_ERR_INVAL, 0, NULL, 0, 0, NULL, 0 },
	{ "user=a,addr=host.example,open=h:1", PC_ERR_INVAL, 0, NULL, 0, 0,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,open=h:1,listen=2", PC_ERR_INVAL, 0, NULL, 0,
	  0, NULL, 0 },
	{ "user=a,user=b,addr=10.0.0.1,open=h:1", PC_ERR_INVAL, 0, NULL, 0, 0,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,open=h", PC_ERR_INVAL, 0, NULL, 0, 0, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,open=:80", PC_ERR_INVAL, 0, NULL, 0, 0, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,open=h:", PC_ERR_INVAL, 0, NULL, 0, 0, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,open=h:4294967296", PC_ERR_INVAL, 0, NULL, 0,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,open=h:-1", PC_ERR_INVAL, 0, NULL, 0, 0, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,listen=[::1]8080", PC_ERR_INVAL, 0, NULL, 0,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,key=nofile,open=h:1", PC_ERR_INVAL, 0, NULL,
	  0, 0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,key=f:0,open=h:1", PC_ERR_INVAL, 0, NULL, 0,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,key=f:x,open=h:1", PC_ERR_INVAL, 0, NULL, 0,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,group=,open=h:1", PC_ERR_INVAL, 0, NULL, 0, 0,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,,open=h:1", PC_ERR_INVAL, 0, NULL, 0, 0, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,color=red,open=h:1", PC_ERR_INVAL, 0, NULL, 0,
	  0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,open=h:1,", PC_ERR_INVAL, 0, NULL, 0, 0, NULL,
	  0 },
};

static void
test_spec_parse(void **state)
{
	struct explain_spec sp;
	struct pc_request r;
	char err[256];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(spec_cases); i++) {
		const struct spec_case *c = &spec_cases[i];

		err[0] = '\0';
		rc = policy_explain_spec_parse(c->spec, &sp, err, sizeof(err));
		if (rc != c->want) {
			fail_msg("spec \"%s\": %d, want %d (%s)", c->spec, rc,
			    c->want, err);
		}
		if (rc != 0) {
			assert_true(err[0] != '\0');
			assert_null(sp.user);
			assert_null(sp.host);
			continue;
		}
		assert_int_equal(sp.kind, c->kind);
		assert_string_equal(sp.host, c->host);
		assert_int_equal(sp.port, c->port);
		assert_int_equal(sp.ngroups, c->ngroups);
		assert_int_equal(sp.have_groups, c->ngroups > 0);
		if (c->ngroups > 0) {
			assert_null(sp.groups[c->ngroups]);
		}
		assert_int_equal(sp.have_key, c->key_file != NULL);
		if (c->key_file != NULL) {
			assert_string_equal(sp.key_file, c->key_file);
			assert_int_equal(sp.key_line, c->key_line);
		}
		policy_explain_spec_request(&sp, &r);
		assert_int_equal(r.kind, c->kind);
		assert_ptr_equal(r.host, sp.host);
		assert_int_equal(r.port, c->port);
		assert_null(r.addrs);
		policy_explain_spec_free(&sp);
	}
	rc = policy_explain_spec_parse(
	    "user=alice,addr=192.0.2.10,group=staff,open=h:1", &sp, NULL, 0);
	assert_int_equal(rc, 0);
	assert_string_equal(sp.user, "alice");
	assert_string_equal(sp.addr, "192.0.2.10");
	assert_string_equal(sp.groups[0], "staff");
	policy_explain_spec_free(&sp);
	policy_explain_spec_free(NULL);
}

/* laddr= / lport=: the local end that Match LocalAddress/LocalPort test. */
static const struct {
	const char *spec;
	int want;
	const char *laddr;	/* NULL: not given */
	int lport;		/* 0: not given */
} local_cases[] = {
	{ "user=a,addr=10.0.0.1,open=h:1", 0, NULL, 0 },
	{ "user=a,addr=10.0.0.1,laddr=10.0.0.2,lport=2022,open=h:1", 0,
	  "10.0.0.2", 2022 },
	{ "lport=1,laddr=::1,user=a,addr=::1,listen=80", 0, "::1", 1 },
	{ "user=a,addr=10.0.0.1,lport=65535,open=h:1", 0, NULL, 65535 },
	{ "user=a,addr=10.0.0.1,lport=ssh,open=h:1", 0, NULL, 22 },
	{ "user=a,addr=10.0.0.1,laddr=127.0.0.1,open=h:1", 0, "127.0.0.1",
	  0 },
	{ "user=a,addr=10.0.0.1,lport=0,open=h:1", PC_ERR_INVAL, NULL, 0 },
	{ "user=a,addr=10.0.0.1,lport=65536,open=h:1", PC_ERR_INVAL, NULL,
	  0 },
	{ "user=a,addr=10.0.0.1,lport=-1,open=h:1", PC_ERR_INVAL, NULL, 0 },
	{ "user=a,addr=10.0.0.1,lport=,open=h:1", PC_ERR_INVAL, NULL, 0 },
	{ "user=a,addr=10.0.0.1,lport=no-such-service-x,open=h:1",
	  PC_ERR_INVAL, NULL, 0 },
	{ "user=a,addr=10.0.0.1,lport=22,lport=22,open=h:1", PC_ERR_INVAL,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,laddr=host.example,open=h:1", PC_ERR_INVAL,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,laddr=,open=h:1", PC_ERR_INVAL, NULL, 0 },
	{ "user=a,addr=10.0.0.1,laddr=::1,laddr=::1,open=h:1", PC_ERR_INVAL,
	  NULL, 0 },
	{ "user=a,addr=10.0.0.1,laddr=10.0.0.0/8,open=h:1", PC_ERR_INVAL,
	  NULL, 0 },
};

static void
test_spec_local(void **state)
{
	struct explain_spec sp;
	char err[256];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(local_cases); i++) {
		err[0] = '\0';
		rc = policy_explain_spec_parse(local_cases[i].spec, &sp, err,
		    sizeof(err));
		if (rc != local_cases[i].want) {
			fail_msg("spec \"%s\": %d, want %d (%s)",
			    local_cases[i].spec, rc, local_cases[i].want, err);
		}
		if (rc != 0) {
			assert_true(err[0] != '\0');
			assert_null(sp.laddr);
			assert_int_equal(sp.lport, 0);
			continue;
		}
		if (local_cases[i].laddr == NULL) {
			assert_null(sp.laddr);
		} else {
			assert_string_equal(sp.laddr, local_cases[i].laddr);
		}
		assert_int_equal(sp.lport, local_cases[i].lport);
		policy_explain_spec_free(&sp);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explain_print),
		cmocka_unit_test(test_format_log),
		cmocka_unit_test(test_openssh_lines),
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_spec_local),
	};

	log_init("test_policy_explain", LOG_LEVEL_ERROR, LOG_USER, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "config.h"

/*
 * libFuzzer target: the forwarding decision (policy/policy*.c) on fuzzed
 * configurations, subjects and requests, and its presentation
 * (policy/explain.c: -X output, the INFO line, OpenSSH's lines, the -X
 * spec parser).
 *
 * Input: lines of words (blank-separated, no quoting), keyword first,
 * case-insensitive; unknown lines are ignored:
 *	AllowTcpForwarding yes|all|local|remote|no    DisableForwarding yes|no
 *	GatewayPorts yes|no|clientspecified   AddressFamily any|inet|inet6
 *	UseDNS yes|no
 *	PermitOpen W...   PermitListen W...   (first line wins, as config)
 *	AllowTcpForwardingForUsers W...  AllowTcpForwardingForGroups W...
 *	DenyTcpForwardingForUsers W...   DenyTcpForwardingForGroups W...
 *	AllowForwardingPort W...  DenyForwardingPort W...
 *	AllowForwardingTo W...    DenyForwardingTo W...   (these accumulate)
 *	user NAME   uid N   groups G...   from ADDR [HOSTNAME]
 *	key OPTIONS          an authorized_keys options string
 *	open HOST PORT [ADDR...]      listen HOST PORT [ALLOCATED]
 *	xspec SPEC           a -X spec, parsed and decided
 * The words go to policy_new() unvalidated: it must refuse what it cannot
 * compile (PC_ERR_CONFIG), never crash.
 *
 * Checked for every decision (POLICY.md Decisions 1, 4, 7; policy.h):
 * at most PC_MAX_LAYERS layers; allow => every layer passed; deny => the
 * last layer failed and names the rule; a listen that is allowed says how
 * to bind; ports outside 0-65535, DisableForwarding, a direction that
 * AllowTcpForwarding lacks, a key without port-forwarding and a non-root
 * listen below 1024 are refused; the key can only remove permission (the
 * same request without the key is allowed too); DenyTcpForwardingForUsers
 * "*" refuses everything; the same question gets the same answer; the log
 * line and the -X text hold no raw control bytes (no log injection).
 *
 * fuzz-requires: policy/policy.c policy/policy_compile.c policy/pattern.c
 * fuzz-requires: policy/explain.c common/authkeys.c
 */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "common/addr.h"
#include "common/authkeys.h"
#include "common/err.h"
#include "common/strlist.h"
#include "policy/explain.h"
#include "policy/policy.h"
#include "policy/policy_config.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_POLICY_MAX_REQ	8
#define FUZZ_POLICY_MAX_ADDRS	8
#define FUZZ_POLICY_MAX_GROUPS	8
#define FUZZ_POLICY_MAX_WORDS	64

enum fuzz_policy_list {
	FPL_PERMIT_OPEN, FPL_PERMIT_LISTEN, FPL_ALLOW_USERS,
	FPL_ALLOW_GROUPS, FPL_DENY_USERS, FPL_DENY_GROUPS, FPL_ALLOW_PORT,
	FPL_DENY_PORT, FPL_ALLOW_TO, FPL_DENY_TO, FPL_NLISTS
};

static const char *const fuzz_policy_list_kw[FPL_NLISTS] = {
	"PermitOpen", "PermitListen", "AllowTcpForwardingForUsers",
	"AllowTcpForwardingForGroups", "DenyTcpForwardingForUsers",
	"DenyTcpForwardingForGroups", "AllowForwardingPort",
	"DenyForwardingPort", "AllowForwardingTo", "DenyForwardingTo",
};

struct fuzz_policy_req {
	struct pc_request r;
	struct pc_addr addrs[FUZZ_POLICY_MAX_ADDRS];
};

struct fuzz_policy_case {
	struct policy_config cfg;
	struct strlist lists[FPL_NLISTS];
	struct pc_subject s;
	const char *groups[FUZZ_POLICY_MAX_GROUPS + 1];
	struct key_opts key;
	bool have_key;
	struct fuzz_policy_req req[FUZZ_POLICY_MAX_REQ];
	size_t nreq;
	char *xspec[2];
	size_t nxspec;
};

/* -X text: 12 layers of at most a few hundred escaped bytes each */
static char fuzz_policy_text[65536];

static long
fuzz_policy_num(const char *s)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	return end == s ? 0 : v;
}

/* No raw control bytes except the newlines that end -X lines. */
static bool
fuzz_policy_clean(const char *s, bool newlines_ok)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < 0x20 || *p == 0x7f) && !(newlines_ok && *p == '\n')) {
			return false;
		}
	}
	return true;
}

static void
fuzz_policy_line(struct fuzz_policy_case *c, char **w, size_t n, int lineno)
{
	struct fuzz_policy_req *q;
	size_t i, k;
	char err[128];
	long v;

	for (k = 0; k < FPL_NLISTS; k++) {
		if (strcasecmp(w[0], fuzz_policy_list_kw[k]) != 0) {
			continue;
		}
		/* PermitOpen/PermitListen: only the first line counts */
		if ((k == FPL_PERMIT_OPEN || k == FPL_PERMIT_LISTEN) &&
		    c->lists[k].n > 0) {
			return;
		}
		for (i = 1; i < n; i++) {
			strlist_add(&c->lists[k], w[i], "fuzz", lineno);
		}
		return;
	}
	if (n < 2) {
		return;
	}
	if (strcasecmp(w[0], "AllowTcpForwarding") == 0) {
		c->cfg.allow_tcp_forwarding = strcasecmp(w[1], "no") == 0 ?
		    PC_FWD_NO : strcasecmp(w[1], "local") == 0 ? PC_FWD_LOCAL :
		    strcasecmp(w[1], "remote") == 0 ? PC_FWD_REMOTE :
		    PC_FWD_ALL;
		c->cfg.allow_tcp_forwarding_src.file = "fuzz";
		c->cfg.allow_tcp_forwarding_src.line = lineno;
	} else if (strcasecmp(w[0], "DisableForwarding") == 0) {
		c->cfg.disable_forwarding = strcasecmp(w[1], "yes") == 0;
		c->cfg.disable_forwarding_src.file = "fuzz";
		c->cfg.disable_forwarding_src.line = lineno;
	} else if (strcasecmp(w[0], "GatewayPorts") == 0) {
		c->cfg.gateway_ports = strcasecmp(w[1], "yes") == 0 ?
		    PC_GW_YES : strcasecmp(w[1], "clientspecified") == 0 ?
		    PC_GW_CLIENTSPECIFIED : PC_GW_NO;
		c->cfg.gateway_ports_src.file = "fuzz";
		c->cfg.gateway_ports_src.line = lineno;
	} else if (strcasecmp(w[0], "AddressFamily") == 0) {
		c->cfg.address_family = strcasecmp(w[1], "inet") == 0 ?
		    AF_INET : strcasecmp(w[1], "inet6") == 0 ? AF_INET6 :
		    AF_UNSPEC;
	} else if (strcasecmp(w[0], "UseDNS") == 0) {
		c->cfg.use_dns = strcasecmp(w[1], "yes") == 0;
	} else if (strcmp(w[0], "user") == 0) {
		c->s.user = w[1];
	} else if (strcmp(w[0], "uid") == 0) {
		c->s.uid = (uid_t)fuzz_policy_num(w[1]);
	} else if (strcmp(w[0], "groups") == 0) {
		for (i = 1; i < n && i <= FUZZ_POLICY_MAX_GROUPS; i++) {
			c->groups[i - 1] = w[i];
		}
		c->groups[i - 1] = NULL;
	} else if (strcmp(w[0], "from") == 0) {
		c->s.client_addr = w[1];
		c->s.client_host = n > 2 ? w[2] : w[1];
	} else if (strcmp(w[0], "key") == 0 && !c->have_key) {
		if (authkeys_parse_options(w[1], &c->key, err,
		    sizeof(err)) == 0) {
			c->have_key = true;
			c->key.line = lineno;	/* file stays NULL: freed by
						 * authkeys_opts_free */
		}
	} else if (strcmp(w[0], "xspec") == 0 && c->nxspec < 2) {
		c->xspec[c->nxspec++] = w[1];
	} else if ((strcmp(w[0], "open") == 0 || strcmp(w[0], "listen") == 0) &&
	    n >= 3 && c->nreq < FUZZ_POLICY_MAX_REQ) {
		q = &c->req[c->nreq++];
		memset(q, 0, sizeof(*q));
		q->r.kind = w[0][0] == 'o' ? PC_OPEN : PC_LISTEN;
		q->r.host = strcmp(w[1], "-") == 0 ? "" : w[1];
		q->r.port = fuzz_policy_num(w[2]);
		if (q->r.kind == PC_LISTEN) {
			v = n > 3 ? fuzz_policy_num(w[3]) : 0;
			q->r.allocated_port = v < -1 || v > 70000 ? -1 : (int)v;
			return;
		}
		q->r.addrs = q->addrs;
		for (i = 3; i < n && q->r.naddrs < FUZZ_POLICY_MAX_ADDRS; i++) {
			if (addr_parse(w[i], &q->addrs[q->r.naddrs]) == 0) {
				q->r.naddrs++;
			}
		}
	}
}

static void
fuzz_policy_check(const struct fuzz_policy_case *c, const struct pc_subject *s,
    const struct pc_request *r, const struct pc_decision *d)
{
	const struct pc_layer *last;
	bool open = r->kind == PC_OPEN;
	long port;
	size_t i;

	fuzz_check(d->nlayers >= 1 && d->nlayers <= PC_MAX_LAYERS,
	    "layer count");
	fuzz_check(fuzz_terminated(d->rule, sizeof(d->rule)) &&
	    fuzz_terminated(d->why, sizeof(d->why)) &&
	    fuzz_terminated(d->bind_addr, sizeof(d->bind_addr)),
	    "decision strings terminated");
	for (i = 0; i < d->nlayers; i++) {
		fuzz_check(d->layers[i].name != NULL &&
		    fuzz_terminated(d->layers[i].rule,
		    sizeof(d->layers[i].rule)), "layer text");
		if (d->allow) {
			fuzz_check(d->layers[i].pass,
			    "allow => every layer passed");
		}
	}
	if (!d->allow) {
		last = &d->layers[d->nlayers - 1];
		fuzz_check(!last->pass, "deny => the last layer failed");
		fuzz_check(strcmp(d->rule, last->rule) == 0,
		    "deny names the failing rule");
		fuzz_check(d->bind == PC_BIND_NONE && d->bind_addr[0] == '\0' &&
		    !d->port_deferred, "deny => nothing to bind");
		return;
	}
	/* allowed: none of the absolute refusals applies */
	fuzz_check(r->port >= 0 && r->port <= 65535 &&
	    r->allocated_port >= 0 && r->allocated_port <= 65535,
	    "ports outside 0-65535 are refused");
	fuzz_check(!c->cfg.disable_forwarding, "DisableForwarding refuses");
	fuzz_check((c->cfg.allow_tcp_forwarding &
	    (open ? PC_FWD_LOCAL : PC_FWD_REMOTE)) != 0,
	    "AllowTcpForwarding direction");
	fuzz_check(s->key == NULL || s->key->port_forwarding,
	    "a key without port-forwarding refuses");
	if (open) {
		fuzz_check(d->bind == PC_BIND_NONE && !d->port_deferred,
		    "open: nothing to bind");
		return;
	}
	fuzz_check(d->bind != PC_BIND_NONE, "listen allowed => bind mapping");
	fuzz_check(d->bind != PC_BIND_LITERAL || d->bind_addr[0] != '\0',
	    "literal bind has an address");
	port = r->port != 0 ? r->port : r->allocated_port;
	fuzz_check(d->port_deferred == (port == 0),
	    "port 0 is deferred until allocated");
	fuzz_check(s->uid == 0 || port == 0 || port >= 1024,
	    "non-root listen below 1024 refused");
}

/* The presentation of a decision: bounded, terminated, no raw control
 * bytes from the request (log injection). */
static void
fuzz_policy_present(const struct pc_subject *s, const struct pc_request *r,
    const struct pc_decision *d, size_t buflen)
{
	char *buf, *text;
	size_t textlen, lines = 0, i;
	FILE *f;
	int rc;

	buf = fuzz_outbuf(buflen);
	rc = policy_format_log(buf, buflen, s->user, s->client_addr, 51234, r,
	    d);
	fuzz_check(rc == 0 || rc == PC_ERR_TOOLONG || rc == PC_ERR_INVAL,
	    "format_log code");
	if (rc != PC_ERR_INVAL) {
		fuzz_check(fuzz_terminated(buf, buflen) &&
		    fuzz_policy_clean(buf, false), "log line is one clean line");
	}
	rc = policy_explain_openssh(buf, buflen, s->client_addr, 51234,
	    "127.0.0.1", 40000, r, d);
	fuzz_check(rc == 0 || rc == PC_ERR_TOOLONG || rc == PC_ERR_NOTFOUND ||
	    rc == PC_ERR_INVAL, "explain_openssh code");
	if (rc != PC_ERR_INVAL) {
		fuzz_check(fuzz_terminated(buf, buflen) &&
		    fuzz_policy_clean(buf, false),
		    "OpenSSH line is one clean line");
	}
	free(buf);

	/* a fixed buffer (fmemopen): open_memstream's allocations cost
	 * more than the decision under ASan */
	memset(fuzz_policy_text, 0, sizeof(fuzz_policy_text));
	f = fmemopen(fuzz_policy_text, sizeof(fuzz_policy_text) - 1, "w");
	fuzz_check(f != NULL, "fmemopen");
	policy_explain_print(f, d);
	fuzz_check(fclose(f) == 0, "fclose");
	text = fuzz_policy_text;
	textlen = strlen(text);
	fuzz_check(textlen < sizeof(fuzz_policy_text) - 2, "-X output fits");
	fuzz_check(fuzz_policy_clean(text, true), "-X output is clean");
	for (i = 0; i < textlen; i++) {
		lines += text[i] == '\n';
	}
	fuzz_check(lines == 1 + d->nlayers, "-X: verdict + one line a layer");
	fuzz_check(strncmp(text, d->allow ? "allow\n" : "deny\n",
	    d->allow ? 6 : 5) == 0, "-X: first line is the verdict");
}

static void
fuzz_policy_ask(const struct fuzz_policy_case *c, const struct policy *p,
    const struct policy *deny_all, const struct pc_subject *s,
    const struct pc_request *r, size_t buflen)
{
	struct pc_subject nokey;
	struct pc_decision d, again;
	struct pc_request second;

	policy_decide(p, s, r, &d);
	fuzz_policy_check(c, s, r, &d);
	fuzz_policy_present(s, r, &d, buflen);

	policy_decide(p, s, r, &again);
	fuzz_check(again.allow == d.allow && strcmp(again.rule, d.rule) == 0 &&
	    again.nlayers == d.nlayers, "same question, same answer");

	/* Decision 4: the daemon binds and asks again with the port */
	if (d.allow && d.port_deferred) {
		second = *r;
		second.allocated_port = 40000 + (int)(r->naddrs % 20000);
		policy_decide(p, s, &second, &again);
		fuzz_policy_check(c, s, &second, &again);
		fuzz_check(!again.port_deferred, "second answer is final");
	}
	/* Decision 1: the key can only remove permission */
	if (d.allow && s->key != NULL) {
		nokey = *s;
		nokey.key = NULL;
		policy_decide(p, &nokey, r, &again);
		fuzz_check(again.allow, "allowed with the key => allowed "
		    "without it");
	}
	if (deny_all != NULL) {
		policy_decide(deny_all, s, r, &again);
		fuzz_check(!again.allow,
		    "DenyTcpForwardingForUsers * refuses everything");
	}
}

static void
fuzz_policy_xspec(const struct fuzz_policy_case *c, const struct policy *p,
    const char *spec, size_t buflen)
{
	struct explain_spec xs;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	char err[200];
	int rc;

	rc = policy_explain_spec_parse(spec, &xs, err, sizeof(err));
	if (rc != 0) {
		fuzz_check(rc == PC_ERR_INVAL && fuzz_terminated(err,
		    sizeof(err)), "-X spec error");
		return;
	}
	fuzz_check(xs.user != NULL && xs.addr != NULL && xs.host != NULL,
	    "-X spec fields");
	fuzz_check(!xs.have_groups || (xs.groups != NULL &&
	    xs.groups[xs.ngroups] == NULL), "-X groups NULL-terminated");
	policy_explain_spec_request(&xs, &r);
	memset(&s, 0, sizeof(s));
	s.user = xs.user;
	s.uid = 20001;
	s.client_addr = xs.addr;
	s.client_host = xs.addr;
	s.groups = xs.have_groups ? (const char *const *)xs.groups :
	    c->s.groups;
	s.key = xs.have_key && c->have_key ? &c->key : NULL;
	policy_decide(p, &s, &r, &d);
	fuzz_policy_check(c, &s, &r, &d);
	fuzz_policy_present(&s, &r, &d, buflen);
	policy_explain_spec_free(&xs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct fuzz_policy_case *c;
	struct policy *p = NULL, *deny_all = NULL;
	struct policy_config dc;
	struct strlist star = { NULL, NULL, 0 };
	char *text, *line, *next, *save, *w[FUZZ_POLICY_MAX_WORDS];
	size_t n, i, buflen;
	int lineno = 0, rc;

	if (!init) {
		fuzz_log_setup();
		init = 1;
	}
	if (size > 8192) {
		return -1;
	}
	c = calloc(1, sizeof(*c));
	fuzz_check(c != NULL, "calloc");
	c->cfg.allow_tcp_forwarding = PC_FWD_ALL;
	c->cfg.address_family = AF_UNSPEC;
	c->s.user = "alice";
	c->s.uid = 20001;
	c->s.client_addr = "10.1.2.3";
	c->s.client_host = "10.1.2.3";
	c->groups[0] = "alice";
	c->groups[1] = "fwdusers";
	c->s.groups = c->groups;
	authkeys_opts_init(&c->key);
	/* output buffer size for the log lines: from the input's length */
	buflen = 1 + (size * 37) % 600;

	text = fuzz_strndup(data, size);
	for (line = text; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL) {
			*next++ = '\0';
		}
		n = 0;
		for (w[n] = strtok_r(line, " \t\r", &save); w[n] != NULL &&
		    n + 1 < FUZZ_POLICY_MAX_WORDS;
		    w[n] = strtok_r(NULL, " \t\r", &save)) {
			n++;
		}
		if (n > 0) {
			fuzz_policy_line(c, w, n, lineno);
		}
	}
	if (c->have_key) {
		c->s.key = &c->key;
	}
	if (c->nreq == 0) {
		c->req[0].r.kind = PC_OPEN;
		c->req[0].r.host = "localhost";
		c->req[0].r.port = 80;
		c->req[1].r.kind = PC_LISTEN;
		c->req[1].r.host = "localhost";
		c->req[1].r.port = 8080;
		c->nreq = 2;
	}
	c->cfg.permit_open = &c->lists[FPL_PERMIT_OPEN];
	c->cfg.permit_listen = &c->lists[FPL_PERMIT_LISTEN];
	c->cfg.allow_fwd_users = &c->lists[FPL_ALLOW_USERS];
	c->cfg.allow_fwd_groups = &c->lists[FPL_ALLOW_GROUPS];
	c->cfg.deny_fwd_users = &c->lists[FPL_DENY_USERS];
	c->cfg.deny_fwd_groups = &c->lists[FPL_DENY_GROUPS];
	c->cfg.allow_fwd_port = &c->lists[FPL_ALLOW_PORT];
	c->cfg.deny_fwd_port = &c->lists[FPL_DENY_PORT];
	c->cfg.allow_fwd_to = &c->lists[FPL_ALLOW_TO];
	c->cfg.deny_fwd_to = &c->lists[FPL_DENY_TO];

	rc = policy_new(&c->cfg, &p);
	if (rc != 0) {
		fuzz_check(rc == PC_ERR_CONFIG && p == NULL,
		    "policy_new refuses with PC_ERR_CONFIG");
		goto out;
	}
	/* the same configuration plus DenyTcpForwardingForUsers * */
	dc = c->cfg;
	strlist_copy(&star, &c->lists[FPL_DENY_USERS]);
	strlist_add(&star, "*", "fuzz", 0);
	dc.deny_fwd_users = &star;
	if (policy_new(&dc, &deny_all) != 0) {
		deny_all = NULL;
	}
	for (i = 0; i < c->nreq; i++) {
		fuzz_policy_ask(c, p, deny_all, &c->s, &c->req[i].r, buflen);
	}
	for (i = 0; i < c->nxspec; i++) {
		fuzz_policy_xspec(c, p, c->xspec[i], buflen);
	}
	policy_free(deny_all);
	policy_free(p);
out:
	strlist_free(&star);
	for (i = 0; i < FPL_NLISTS; i++) {
		strlist_free(&c->lists[i]);
	}
	authkeys_opts_free(&c->key);
	free(text);
	free(c);
	return 0;
}

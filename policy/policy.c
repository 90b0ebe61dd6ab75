/*
 * policy_decide(): the combined forwarding decision of POLICY.md B.4.
 * Match resolution already happened (the configuration we were built from
 * is the effective one, Decision 1); from here every layer can only
 * remove permission, so the answer is the AND of the layers, evaluated in
 * B.4's order and recorded one by one for the log and for -X.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "policy/policy.h"
#include "policy/policy_config.h"
#include "policy/policy_int.h"

/* Copy with a visible mark when the text had to be cut. */
static void
policy_copy_text(char *dst, size_t len, const char *src)
{
	int w;

	w = snprintf(dst, len, "%s", src != NULL ? src : "");
	if (w >= 0 && (size_t)w >= len && len > 4) {
		memcpy(dst + len - 4, "...", 4);
	}
}

void
policy_layer(struct pc_decision *d, const char *name, bool pass,
    const char *rule, const char *file, int line)
{
	struct pc_layer *l;

	if (d->nlayers >= PC_MAX_LAYERS) {
		return;		/* cannot happen: at most 10 layers */
	}
	l = &d->layers[d->nlayers++];
	l->name = name;
	l->pass = pass;
	policy_copy_text(l->rule, sizeof(l->rule), rule);
	l->file = file;
	l->line = file != NULL ? line : 0;
}

void
policy_layer_rule(struct pc_decision *d, const char *name, bool pass,
    const struct pol_rule *r)
{
	policy_layer(d, name, pass, r->text, r->file, r->line);
}

void
policy_why(struct pc_decision *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
}

int
policy_new(const struct policy_config *cfg, struct policy **out)
{
	struct policy *p;
	int r;

	if (out == NULL) {
		return PC_ERR_INVAL;
	}
	*out = NULL;
	if (cfg == NULL) {
		return PC_ERR_INVAL;
	}
	p = xcalloc(1, sizeof(*p));
	if ((r = policy_compile(p, cfg)) != 0) {
		policy_free(p);
		return r;
	}
	*out = p;
	return 0;
}

void
policy_free(struct policy *p)
{
	if (p == NULL) {
		return;
	}
	policy_compile_free(p);
	free(p);
}

/* Step 1: numbers and lengths a later step relies on. */
static bool
policy_request_ok(const struct pc_request *r, struct pc_decision *d)
{
	char text[64];

	if (r->host == NULL) {
		policy_layer(d, "request", false, "missing host",
		    PC_RULE_BUILTIN, 0);
		policy_why(d, "the request carries no host");
		return false;
	}
	if (strlen(r->host) >= PATTERN_HOST_MAX) {
		policy_layer(d, "request", false, "host longer than 255",
		    PC_RULE_BUILTIN, 0);
		policy_why(d, "requested host name is too long");
		return false;
	}
	if (r->port < 0 || r->port > 65535 || r->allocated_port < 0 ||
	    r->allocated_port > 65535) {
		snprintf(text, sizeof(text), "port %ld outside 0-65535",
		    r->port < 0 || r->port > 65535 ? r->port :
		    (long)r->allocated_port);
		policy_layer(d, "request", false, text, PC_RULE_BUILTIN, 0);
		policy_why(d, "port %ld is outside 0-65535", r->port);
		return false;
	}
	snprintf(text, sizeof(text), "port %ld within 0-65535", r->port);
	policy_layer(d, "request", true, text, PC_RULE_BUILTIN, 0);
	return true;
}

/* Step 2: DisableForwarding, AllowTcpForwarding, the key's flags. */
static bool
policy_flags_ok(const struct policy *p, const struct pc_subject *s,
    bool open, struct pc_decision *d)
{
	const struct key_opts *k = s->key;
	int need = open ? PC_FWD_LOCAL : PC_FWD_REMOTE;
	const char *text;

	policy_layer_rule(d, "DisableForwarding", !p->disable, &p->disable_r);
	if (p->disable) {
		policy_why(d, "all forwarding is disabled");
		return false;
	}
	policy_layer_rule(d, "AllowTcpForwarding", (p->allow_tcp & need) != 0,
	    &p->allow_tcp_r);
	if ((p->allow_tcp & need) == 0) {
		policy_why(d, "%s TCP forwarding is not allowed",
		    open ? "local" : "remote");
		return false;
	}
	if (k == NULL) {
		return true;
	}
	if (!k->port_forwarding) {
		text = k->restricted ? "restrict" : "no-port-forwarding";
		policy_layer(d, "key", false, text, k->file, k->line);
		policy_why(d, "the key's options forbid port forwarding");
		return false;
	}
	text = k->restricted ? "restrict,port-forwarding" : "port-forwarding";
	policy_layer(d, "key", true, text, k->file, k->line);
	return true;
}

/* Decision 7: non-root users do not listen below 1024, whatever the
 * kernel's ip_unprivileged_port_start says.  A built-in rule: -X and the
 * log name it with the location "built-in".  (OpenSSH 9.2 has no such
 * line: without privsep it only sends the client "Server has disabled
 * port forwarding.", with privsep the kernel refuses the bind.) */
static bool
policy_privileged_ok(const struct pc_subject *s, int port,
    struct pc_decision *d)
{
	char text[64];

	if (port == 0) {
		policy_layer(d, "PrivilegedPort", true,
		    "deferred to the allocated port", PC_RULE_BUILTIN, 0);
		return true;
	}
	if (port >= 1024 || s->uid == 0) {
		snprintf(text, sizeof(text), port >= 1024 ?
		    "port %d is not privileged" : "privileged port %d, user "
		    "is root", port);
		policy_layer(d, "PrivilegedPort", true, text, PC_RULE_BUILTIN,
		    0);
		return true;
	}
	snprintf(text, sizeof(text), "privileged port %d < 1024 needs uid 0",
	    port);
	policy_layer(d, "PrivilegedPort", false, text, PC_RULE_BUILTIN, 0);
	policy_why(d, "user %s (uid %ld) may not listen on privileged port %d",
	    s->user != NULL ? s->user : "(none)", (long)s->uid, port);
	return false;
}

#define POLICY_STEP(expr) do {						\
	enum pol_result res_ = (expr);					\
	if (res_ == POL_FAIL) {						\
		goto deny;						\
	}								\
	if (res_ == POL_MATCH && matched == SIZE_MAX) {			\
		matched = d->nlayers - 1;				\
	}								\
} while (0)

void
policy_decide(const struct policy *p, const struct pc_subject *s,
    const struct pc_request *r, struct pc_decision *d)
{
	char lowered[PATTERN_HOST_MAX];
	const struct pc_layer *l;
	size_t matched = SIZE_MAX, i;
	bool open;
	int port;

	memset(d, 0, sizeof(*d));
	snprintf(d->rule, sizeof(d->rule), "default");
	if (p == NULL || s == NULL || r == NULL ||
	    (r->kind != PC_OPEN && r->kind != PC_LISTEN)) {
		policy_layer(d, "request", false, "no policy or bad request",
		    NULL, 0);
		policy_why(d, "internal error: no policy or bad request");
		goto deny;
	}
	open = r->kind == PC_OPEN;

	if (!policy_request_ok(r, d)) {
		goto deny;
	}
	if (!policy_flags_ok(p, s, open, d)) {
		/* OpenSSH logs "refused local port forward" for direct-tcpip
		 * and nothing at INFO for tcpip-forward (A.7, A.11) */
		d->openssh_denial = open ? 1 : 0;
		goto deny;
	}
	POLICY_STEP(policy_ext_users(p, s, d));

	if (open) {
		d->openssh_denial = 2;
		POLICY_STEP(policy_permit_open_admin(p, r, d));
		POLICY_STEP(policy_permit_open_key(s->key, r, d));
		d->openssh_denial = 0;
		POLICY_STEP(policy_ext_to(p, r, d));
	} else {
		/* A.5: the request string, lower-cased, before GatewayPorts
		 * rewrites anything; the pattern is not folded */
		for (i = 0; r->host[i] != '\0'; i++) {
			lowered[i] = (char)tolower((unsigned char)r->host[i]);
		}
		lowered[i] = '\0';
		d->openssh_denial = 2;
		POLICY_STEP(policy_permit_listen_admin(p, lowered, r, d));
		POLICY_STEP(policy_permit_listen_key(s->key, lowered, r, d));
		d->openssh_denial = 0;

		/* Decision 4: for port 0 the port rules judge the port the
		 * kernel allocates; the daemon binds and asks again */
		port = r->port != 0 ? (int)r->port : r->allocated_port;
		if (port == 0) {
			policy_layer(d, "ForwardingPort", true,
			    "deferred to the allocated port", NULL, 0);
			d->port_deferred = true;
		} else {
			POLICY_STEP(policy_ext_port(p, port, d));
		}
		if (!policy_privileged_ok(s, port, d)) {
			goto deny;
		}
		gateway_map(p->gateway, r->host, d);
		policy_layer_rule(d, "GatewayPorts", true, &p->gateway_r);
	}

	d->allow = true;
	d->openssh_denial = 0;
	if (matched != SIZE_MAX) {
		l = &d->layers[matched];
		policy_copy_text(d->rule, sizeof(d->rule), l->rule);
		d->file = l->file;
		d->line = l->line;
		policy_why(d, "allowed by %s", l->rule);
	} else {
		policy_why(d, "allowed: nothing restricts this request");
	}
	return;

deny:
	d->allow = false;
	d->bind = PC_BIND_NONE;
	d->bind_addr[0] = '\0';
	d->gateway_overridden = false;
	d->port_deferred = false;
	if (d->nlayers > 0) {
		l = &d->layers[d->nlayers - 1];
		policy_copy_text(d->rule, sizeof(d->rule), l->rule);
		d->file = l->file;
		d->line = l->line;
	}
}

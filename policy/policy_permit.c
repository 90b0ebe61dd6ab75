/*
 * OpenSSH's two permission lists per direction (POLICY.md A.4-A.6): the
 * admin list (PermitOpen / PermitListen) and the user list (the key's
 * permitopen= / permitlisten=).  A request must pass both; an empty list
 * does not restrict.  The key options arrive per subject, so their
 * entries are parsed here into stack buffers (bounded, no allocation); an
 * entry that does not parse matches nothing, which can only narrow.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "policy/pattern.h"
#include "policy/policy_int.h"

/* 'name="e1",name="e2"' cut to fit buf. */
static void
policy_permit_keytext(char *buf, size_t len, const char *name,
    char *const *v, size_t n)
{
	size_t i, used = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		w = snprintf(buf + used, len - used, "%s%s=\"%s\"",
		    i > 0 ? "," : "", name, v[i]);
		if (w < 0) {
			break;
		}
		used += (size_t)w;
	}
}

static enum pol_result
policy_permit_admin(const struct pol_permits *pm, const char *layer,
    bool listen, const char *host, const struct pc_request *r,
    struct pc_decision *d)
{
	size_t i;
	bool m;

	switch (pm->mode) {
	case PERMITS_UNSET:
	case PERMITS_ANY:
		policy_layer_rule(d, layer, true, &pm->whole);
		return POL_PASS;
	case PERMITS_NONE:
		policy_layer_rule(d, layer, false, &pm->whole);
		policy_why(d, "%s none refuses every request", layer);
		return POL_FAIL;
	default:
		break;
	}
	for (i = 0; i < pm->n; i++) {
		m = listen ?
		    permit_entry_match_listen(&pm->v[i].e, host, r->port) :
		    permit_entry_match_open(&pm->v[i].e, host, r->port);
		if (m) {
			policy_layer_rule(d, layer, true, &pm->v[i].r);
			return POL_MATCH;
		}
	}
	policy_layer_rule(d, layer, false, &pm->whole);
	policy_why(d, "no %s entry matches \"%s\" port %ld", layer, r->host,
	    r->port);
	return POL_FAIL;
}

enum pol_result
policy_permit_open_admin(const struct policy *p, const struct pc_request *r,
    struct pc_decision *d)
{
	return policy_permit_admin(&p->open, "PermitOpen", false, r->host, r,
	    d);
}

enum pol_result
policy_permit_listen_admin(const struct policy *p, const char *lowered_host,
    const struct pc_request *r, struct pc_decision *d)
{
	return policy_permit_admin(&p->listen, "PermitListen", true,
	    lowered_host, r, d);
}

static enum pol_result
policy_permit_key(const struct key_opts *k, bool listen, const char *host,
    const struct pc_request *r, struct pc_decision *d)
{
	const char *name = listen ? "permitlisten" : "permitopen";
	char *const *v = listen ? k->permitlisten : k->permitopen;
	size_t n = listen ? k->npermitlisten : k->npermitopen;
	struct permit_entry e;
	char text[sizeof(d->layers[0].rule)];
	size_t i;
	bool m;

	for (i = 0; i < n; i++) {
		if (v[i] == NULL || permit_entry_parse(v[i], listen ?
		    PERMIT_KEY_LISTEN : PERMIT_KEY_OPEN, &e, NULL, 0) != 0) {
			continue;
		}
		m = listen ? permit_entry_match_listen(&e, host, r->port) :
		    permit_entry_match_open(&e, host, r->port);
		if (m) {
			snprintf(text, sizeof(text), "%s=\"%s\"", name, v[i]);
			policy_layer(d, name, true, text, k->file, k->line);
			return POL_MATCH;
		}
	}
	policy_permit_keytext(text, sizeof(text), name, v, n);
	policy_layer(d, name, false, text, k->file, k->line);
	policy_why(d, "no %s= option of the key matches \"%s\" port %ld",
	    name, r->host, r->port);
	return POL_FAIL;
}

enum pol_result
policy_permit_open_key(const struct key_opts *k, const struct pc_request *r,
    struct pc_decision *d)
{
	if (k == NULL || k->npermitopen == 0) {
		return POL_PASS;	/* no user list: not consulted */
	}
	return policy_permit_key(k, false, r->host, r, d);
}

enum pol_result
policy_permit_listen_key(const struct key_opts *k, const char *lowered_host,
    const struct pc_request *r, struct pc_decision *d)
{
	if (k == NULL || k->npermitlisten == 0) {
		return POL_PASS;
	}
	return policy_permit_key(k, true, lowered_host, r, d);
}

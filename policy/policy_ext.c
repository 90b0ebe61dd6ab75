/*
 * The extension layers of POLICY.md Part B: the SSH2/Tectia user and
 * group lists (B.1) and the F-Secure ...To / ...Port rules (B.2).  In
 * every family deny wins, and an Allow list, once present, is exclusive
 * (Decision 3).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/match.h"
#include "policy/pattern.h"
#include "policy/policy_int.h"

/* the Tectia lists' layer name in the decision record */
#define EXT_USERS_LAYER "UserLists"

static bool
policy_ext_user_match(const struct pol_name *n, const struct pc_subject *s)
{
	const char *host = s->client_host != NULL ? s->client_host :
	    s->client_addr;

	return match_user(s->user, host, s->client_addr, n->pat) == 1;
}

static bool
policy_ext_group_match(const struct pol_name *n, const struct pc_subject *s)
{
	/* a piece holds no ',' or '!': one glob against every group */
	return match_group_list(s->groups, n->pat) == 1;
}

enum pol_result
policy_ext_users(const struct policy *p, const struct pc_subject *s,
    struct pc_decision *d)
{
	const char *u = s->user != NULL ? s->user : "(none)";
	bool have_allow = p->allow_users.n > 0 || p->allow_groups.n > 0;
	size_t i;

	if (!have_allow && p->deny_users.n == 0 && p->deny_groups.n == 0) {
		policy_layer(d, EXT_USERS_LAYER, true, "default", NULL, 0);
		return POL_PASS;
	}
	for (i = 0; i < p->deny_users.n; i++) {
		if (policy_ext_user_match(&p->deny_users.v[i], s)) {
			policy_layer_rule(d, EXT_USERS_LAYER, false,
			    &p->deny_users.v[i].r);
			policy_why(d, "user %s matches a deny entry", u);
			return POL_FAIL;
		}
	}
	for (i = 0; i < p->deny_groups.n; i++) {
		if (policy_ext_group_match(&p->deny_groups.v[i], s)) {
			policy_layer_rule(d, EXT_USERS_LAYER, false,
			    &p->deny_groups.v[i].r);
			policy_why(d, "a group of user %s matches a deny entry",
			    u);
			return POL_FAIL;
		}
	}
	if (!have_allow) {
		policy_layer(d, EXT_USERS_LAYER, true,
		    "no DenyTcpForwardingFor* entry matches", NULL, 0);
		return POL_PASS;
	}
	for (i = 0; i < p->allow_users.n; i++) {
		if (policy_ext_user_match(&p->allow_users.v[i], s)) {
			policy_layer_rule(d, EXT_USERS_LAYER, true,
			    &p->allow_users.v[i].r);
			return POL_MATCH;
		}
	}
	for (i = 0; i < p->allow_groups.n; i++) {
		if (policy_ext_group_match(&p->allow_groups.v[i], s)) {
			policy_layer_rule(d, EXT_USERS_LAYER, true,
			    &p->allow_groups.v[i].r);
			return POL_MATCH;
		}
	}
	policy_layer_rule(d, EXT_USERS_LAYER, false, p->allow_users.n > 0 ?
	    &p->allow_users.whole : &p->allow_groups.whole);
	policy_why(d, "user %s is in neither AllowTcpForwardingForUsers nor "
	    "AllowTcpForwardingForGroups", u);
	return POL_FAIL;
}

/* Deny side: the string or any resolved address (Decision 5). */
static bool
policy_ext_to_any(const struct to_pattern *tp, const struct pc_request *r)
{
	size_t i;

	if (!port_pattern_match(&tp->port, (int)r->port)) {
		return false;
	}
	if (to_pattern_match_name(tp, r->host)) {
		return true;
	}
	for (i = 0; r->addrs != NULL && i < r->naddrs; i++) {
		if (to_pattern_match_addr(tp, &r->addrs[i])) {
			return true;
		}
	}
	return false;
}

/* Allow side: the string, or every resolved address (there must be one). */
static bool
policy_ext_to_all(const struct to_pattern *tp, const struct pc_request *r)
{
	size_t i;

	if (!port_pattern_match(&tp->port, (int)r->port)) {
		return false;
	}
	if (to_pattern_match_name(tp, r->host)) {
		return true;
	}
	if (r->addrs == NULL || r->naddrs == 0) {
		return false;
	}
	for (i = 0; i < r->naddrs; i++) {
		if (!to_pattern_match_addr(tp, &r->addrs[i])) {
			return false;
		}
	}
	return true;
}

enum pol_result
policy_ext_to(const struct policy *p, const struct pc_request *r,
    struct pc_decision *d)
{
	size_t i;

	if (p->allow_to.n == 0 && p->deny_to.n == 0) {
		policy_layer(d, "ForwardingTo", true, "default", NULL, 0);
		return POL_PASS;
	}
	for (i = 0; i < p->deny_to.n; i++) {
		if (policy_ext_to_any(&p->deny_to.v[i].tp, r)) {
			policy_layer_rule(d, "ForwardingTo", false,
			    &p->deny_to.v[i].r);
			policy_why(d, "destination %s port %ld matches a deny "
			    "entry", r->host, r->port);
			return POL_FAIL;
		}
	}
	if (p->allow_to.n == 0) {
		policy_layer(d, "ForwardingTo", true,
		    "no DenyForwardingTo entry matches", NULL, 0);
		return POL_PASS;
	}
	for (i = 0; i < p->allow_to.n; i++) {
		if (policy_ext_to_all(&p->allow_to.v[i].tp, r)) {
			policy_layer_rule(d, "ForwardingTo", true,
			    &p->allow_to.v[i].r);
			return POL_MATCH;
		}
	}
	policy_layer_rule(d, "ForwardingTo", false, &p->allow_to.whole);
	policy_why(d, "no AllowForwardingTo entry matches %s port %ld%s",
	    r->host, r->port, r->naddrs > 1 ? " and all its addresses" : "");
	return POL_FAIL;
}

enum pol_result
policy_ext_port(const struct policy *p, int port, struct pc_decision *d)
{
	size_t i;

	if (p->allow_port.n == 0 && p->deny_port.n == 0) {
		policy_layer(d, "ForwardingPort", true, "default", NULL, 0);
		return POL_PASS;
	}
	for (i = 0; i < p->deny_port.n; i++) {
		if (port_pattern_match(&p->deny_port.v[i].pp, port)) {
			policy_layer_rule(d, "ForwardingPort", false,
			    &p->deny_port.v[i].r);
			policy_why(d, "listen port %d matches a deny entry",
			    port);
			return POL_FAIL;
		}
	}
	if (p->allow_port.n == 0) {
		policy_layer(d, "ForwardingPort", true,
		    "no DenyForwardingPort entry matches", NULL, 0);
		return POL_PASS;
	}
	for (i = 0; i < p->allow_port.n; i++) {
		if (port_pattern_match(&p->allow_port.v[i].pp, port)) {
			policy_layer_rule(d, "ForwardingPort", true,
			    &p->allow_port.v[i].r);
			return POL_MATCH;
		}
	}
	policy_layer_rule(d, "ForwardingPort", false, &p->allow_port.whole);
	policy_why(d, "no AllowForwardingPort entry matches listen port %d",
	    port);
	return POL_FAIL;
}

/*
 * Turn the effective configuration (struct policy_config) into the
 * compiled struct policy: every pattern parsed once here, so that
 * policy_decide() neither parses configuration text nor allocates.
 * The configuration was validated at load time; anything malformed that
 * still reaches us is PC_ERR_CONFIG (the caller then denies everything).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policy/pattern.h"
#include "policy/policy_config.h"
#include "policy/policy_int.h"

/* Rule texts longer than this are cut ("...") in the whole-list form. */
#define COMPILE_WHOLE_MAX 400

/* FILE names are interned so decisions can point at them for as long as
 * the policy lives, whatever happens to the configuration. */
static const char *
policy_compile_file(struct policy *p, const char *file)
{
	size_t i;

	if (file == NULL) {
		return NULL;
	}
	for (i = 0; i < p->nfiles; i++) {
		if (strcmp(p->files[i], file) == 0) {
			return p->files[i];
		}
	}
	p->files = xreallocarray(p->files, p->nfiles + 1, sizeof(*p->files));
	p->files[p->nfiles] = xstrdup(file);
	return p->files[p->nfiles++];
}

static void
policy_compile_rule(struct policy *p, struct pol_rule *r,
    const struct pc_src *src, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
policy_compile_rule(struct policy *p, struct pol_rule *r,
    const struct pc_src *src, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	r->text = xvasprintf(fmt, ap);
	va_end(ap);
	r->file = src != NULL ? policy_compile_file(p, src->file) : NULL;
	r->line = src != NULL && src->file != NULL ? src->line : 0;
}

/* "Keyword w1 w2 ..." located at the first word. */
static void
policy_compile_whole(struct policy *p, struct pol_rule *r, const char *kw,
    const struct strlist *l)
{
	size_t i, len;
	char *t;

	len = strlen(kw);
	for (i = 0; i < l->n && len < COMPILE_WHOLE_MAX; i++) {
		len += 1 + strlen(l->v[i]);
	}
	t = xmalloc(len + 4 + 1);
	strcpy(t, kw);
	for (i = 0; i < l->n; i++) {
		if (strlen(t) + 1 + strlen(l->v[i]) > COMPILE_WHOLE_MAX) {
			strcat(t, " ...");
			break;
		}
		strcat(t, " ");
		strcat(t, l->v[i]);
	}
	r->text = t;
	r->file = l->n > 0 ? policy_compile_file(p, l->src[0].file) : NULL;
	r->line = l->n > 0 && l->src[0].file != NULL ? l->src[0].line : 0;
}

static int
policy_compile_error(const struct pc_src *src, const char *kw,
    const char *msg)
{
	log_error("%s:%d: %s: %s", src->file != NULL ? src->file : "default",
	    src->line, kw, msg);
	return PC_ERR_CONFIG;
}

static const struct strlist policy_compile_empty;

static const struct strlist *
policy_compile_list(const struct strlist *l)
{
	return l != NULL ? l : &policy_compile_empty;
}

static int
policy_compile_permits(struct policy *p, struct pol_permits *pm,
    const struct strlist *l, const char *kw, enum permit_kind kind)
{
	char err[256];
	size_t i;
	int r;

	l = policy_compile_list(l);
	pm->mode = PERMITS_UNSET;
	if (l->n == 0) {
		policy_compile_rule(p, &pm->whole, NULL, "%s any", kw);
		return 0;
	}
	policy_compile_whole(p, &pm->whole, kw, l);
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], "any") != 0 &&
		    strcmp(l->v[i], "none") != 0) {
			continue;
		}
		if (l->n != 1) {
			snprintf(err, sizeof(err), "\"%s\" must appear alone",
			    l->v[i]);
			return policy_compile_error(&l->src[i], kw, err);
		}
		pm->mode = strcmp(l->v[i], "any") == 0 ? PERMITS_ANY :
		    PERMITS_NONE;
		return 0;
	}
	pm->mode = PERMITS_LIST;
	pm->v = xcalloc(l->n, sizeof(*pm->v));
	for (i = 0; i < l->n; i++) {
		r = permit_entry_parse(l->v[i], kind, &pm->v[i].e, err,
		    sizeof(err));
		if (r != 0) {
			return policy_compile_error(&l->src[i], kw, err);
		}
		policy_compile_rule(p, &pm->v[i].r, &l->src[i], "%s %s", kw,
		    l->v[i]);
		pm->n++;
	}
	return 0;
}

/* User/group lists: words split at commas (B.1.1), one entry a piece. */
static int
policy_compile_names(struct policy *p, struct pol_names *nm,
    const struct strlist *l, const char *kw, bool user)
{
	char err[256];
	const char *s, *end;
	size_t i;
	int r;

	l = policy_compile_list(l);
	policy_compile_whole(p, &nm->whole, kw, l);
	for (i = 0; i < l->n; i++) {
		r = user ? pattern_user_validate(l->v[i], err, sizeof(err)) :
		    pattern_group_validate(l->v[i], err, sizeof(err));
		if (r != 0) {
			return policy_compile_error(&l->src[i], kw, err);
		}
		for (s = l->v[i];; s = end + 1) {
			end = s + strcspn(s, ",");
			nm->v = xreallocarray(nm->v, nm->n + 1,
			    sizeof(*nm->v));
			nm->v[nm->n].pat = xstrndup(s, (size_t)(end - s));
			policy_compile_rule(p, &nm->v[nm->n].r, &l->src[i],
			    "%s %s", kw, nm->v[nm->n].pat);
			nm->n++;
			if (*end == '\0') {
				break;
			}
		}
	}
	return 0;
}

static int
policy_compile_ports(struct policy *p, struct pol_ports *pp,
    const struct strlist *l, const char *kw)
{
	char err[256];
	size_t i;

	l = policy_compile_list(l);
	policy_compile_whole(p, &pp->whole, kw, l);
	if (l->n == 0) {
		return 0;
	}
	pp->v = xcalloc(l->n, sizeof(*pp->v));
	for (i = 0; i < l->n; i++) {
		if (port_pattern_parse(l->v[i], &pp->v[i].pp, err,
		    sizeof(err)) != 0) {
			return policy_compile_error(&l->src[i], kw, err);
		}
		policy_compile_rule(p, &pp->v[i].r, &l->src[i], "%s %s", kw,
		    l->v[i]);
		pp->n++;
	}
	return 0;
}

static int
policy_compile_tos(struct policy *p, struct pol_tos *pt,
    const struct strlist *l, const char *kw)
{
	char err[256];
	size_t i;

	l = policy_compile_list(l);
	policy_compile_whole(p, &pt->whole, kw, l);
	if (l->n == 0) {
		return 0;
	}
	pt->v = xcalloc(l->n, sizeof(*pt->v));
	for (i = 0; i < l->n; i++) {
		if (to_pattern_parse(l->v[i], &pt->v[i].tp, err,
		    sizeof(err)) != 0) {
			return policy_compile_error(&l->src[i], kw, err);
		}
		policy_compile_rule(p, &pt->v[i].r, &l->src[i], "%s %s", kw,
		    l->v[i]);
		pt->n++;
	}
	return 0;
}

static const char *
policy_compile_fwd_name(int v)
{
	switch (v) {
	case PC_FWD_NO:
		return "no";
	case PC_FWD_LOCAL:
		return "local";
	case PC_FWD_REMOTE:
		return "remote";
	default:
		return "yes";
	}
}

int
policy_compile(struct policy *p, const struct policy_config *cfg)
{
	int r;

	if (cfg->allow_tcp_forwarding < PC_FWD_NO ||
	    cfg->allow_tcp_forwarding > PC_FWD_ALL ||
	    cfg->gateway_ports < PC_GW_NO ||
	    cfg->gateway_ports > PC_GW_CLIENTSPECIFIED) {
		log_error("policy: AllowTcpForwarding or GatewayPorts value "
		    "out of range");
		return PC_ERR_CONFIG;
	}
	p->allow_tcp = cfg->allow_tcp_forwarding;
	policy_compile_rule(p, &p->allow_tcp_r, &cfg->allow_tcp_forwarding_src,
	    "AllowTcpForwarding %s", policy_compile_fwd_name(p->allow_tcp));
	p->disable = cfg->disable_forwarding;
	policy_compile_rule(p, &p->disable_r, &cfg->disable_forwarding_src,
	    "DisableForwarding %s", p->disable ? "yes" : "no");
	p->gateway = cfg->gateway_ports;
	policy_compile_rule(p, &p->gateway_r, &cfg->gateway_ports_src,
	    "GatewayPorts %s", gateway_name(p->gateway));

	if ((r = policy_compile_permits(p, &p->open, cfg->permit_open,
	    "PermitOpen", PERMIT_OPEN)) != 0 ||
	    (r = policy_compile_permits(p, &p->listen, cfg->permit_listen,
	    "PermitListen", PERMIT_LISTEN)) != 0 ||
	    (r = policy_compile_names(p, &p->allow_users, cfg->allow_fwd_users,
	    "AllowTcpForwardingForUsers", true)) != 0 ||
	    (r = policy_compile_names(p, &p->deny_users, cfg->deny_fwd_users,
	    "DenyTcpForwardingForUsers", true)) != 0 ||
	    (r = policy_compile_names(p, &p->allow_groups,
	    cfg->allow_fwd_groups, "AllowTcpForwardingForGroups", false)) != 0 ||
	    (r = policy_compile_names(p, &p->deny_groups, cfg->deny_fwd_groups,
	    "DenyTcpForwardingForGroups", false)) != 0 ||
	    (r = policy_compile_ports(p, &p->allow_port, cfg->allow_fwd_port,
	    "AllowForwardingPort")) != 0 ||
	    (r = policy_compile_ports(p, &p->deny_port, cfg->deny_fwd_port,
	    "DenyForwardingPort")) != 0 ||
	    (r = policy_compile_tos(p, &p->allow_to, cfg->allow_fwd_to,
	    "AllowForwardingTo")) != 0 ||
	    (r = policy_compile_tos(p, &p->deny_to, cfg->deny_fwd_to,
	    "DenyForwardingTo")) != 0) {
		return r;
	}
	return 0;
}

static void
policy_compile_free_names(struct pol_names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++) {
		free(nm->v[i].pat);
		free(nm->v[i].r.text);
	}
	free(nm->v);
	free(nm->whole.text);
}

void
policy_compile_free(struct policy *p)
{
	size_t i;

	free(p->allow_tcp_r.text);
	free(p->disable_r.text);
	free(p->gateway_r.text);
	for (i = 0; i < p->open.n; i++) {
		free(p->open.v[i].r.text);
	}
	free(p->open.v);
	free(p->open.whole.text);
	for (i = 0; i < p->listen.n; i++) {
		free(p->listen.v[i].r.text);
	}
	free(p->listen.v);
	free(p->listen.whole.text);
	policy_compile_free_names(&p->allow_users);
	policy_compile_free_names(&p->deny_users);
	policy_compile_free_names(&p->allow_groups);
	policy_compile_free_names(&p->deny_groups);
	for (i = 0; i < p->allow_port.n; i++) {
		free(p->allow_port.v[i].r.text);
	}
	free(p->allow_port.v);
	free(p->allow_port.whole.text);
	for (i = 0; i < p->deny_port.n; i++) {
		free(p->deny_port.v[i].r.text);
	}
	free(p->deny_port.v);
	free(p->deny_port.whole.text);
	for (i = 0; i < p->allow_to.n; i++) {
		free(p->allow_to.v[i].r.text);
	}
	free(p->allow_to.v);
	free(p->allow_to.whole.text);
	for (i = 0; i < p->deny_to.n; i++) {
		free(p->deny_to.v[i].r.text);
	}
	free(p->deny_to.v);
	free(p->deny_to.whole.text);
	for (i = 0; i < p->nfiles; i++) {
		free(p->files[i]);
	}
	free(p->files);
	memset(p, 0, sizeof(*p));
}

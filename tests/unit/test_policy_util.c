/* Fixture for the policy_decide() tests (see test_policy_util.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strlist.h"
#include "policy/policy.h"
#include "test_policy_util.h"

int
tp_build(struct tp *t, const struct tp_cfg *c)
{
	const struct strlist **dst[TP_NLISTS];
	char buf[1024], *save, *w;
	size_t i;
	int line;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < TP_NLISTS; i++) {
		if (c->lists[i] == NULL) {
			continue;
		}
		snprintf(buf, sizeof(buf), "%s", c->lists[i]);
		line = TP_LINE_BASE + (int)i;
		for (w = strtok_r(buf, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save)) {
			if (strcmp(w, TP_NEXT_LINE) == 0) {
				line += 100;
				continue;
			}
			strlist_add(&t->lists[i], w, TP_FILE, line);
		}
	}
	if (c->atf == TP_ATF_DEFAULT) {
		t->cfg.allow_tcp_forwarding = PC_FWD_ALL;
	} else {
		/* TP_ATF_NO.. map onto PC_FWD_NO.. in order */
		t->cfg.allow_tcp_forwarding = c->atf - TP_ATF_NO;
		t->cfg.allow_tcp_forwarding_src.file = TP_FILE;
		t->cfg.allow_tcp_forwarding_src.line = TP_LINE_ALLOW_TCP;
	}
	t->cfg.disable_forwarding = c->disable;
	if (c->disable) {
		t->cfg.disable_forwarding_src.file = TP_FILE;
		t->cfg.disable_forwarding_src.line = TP_LINE_DISABLE;
	}
	t->cfg.gateway_ports = c->gateway;
	if (c->gateway != PC_GW_NO) {
		t->cfg.gateway_ports_src.file = TP_FILE;
		t->cfg.gateway_ports_src.line = TP_LINE_GATEWAY;
	}
	dst[TP_PERMIT_OPEN] = &t->cfg.permit_open;
	dst[TP_PERMIT_LISTEN] = &t->cfg.permit_listen;
	dst[TP_ALLOW_USERS] = &t->cfg.allow_fwd_users;
	dst[TP_DENY_USERS] = &t->cfg.deny_fwd_users;
	dst[TP_ALLOW_GROUPS] = &t->cfg.allow_fwd_groups;
	dst[TP_DENY_GROUPS] = &t->cfg.deny_fwd_groups;
	dst[TP_ALLOW_PORT] = &t->cfg.allow_fwd_port;
	dst[TP_DENY_PORT] = &t->cfg.deny_fwd_port;
	dst[TP_ALLOW_TO] = &t->cfg.allow_fwd_to;
	dst[TP_DENY_TO] = &t->cfg.deny_fwd_to;
	for (i = 0; i < TP_NLISTS; i++) {
		*dst[i] = &t->lists[i];
	}
	return policy_new(&t->cfg, &t->p);
}

void
tp_free(struct tp *t)
{
	size_t i;

	policy_free(t->p);
	for (i = 0; i < TP_NLISTS; i++) {
		strlist_free(&t->lists[i]);
	}
	memset(t, 0, sizeof(*t));
}

static size_t
tp_count(char **v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL) {
		n++;
	}
	return n;
}

void
tp_key(struct key_opts *k, bool port_forwarding, bool restricted,
    char **permitopen, char **permitlisten)
{
	memset(k, 0, sizeof(*k));
	k->port_forwarding = port_forwarding;
	k->restricted = restricted;
	k->permitopen = permitopen;
	k->npermitopen = tp_count(permitopen);
	k->permitlisten = permitlisten;
	k->npermitlisten = tp_count(permitlisten);
	k->file = (char *)"authorized_keys";
	k->line = 7;
}

static const char *const tp_groups[] = { "alice", "staff", NULL };

void
tp_subject(struct pc_subject *s, const struct key_opts *k)
{
	memset(s, 0, sizeof(*s));
	s->user = "alice";
	s->uid = 1000;
	s->groups = tp_groups;
	s->client_addr = "192.0.2.10";
	s->client_host = "192.0.2.10";
	s->key = k;
}

void
tp_open(struct pc_request *r, const char *host, long port,
    const struct pc_addr *addrs, size_t naddrs)
{
	memset(r, 0, sizeof(*r));
	r->kind = PC_OPEN;
	r->host = host;
	r->port = port;
	r->addrs = addrs;
	r->naddrs = naddrs;
}

void
tp_listen(struct pc_request *r, const char *host, long port, int allocated)
{
	memset(r, 0, sizeof(*r));
	r->kind = PC_LISTEN;
	r->host = host;
	r->port = port;
	r->allocated_port = allocated;
}

const struct pc_layer *
tp_layer(const struct pc_decision *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nlayers; i++) {
		if (strcmp(d->layers[i].name, name) == 0) {
			return &d->layers[i];
		}
	}
	return NULL;
}

const char *
tp_layers(const struct pc_decision *d)
{
	static char buf[1024];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < d->nlayers && used < sizeof(buf); i++) {
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
		    "%s%s:%s", i > 0 ? " " : "", d->layers[i].name,
		    d->layers[i].pass ? "pass" : "fail");
	}
	return buf;
}

/*
 * -T output (every keyword of the table, lower-case, in table order, in
 * OpenSSH -T's value formats) and the borrowed policy view.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common/strlist.h"
#include "sshd/config_int.h"

static void
dump_key(FILE *f, const char *name)
{
	const char *p;

	for (p = name; *p != '\0'; p++)
		fputc(tolower((unsigned char)*p), f);
	fputc(' ', f);
}

/* ListenAddress as OpenSSH -T prints it: one "addr:port" per address and
 * port, the wildcard addresses when none is set.  XXX host names are
 * printed as written, not resolved. */
static void
dump_listen(FILE *f, const struct servconf *s)
{
	const char *la, *c;
	size_t i, j;

	for (j = 0; s->listen_addrs.n == 0 && j < s->ports.n; j++) {
		if (s->address_family != CFG_AF_INET)
			fprintf(f, "listenaddress [::]:%s\n", s->ports.v[j]);
		if (s->address_family != CFG_AF_INET6)
			fprintf(f, "listenaddress 0.0.0.0:%s\n", s->ports.v[j]);
	}
	for (i = 0; i < s->listen_addrs.n; i++) {
		la = s->listen_addrs.v[i];
		c = strchr(la, ':');
		if (la[0] == '[' && strstr(la, "]:") != NULL) {
			fprintf(f, "listenaddress %s\n", la);
		} else if (c != NULL && strchr(c + 1, ':') == NULL) {
			fprintf(f, "listenaddress %s\n", la);
		} else {
			for (j = 0; j < s->ports.n; j++) {
				if (la[0] == '[' || c == NULL)
					fprintf(f, "listenaddress %s:%s\n", la,
					    s->ports.v[j]);
				else
					fprintf(f, "listenaddress [%s]:%s\n",
					    la, s->ports.v[j]);
			}
		}
	}
}

static void
dump_special(FILE *f, const struct servconf *s, int k)
{
	size_t i;

	switch (k) {
	case CFG_KWI_max_startups:
		fprintf(f, "%d:%d:%d\n", s->max_startups_begin,
		    s->max_startups_rate, s->max_startups_full);
		break;
	case CFG_KWI_per_source_max_startups:
		if (s->per_source_max_startups < 0)
			fprintf(f, "none\n");
		else
			fprintf(f, "%d\n", s->per_source_max_startups);
		break;
	case CFG_KWI_per_source_netblock:
		fprintf(f, "%d:%d\n", s->per_source_netblock_v4,
		    s->per_source_netblock_v6);
		break;
	case CFG_KWI_subsystems:
		if (s->nsubsystems == 0)
			fprintf(f, "none\n");
		for (i = 0; i < s->nsubsystems; i++) {
			if (i > 0)
				fprintf(f, "subsystem ");
			fprintf(f, "%s %s\n", s->subsystems[i].name,
			    s->subsystems[i].command);
		}
		break;
	default:
		fprintf(f, "none\n");
		break;
	}
}

static void
dump_list(FILE *f, const struct cfg_kwdef *kw, const struct strlist *l,
    int k)
{
	size_t i;

	if (l->n == 0) {
		/* OpenSSH prints an unset PermitOpen/PermitListen as
		 * "any": "none" would mean the opposite */
		fprintf(f, "%s\n", k == CFG_KWI_permit_open ||
		    k == CFG_KWI_permit_listen ? "any" : "none");
		return;
	}
	for (i = 0; i < l->n; i++) {
		if (i > 0) {
			/* one line per entry, as OpenSSH -T */
			if (k == CFG_KWI_ports || k == CFG_KWI_host_keys ||
			    k == CFG_KWI_host_certificates) {
				fputc('\n', f);
				dump_key(f, kw->name);
			} else {
				fputc(' ', f);
			}
		}
		/* a bare PermitListen port means host "*": OpenSSH stores
		 * and prints it as "*:PORT" (servconf.c, sPermitListen) */
		if (k == CFG_KWI_permit_listen && strchr(l->v[i], ':') ==
		    NULL && !(l->n == 1 && (strcmp(l->v[i], "any") == 0 ||
		    strcmp(l->v[i], "none") == 0))) {
			fputs("*:", f);
		}
		fputs(l->v[i], f);
	}
	fputc('\n', f);
}

void
config_dump(FILE *f, const struct servconf *s)
{
	const struct cfg_kwdef *kw;
	const void *p;
	int k;

	for (k = 0; k < CFG_NKW; k++) {
		kw = &cfg_kwdefs[k];
		if (k == CFG_KWI_listen_addrs) {
			dump_listen(f, s);
			continue;
		}
		dump_key(f, kw->name);
		p = kw->off != SIZE_MAX ? (const char *)s + kw->off : NULL;
		switch (kw->type) {
		case CFG_T_FLAG:
			fprintf(f, "%s\n", *(const int *)p ? "yes" : "no");
			break;
		case CFG_T_INT:
		case CFG_T_TIME:
			fprintf(f, "%d\n", *(const int *)p);
			break;
		case CFG_T_ENUM:
			fprintf(f, "%s\n", cfg_enum_text(kw, *(const int *)p));
			break;
		case CFG_T_STR:
			fprintf(f, "%s\n", *(char *const *)p != NULL ?
			    *(char *const *)p : "none");
			break;
		case CFG_T_LIST:
		case CFG_T_FIRSTLIST:
			dump_list(f, kw, p, k);
			break;
		case CFG_T_SPECIAL:
			dump_special(f, s, k);
			break;
		}
	}
}

void
config_policy_view(const struct servconf *s, struct policy_config *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->allow_tcp_forwarding = s->allow_tcp_forwarding;
	pc->allow_tcp_forwarding_src = s->allow_tcp_forwarding_src;
	pc->disable_forwarding = s->disable_forwarding != 0;
	pc->disable_forwarding_src = s->disable_forwarding_src;
	pc->gateway_ports = s->gateway_ports;
	pc->gateway_ports_src = s->gateway_ports_src;
	switch (s->address_family) {
	case CFG_AF_INET:
		pc->address_family = AF_INET;
		break;
	case CFG_AF_INET6:
		pc->address_family = AF_INET6;
		break;
	default:
		pc->address_family = AF_UNSPEC;
		break;
	}
	pc->use_dns = s->use_dns != 0;
	pc->permit_open = &s->permit_open;
	pc->permit_listen = &s->permit_listen;
	pc->allow_fwd_users = &s->allow_fwd_users;
	pc->allow_fwd_groups = &s->allow_fwd_groups;
	pc->deny_fwd_users = &s->deny_fwd_users;
	pc->deny_fwd_groups = &s->deny_fwd_groups;
	pc->allow_fwd_port = &s->allow_fwd_port;
	pc->deny_fwd_port = &s->deny_fwd_port;
	pc->allow_fwd_to = &s->allow_fwd_to;
	pc->deny_fwd_to = &s->deny_fwd_to;
}

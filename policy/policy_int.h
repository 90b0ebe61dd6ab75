/* Inside policy/: the compiled policy and the helpers its files share.
 * Not for the daemon (it uses policy.h). */
#ifndef PC_POLICY_INT_H
#define PC_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strlist.h"
#include "policy/pattern.h"
#include "policy/policy.h"

/* A configured rule as the decision reports it. */
struct pol_rule {
	char *text;		/* "PermitOpen localhost:80" */
	const char *file;	/* interned in struct policy; NULL default */
	int line;
};

struct pol_permit {
	struct permit_entry e;
	struct pol_rule r;
};

/* PermitOpen / PermitListen (the whole first line, Decision 11). */
struct pol_permits {
	enum { PERMITS_UNSET, PERMITS_ANY, PERMITS_NONE, PERMITS_LIST } mode;
	struct pol_rule whole;	/* the line: "PermitOpen a:1 b:2" */
	struct pol_permit *v;
	size_t n;
};

/* A user or group pattern (one comma-separated piece). */
struct pol_name {
	char *pat;
	struct pol_rule r;
};

struct pol_names {
	struct pol_name *v;
	size_t n;
	struct pol_rule whole;	/* every entry, for a failing Allow list */
};

struct pol_port {
	struct port_pattern pp;
	struct pol_rule r;
};

struct pol_ports {
	struct pol_port *v;
	size_t n;
	struct pol_rule whole;
};

struct pol_to {
	struct to_pattern tp;
	struct pol_rule r;
};

struct pol_tos {
	struct pol_to *v;
	size_t n;
	struct pol_rule whole;
};

struct policy {
	int allow_tcp;		/* enum pc_fwd_allow */
	struct pol_rule allow_tcp_r;
	bool disable;
	struct pol_rule disable_r;
	int gateway;		/* enum pc_gateway */
	struct pol_rule gateway_r;

	struct pol_permits open;	/* PermitOpen */
	struct pol_permits listen;	/* PermitListen */

	struct pol_names allow_users, allow_groups;
	struct pol_names deny_users, deny_groups;

	struct pol_ports allow_port, deny_port;
	struct pol_tos allow_to, deny_to;

	char **files;		/* interned FILE names */
	size_t nfiles;
};

/* Result of one layer. */
enum pol_result {
	POL_FAIL = 0,
	POL_PASS,		/* nothing configured restricted it */
	POL_MATCH,		/* a configured allow rule admitted it */
};

/* policy.c: append a layer to d (bounded by PC_MAX_LAYERS). */
void policy_layer(struct pc_decision *d, const char *name, bool pass,
    const char *rule, const char *file, int line);
void policy_layer_rule(struct pc_decision *d, const char *name, bool pass,
    const struct pol_rule *r);
/* Set d->why. */
void policy_why(struct pc_decision *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* pattern.c: the message into err (when err != NULL and errlen > 0);
 * returns PC_ERR_INVAL.  For the value parsers and the -X spec. */
int pattern_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* policy_compile.c: build struct policy from the configuration. */
int policy_compile(struct policy *p, const struct policy_config *cfg);
void policy_compile_free(struct policy *p);

/* policy_permit.c: PermitOpen/permitopen, PermitListen/permitlisten. */
enum pol_result policy_permit_open_admin(const struct policy *p,
    const struct pc_request *r, struct pc_decision *d);
enum pol_result policy_permit_open_key(const struct key_opts *k,
    const struct pc_request *r, struct pc_decision *d);
enum pol_result policy_permit_listen_admin(const struct policy *p,
    const char *lowered_host, const struct pc_request *r,
    struct pc_decision *d);
enum pol_result policy_permit_listen_key(const struct key_opts *k,
    const char *lowered_host, const struct pc_request *r,
    struct pc_decision *d);

/* policy_ext.c: B.1 user/group lists, B.2 ...To and ...Port rules. */
enum pol_result policy_ext_users(const struct policy *p,
    const struct pc_subject *s, struct pc_decision *d);
enum pol_result policy_ext_to(const struct policy *p,
    const struct pc_request *r, struct pc_decision *d);
enum pol_result policy_ext_port(const struct policy *p, int port,
    struct pc_decision *d);

/* gateway.c: GatewayPorts (A.3, channel_fwd_bind_addr). */
void gateway_map(int gateway_ports, const char *listen_host,
    struct pc_decision *d);
const char *gateway_name(int gateway_ports);

#endif

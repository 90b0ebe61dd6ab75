/* The forwarding policy: one question, one answer (POLICY.md, DESIGN.md
 * 'Policy').  No libssh, no I/O (name resolution is the daemon's; the
 * resolved addresses arrive in the request). */
#ifndef PC_POLICY_H
#define PC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/addr.h"
#include "common/authkeys.h"

struct policy_config;		/* policy/policy_config.h */

/* Who asks. */
struct pc_subject {
	const char *user;
	uid_t uid;
	const char *const *groups;	/* NULL-terminated: primary first */
	const char *client_addr;	/* numeric */
	const char *client_host;	/* name with UseDNS, else == addr */
	const struct key_opts *key;	/* NULL: not key-authenticated */
};

enum pc_kind { PC_OPEN, PC_LISTEN };

/* What is asked. */
struct pc_request {
	enum pc_kind kind;
	const char *host;	/* PC_OPEN: target as sent; PC_LISTEN: the
				 * client's listen address string as sent */
	long port;		/* as sent (may be > 65535: refused) */
	const struct pc_addr *addrs;	/* PC_OPEN: resolved target, may be
					 * NULL/0 when it did not resolve */
	size_t naddrs;
	int allocated_port;	/* PC_LISTEN with port 0: the port the
				 * kernel gave us, 0 before binding */
};

/* How a PC_LISTEN request must be bound (POLICY.md A.3). */
enum pc_bind {
	PC_BIND_NONE = 0,	/* (PC_OPEN, or denied) */
	PC_BIND_LOOPBACK,	/* every loopback address of the allowed families */
	PC_BIND_WILDCARD,	/* AI_PASSIVE: 0.0.0.0 and :: */
	PC_BIND_LITERAL,	/* bind_addr exactly (address or name) */
};

#define PC_MAX_LAYERS 12

/* The location of a rule of the policy itself (the port range, Decision
 * 7's privileged ports), with line 0: -X and the log show "(built-in)". */
#define PC_RULE_BUILTIN "built-in"

struct pc_layer {
	const char *name;	/* "request", "DisableForwarding", ... */
	bool pass;
	char rule[160];		/* the rule text, e.g. "PermitOpen none" */
	const char *file;	/* NULL if the rule has no location (a
				 * default); PC_RULE_BUILTIN, line 0, for a
				 * built-in rule */
	int line;
};

struct pc_decision {
	bool allow;
	char rule[160];		/* the deciding rule; "default" if nothing
				 * restricted the request */
	const char *file;	/* FILE of the deciding rule, NULL for default,
				 * PC_RULE_BUILTIN (line 0) for built-in */
	int line;
	char why[256];		/* one human sentence */
	enum pc_bind bind;	/* PC_LISTEN */
	char bind_addr[256];	/* PC_BIND_LITERAL: what to bind */
	bool gateway_overridden; /* GatewayPorts yes replaced the address:
				  * send the client a debug message */
	bool port_deferred;	/* PC_LISTEN port 0 before allocation: port
				 * rules must be re-checked with
				 * allocated_port (call again) */
	int openssh_denial;	/* which A.11 line to log: 0 none, 1
				 * "refused local port forward", 2
				 * "Received request ... denied" */
	size_t nlayers;
	struct pc_layer layers[PC_MAX_LAYERS];
};

struct policy;

/* Build the per-connection policy from the effective (post-Match)
 * configuration.  Patterns were validated at config load; a failure here
 * is PC_ERR_CONFIG and the caller denies everything. */
int policy_new(const struct policy_config *cfg, struct policy **out);
void policy_free(struct policy *p);

/*
 * The one decision function; used for real requests and for -X.
 * Evaluates POLICY.md B.4 in order and stops at the first failing layer;
 * d->layers records every layer consulted (see policy/explain.h for the
 * names).  d->rule/file/line: the failing layer's rule on deny; on allow
 * the first configured allow rule that admitted the request, else
 * "default" with file NULL.  d->file and layer files point into p (or
 * into s->key for key options): valid while those live.  Never allocates;
 * does no I/O (XXX: except getservbyname for a service name in a key's
 * permitopen=/permitlisten=, which arrive per subject and are parsed
 * here into stack buffers).
 *
 * tcpip-forward with port 0 (Decision 4): the first call (allocated_port
 * 0) judges everything it can and, if allowed, sets d->port_deferred and
 * the bind mapping; the daemon binds, puts the kernel's port into
 * r->allocated_port and calls again.  That second answer is final (the
 * port rules and the privileged-port rule judge the allocated port,
 * PermitListen still the requested 0); on deny, close the listener and
 * reply REQUEST_FAILURE.
 */
void policy_decide(const struct policy *p, const struct pc_subject *s,
    const struct pc_request *r, struct pc_decision *d);

#endif

/* Presenting a forwarding decision: the -X output, the INFO log line,
 * OpenSSH's own denial lines (POLICY.md A.11), and the -X spec parser.
 * Pure formatting and parsing: no I/O except writing to the given FILE. */
#ifndef PC_EXPLAIN_H
#define PC_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "policy/policy.h"

/*
 * -X output (DESIGN.md): line 1 is exactly "allow" or "deny"; then one
 * line per layer consulted, in order:
 *	LAYER pass|fail RULE (FILE:LINE)
 * with " (FILE:LINE)" omitted when the rule has no location (a default),
 * and " (built-in)" for a rule of the policy itself (PC_RULE_BUILTIN: the
 * port range, privileged ports).  Layer names: request, DisableForwarding,
 * AllowTcpForwarding, key, UserLists, PermitOpen, permitopen,
 * ForwardingTo, PermitListen, permitlisten, ForwardingPort,
 * PrivilegedPort, GatewayPorts.  Non-printable bytes are shown as \xHH.
 */
void policy_explain_print(FILE *f, const struct pc_decision *d);

/*
 * The INFO line of every forwarding decision (DESIGN.md, Logging):
 *	forward open|listen allowed|denied: user=U from=ADDR port=P
 *	    to|listen=HOST:PORT rule="TEXT" (FILE:LINE)
 * rule="default" and no location when nothing restricted the request;
 * "(built-in)" instead of (FILE:LINE) for a built-in rule.
 * For a listen on port 0 the allocated port is shown once known.
 * Untrusted text is escaped ('"' and '\' with a backslash, other
 * non-printable bytes as \xHH).  0, or PC_ERR_TOOLONG when cut to fit
 * (buf is always NUL-terminated), PC_ERR_INVAL on bad arguments.
 */
int policy_format_log(char *buf, size_t len, const char *user,
    const char *client_addr, int client_port, const struct pc_request *r,
    const struct pc_decision *d);

/*
 * OpenSSH 9.2's own line for this denial (A.11), chosen by
 * d->openssh_denial:
 *   1: "refused local port forward: originator O port OP, target H port P"
 *   2: "Received request from C port CP to connect to host H port P, but
 *      the request was denied."  (PC_OPEN) or "... to remote forward to
 *      host H port P, but the request was denied." (PC_LISTEN)
 * orig_addr/orig_port: the direct-tcpip originator fields (RFC 4254
 * 7.2 "originator IP address/port"); unused for PC_LISTEN.
 * 0 with the text in buf; PC_ERR_NOTFOUND (buf "") when OpenSSH logs
 * nothing for this decision; PC_ERR_TOOLONG when cut.
 */
int policy_explain_openssh(char *buf, size_t len, const char *client_addr,
    int client_port, const char *orig_addr, int orig_port,
    const struct pc_request *r, const struct pc_decision *d);

/*
 * The -X spec:
 *	user=U,addr=A[,laddr=L][,lport=P][,group=G...][,key=FILE:LINE],
 *	    open=HOST:PORT | listen=[ADDR:]PORT
 * Items in any order, each at most once except group.  addr and laddr
 * must be numeric addresses; laddr/lport are the local end of the SSH
 * connection (what Match LocalAddress / LocalPort test, named as in
 * -C); lport is 1-65535 or a service name.  Without them the daemon
 * assumes its first listening address and port (explain_cli.c).  HOST/ADDR may be "[v6]"; otherwise the port follows
 * the last ':'.  listen=PORT means the address string "localhost" (what
 * "ssh -R PORT:..." sends), listen=:PORT the empty string, listen=ADDR:PORT
 * that string.  PORT is decimal (up to 4294967295, so -X can show the
 * refusal of ports above 65535) or a service name.
 *
 * The daemon then: reads the authorized_keys line FILE:LINE into a
 * struct key_opts when have_key (else s.key = NULL), takes groups from
 * NSS unless have_groups, resolves host for open, and calls
 * policy_decide() with policy_explain_spec_request()'s request.
 */
struct explain_spec {
	char *user;
	char *addr;		/* client address (numeric) */
	char *laddr;		/* local address (numeric); NULL: not given */
	int lport;		/* local port; 0: not given */
	char **groups;		/* NULL-terminated, primary first; NULL
				 * when no group= was given */
	size_t ngroups;
	bool have_groups;
	char *key_file;		/* key=FILE:LINE */
	int key_line;
	bool have_key;
	enum pc_kind kind;	/* open= -> PC_OPEN, listen= -> PC_LISTEN */
	char *host;		/* target, or listen address string */
	long port;
};

/* 0, or PC_ERR_INVAL with a message in err (spec is then freed). */
int policy_explain_spec_parse(const char *spec, struct explain_spec *out,
    char *err, size_t errlen);
void policy_explain_spec_free(struct explain_spec *s);
/* kind, host, port from the spec; no addresses (the daemon resolves),
 * allocated_port 0. */
void policy_explain_spec_request(const struct explain_spec *s,
    struct pc_request *r);

#endif

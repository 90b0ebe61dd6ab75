/* Shared fixture for the policy_decide() tests: a struct policy_config
 * built by hand from short strings (no sshd_config parser involved). */
#ifndef PC_TEST_POLICY_UTIL_H
#define PC_TEST_POLICY_UTIL_H

#include <stdbool.h>

#include "common/authkeys.h"
#include "common/strlist.h"
#include "policy/policy.h"
#include "policy/policy_config.h"

#define TP_FILE "test.conf"

/* Lists are space-separated words, all on one line of TP_FILE:
 * line TP_LINE_BASE + index in this order; the word TP_NEXT_LINE moves
 * the following words 100 lines down (a repeated keyword line). */
#define TP_NEXT_LINE ";"
enum tp_list {
	TP_PERMIT_OPEN, TP_PERMIT_LISTEN,
	TP_ALLOW_USERS, TP_DENY_USERS, TP_ALLOW_GROUPS, TP_DENY_GROUPS,
	TP_ALLOW_PORT, TP_DENY_PORT, TP_ALLOW_TO, TP_DENY_TO,
	TP_NLISTS
};
#define TP_LINE_BASE 10
#define TP_LINE_ALLOW_TCP 2	/* when not the default */
#define TP_LINE_DISABLE 3
#define TP_LINE_GATEWAY 4

/* AllowTcpForwarding in struct tp_cfg: 0 leaves the default (yes, no
 * location); the others are located at TP_LINE_ALLOW_TCP. */
enum { TP_ATF_DEFAULT = 0, TP_ATF_NO, TP_ATF_LOCAL, TP_ATF_REMOTE,
	TP_ATF_YES };

struct tp_cfg {
	int atf;		/* TP_ATF_* */
	bool disable;
	int gateway;
	const char *lists[TP_NLISTS];
};

struct tp {
	struct strlist lists[TP_NLISTS];
	struct policy_config cfg;
	struct policy *p;
};

/* Build; returns policy_new()'s result (t->p NULL on error). */
int tp_build(struct tp *t, const struct tp_cfg *c);
void tp_free(struct tp *t);

/* A key line's options: flags plus lists given as NULL-terminated
 * arrays of strings (not copied). */
void tp_key(struct key_opts *k, bool port_forwarding, bool restricted,
    char **permitopen, char **permitlisten);

/* alice, uid 1000, groups alice+staff, from 192.0.2.10 */
void tp_subject(struct pc_subject *s, const struct key_opts *k);

void tp_open(struct pc_request *r, const char *host, long port,
    const struct pc_addr *addrs, size_t naddrs);
void tp_listen(struct pc_request *r, const char *host, long port,
    int allocated);

/* Layer by name, NULL if not recorded. */
const struct pc_layer *tp_layer(const struct pc_decision *d,
    const char *name);
/* "name:pass name:fail ..." of the recorded layers, into a static buf. */
const char *tp_layers(const struct pc_decision *d);

#endif

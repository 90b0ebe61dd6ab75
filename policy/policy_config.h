/* What the policy needs from the effective (post-Match) configuration.
 * Filled by sshd/config.c (config_policy_view()); strings are borrowed. */
#ifndef PC_POLICY_CONFIG_H
#define PC_POLICY_CONFIG_H

#include <stdbool.h>

#include "common/strlist.h"

/* AllowTcpForwarding / AllowStreamLocalForwarding (bit 1 local, bit 2 remote) */
enum pc_fwd_allow { PC_FWD_NO = 0, PC_FWD_LOCAL = 1, PC_FWD_REMOTE = 2, PC_FWD_ALL = 3 };
enum pc_gateway { PC_GW_NO = 0, PC_GW_YES = 1, PC_GW_CLIENTSPECIFIED = 2 };

struct policy_config {
	int allow_tcp_forwarding;	/* enum pc_fwd_allow */
	struct pc_src allow_tcp_forwarding_src;
	bool disable_forwarding;
	struct pc_src disable_forwarding_src;
	int gateway_ports;		/* enum pc_gateway */
	struct pc_src gateway_ports_src;
	int address_family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	bool use_dns;

	/* Empty list: keyword not set.  A list "any" or "none" is one word.
	 * First line wins (the config parser keeps only the first line). */
	const struct strlist *permit_open;
	const struct strlist *permit_listen;

	/* B.1: accumulate; a Match block's list replaces the global one */
	const struct strlist *allow_fwd_users;
	const struct strlist *allow_fwd_groups;
	const struct strlist *deny_fwd_users;
	const struct strlist *deny_fwd_groups;

	/* B.2 */
	const struct strlist *allow_fwd_port;
	const struct strlist *deny_fwd_port;
	const struct strlist *allow_fwd_to;
	const struct strlist *deny_fwd_to;
};

#endif

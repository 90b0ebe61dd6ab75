/*
 * GatewayPorts: where a tcpip-forward listener is bound (POLICY.md A.3).
 * Same decisions as OpenSSH's channel_fwd_bind_addr(is_client = 0); the
 * requested address always arrives as a string on the server.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "policy/policy_config.h"
#include "policy/policy_int.h"

const char *
gateway_name(int gateway_ports)
{
	switch (gateway_ports) {
	case PC_GW_YES:
		return "yes";
	case PC_GW_CLIENTSPECIFIED:
		return "clientspecified";
	default:
		return "no";
	}
}

static void
gateway_literal(struct pc_decision *d, const char *addr)
{
	d->bind = PC_BIND_LITERAL;
	snprintf(d->bind_addr, sizeof(d->bind_addr), "%s", addr);
}

void
gateway_map(int gateway_ports, const char *h, struct pc_decision *d)
{
	bool wild_word = *h == '\0' || strcmp(h, "*") == 0;
	bool lo_literal = strcmp(h, "127.0.0.1") == 0 ||
	    strcmp(h, "::1") == 0;

	d->bind = PC_BIND_LOOPBACK;
	d->bind_addr[0] = '\0';
	d->gateway_overridden = false;
	switch (gateway_ports) {
	case PC_GW_YES:
		/* everything becomes the wildcard; the client is told unless
		 * it asked for a wildcard itself */
		d->bind = PC_BIND_WILDCARD;
		d->gateway_overridden = !wild_word &&
		    strcmp(h, "0.0.0.0") != 0;
		break;
	case PC_GW_CLIENTSPECIFIED:
		if (wild_word) {
			d->bind = PC_BIND_WILDCARD;
		} else if (strcmp(h, "localhost") != 0) {
			/* "0.0.0.0" binds IPv4 only (Decision 9), "::" IPv6
			 * only; "localhost" stays every loopback address */
			gateway_literal(d, h);
		}
		break;
	default:
		/* an explicit loopback address lets the client pick the
		 * family; anything else is silently loopback */
		if (lo_literal) {
			gateway_literal(d, h);
		}
		break;
	}
}

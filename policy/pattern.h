/* Parsers/validators for the forwarding keyword values.  The config parser
 * calls the *_validate functions at load time so that every malformed
 * value is a FILE:LINE error; the policy compiles the same text later.
 * Each returns 0 or PC_ERR_INVAL with a message in err. */
#ifndef PC_PATTERN_H
#define PC_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/addr.h"

/* F-Secure port pattern: N | <N | >N | A..B | glob with '*' | service. */
int pattern_port_validate(const char *word, char *err, size_t errlen);
/* HOST:PORTPATTERN ([v6]:pp, CIDR host allowed) for ...ForwardingTo. */
int pattern_to_validate(const char *word, char *err, size_t errlen);
/* PermitOpen entry (host:port, [v6]:port, port may be '*') or lone
 * any/none (only as the only word: caller checks). */
int pattern_permitopen_validate(const char *word, char *err, size_t errlen);
/* PermitListen entry: port | host:port | [v6]:port, port may be '*'. */
int pattern_permitlisten_validate(const char *word, char *err, size_t errlen);
/* USER or USER@HOST (OpenSSH AllowUsers syntax, CIDR in HOST allowed). */
int pattern_user_validate(const char *word, char *err, size_t errlen);

/* Compiled F-Secure port pattern. */
struct port_pattern {
	enum { PP_EXACT, PP_LESS, PP_GREATER, PP_RANGE, PP_GLOB } kind;
	int lo, hi;		/* EXACT: lo; LESS/GREATER: lo; RANGE: lo..hi */
	char glob[16];		/* PP_GLOB: the digit glob */
};
int port_pattern_parse(const char *word, struct port_pattern *pp,
    char *err, size_t errlen);
bool port_pattern_match(const struct port_pattern *pp, int port);

/* Longest host text in any entry (DNS names are at most 253). */
#define PATTERN_HOST_MAX 256

/* Group-name pattern list entry (AllowTcpForwardingForGroups...):
 * comma-separated globs, no empty entries, no '!'. */
int pattern_group_validate(const char *word, char *err, size_t errlen);

/*
 * Compiled ...ForwardingTo entry (POLICY.md B.2.4, Decision 5): HOST is
 * either an address / CIDR block (compared numerically) or a
 * case-insensitive glob on a name or an address's numeric text.
 */
struct to_pattern {
	char host[PATTERN_HOST_MAX];	/* glob (cidr == false) */
	bool cidr;
	struct pc_addr net;		/* cidr == true */
	unsigned int masklen;
	struct port_pattern port;
};
int to_pattern_parse(const char *word, struct to_pattern *tp,
    char *err, size_t errlen);
/* Host part against the requested string (a numeric string is also
 * compared as an address). */
bool to_pattern_match_name(const struct to_pattern *tp, const char *host);
/* Host part against one resolved address. */
bool to_pattern_match_addr(const struct to_pattern *tp,
    const struct pc_addr *a);

/* PermitOpen / permitopen= / PermitListen / permitlisten= entries. */
enum permit_kind {
	PERMIT_OPEN,		/* PermitOpen: host:port, [v6]:port */
	PERMIT_KEY_OPEN,	/* permitopen=: also host/port */
	PERMIT_LISTEN,		/* PermitListen: port | host:port */
	PERMIT_KEY_LISTEN,	/* permitlisten=: same; host/port refused */
};
struct permit_entry {
	char host[PATTERN_HOST_MAX];	/* brackets removed; "*" any */
	int port;			/* 1..65535, 0 = '*' (any port) */
};
/* One entry (not "any"/"none": the caller handles those words). */
int permit_entry_parse(const char *word, enum permit_kind kind,
    struct permit_entry *e, char *err, size_t errlen);
/* A.4 open_match: literal, case-sensitive host ("*" any), port equal or
 * entry '*'. */
bool permit_entry_match_open(const struct permit_entry *e, const char *host,
    long port);
/* A.5 remote_open_match: host is the requested listen string, which the
 * caller has already lower-cased; the entry host is a glob. */
bool permit_entry_match_listen(const struct permit_entry *e,
    const char *lowered_host, long port);

#endif

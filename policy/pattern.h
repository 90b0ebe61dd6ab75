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

#endif

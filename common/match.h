/* OpenSSH-compatible pattern matching (match.c in OpenSSH has the same
 * semantics; this is our own implementation).  All functions are pure. */
#ifndef PC_MATCH_H
#define PC_MATCH_H

#include <stdbool.h>

/* Glob: '*' any run, '?' one character.  Case-sensitive.  1/0. */
int match_pattern(const char *s, const char *pattern);

/* Comma-separated list of globs, each may start with '!'.  1 = a positive
 * pattern matched and no negated one did; -1 = a negated pattern matched;
 * 0 = no match.  dolower: lower-case s before matching (patterns are not). */
int match_pattern_list(const char *s, const char *list, int dolower);

/* Host name against a pattern list, case-insensitive (lower-cases s). */
int match_hostname(const char *host, const char *list);

/* Address (numeric string) against a list of addresses, globs and CIDR
 * blocks, '!' negation.  1 match, 0 no match, -1 negated match, -2 the
 * list is malformed (a bad CIDR entry). */
int addr_match_list(const char *addr, const char *list);

/* Like addr_match_list but every entry must be an address or CIDR block
 * (no globs): for from= style strictness.  -2 on a malformed list. */
int addr_match_cidr_list(const char *addr, const char *list);

/* OpenSSH match_user(): pattern "USER" or "USER@HOST"; the HOST part is
 * matched against host (name) and ipaddr with CIDR support.
 * 1 match, 0 no, -1 error in pattern. */
int match_user(const char *user, const char *host, const char *ipaddr,
    const char *pattern);

/* Match a list of group-name patterns against a user's groups (primary and
 * supplementary).  Negation per OpenSSH (match_usergroup_pattern_list).
 * Returns 1 if any group matches positively and none negatively. */
int match_group_list(const char *const *groups, const char *list);

/* Validate a CIDR list (for config checking): 0 ok, -1 malformed. */
int match_cidr_list_valid(const char *list);

#endif

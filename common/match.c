#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/match.h"

/*
 * How letters compare.  OpenSSH's match_pattern_list(dolower) folds the
 * pattern; our contract (match.h) folds the subject string only, and
 * match_hostname folds both, which is what OpenSSH's match_hostname ends up
 * doing (it lower-cases the host and asks for a folded pattern).
 */
enum match_case {
	MATCH_EXACT,
	MATCH_LOWER_S,
	MATCH_FOLD,
};

static int
match_char_eq(char pc, char sc, enum match_case mc)
{
	unsigned char p = (unsigned char)pc, c = (unsigned char)sc;

	switch (mc) {
	case MATCH_LOWER_S:
		return p == (unsigned char)tolower(c);
	case MATCH_FOLD:
		return tolower(p) == tolower(c);
	case MATCH_EXACT:
	default:
		return p == c;
	}
}

/*
 * Glob over a pattern of plen bytes.  Iterative with a single backtrack
 * point (the last '*'), so the cost is O(len(s) * plen) whatever the
 * input: OpenSSH's recursive version is exponential on "*a*a*a*...b".
 */
static int
match_glob(const char *s, const char *p, size_t plen, enum match_case mc)
{
	const char *pe = p + plen, *star_p = NULL, *star_s = NULL;

	while (*s != '\0') {
		if (p < pe && *p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (p < pe && (*p == '?' || match_char_eq(*p, *s, mc))) {
			p++;
			s++;
			continue;
		}
		if (star_p != NULL) {
			p = star_p;
			s = ++star_s;
			continue;
		}
		return 0;
	}
	while (p < pe && *p == '*') {
		p++;
	}
	return p == pe;
}

int
match_pattern(const char *s, const char *pattern)
{
	if (s == NULL || pattern == NULL) {
		return 0;
	}
	return match_glob(s, pattern, strlen(pattern), MATCH_EXACT);
}

static int
match_list(const char *s, const char *list, enum match_case mc)
{
	const char *p, *end;
	int negated, got_positive = 0;

	if (s == NULL || list == NULL) {
		return 0;
	}
	for (p = list; *p != '\0';) {
		negated = *p == '!';
		if (negated) {
			p++;
		}
		end = p + strcspn(p, ",");
		if (match_glob(s, p, (size_t)(end - p), mc)) {
			if (negated) {
				return -1;
			}
			got_positive = 1;
		}
		p = *end == ',' ? end + 1 : end;
	}
	return got_positive;
}

int
match_pattern_list(const char *s, const char *list, int dolower)
{
	return match_list(s, list, dolower ? MATCH_LOWER_S : MATCH_EXACT);
}

int
match_hostname(const char *host, const char *list)
{
	return match_list(host, list, MATCH_FOLD);
}

/*
 * One entry of an address list: 1 it matches, 0 it does not, -2 it is a
 * malformed CIDR entry.  cidr_only: globs are not allowed.
 */
static int
match_addr_entry(const struct pc_addr *a, const char *addr, const char *ent,
    size_t len, int cidr_only)
{
	char buf[80];
	struct pc_addr net;
	unsigned int masklen;
	int r;

	if (len == 0) {
		return -2;
	}
	if (len >= sizeof(buf)) {
		/* too long to be an address: only a glob can match */
		if (cidr_only) {
			return -2;
		}
		return addr != NULL && match_glob(addr, ent, len, MATCH_EXACT);
	}
	memcpy(buf, ent, len);
	buf[len] = '\0';
	r = addr_parse_cidr(buf, &net, &masklen);
	if (r == 0) {
		return a != NULL && addr_in_cidr(a, &net, masklen);
	}
	if (r != PC_ERR_INVAL || cidr_only) {
		return -2;
	}
	return addr != NULL && match_glob(addr, ent, len, MATCH_EXACT);
}

/* OpenSSH addr_match_list / addr_match_cidr_list with addr NULL meaning
 * "only check the list". */
static int
match_addr_list(const char *addr, const char *list, int cidr_only)
{
	struct pc_addr a, *ap = NULL;
	const char *p, *end;
	int negated, r, ret = 0;

	if (list == NULL) {
		return 0;
	}
	if (addr != NULL) {
		if (addr_parse(addr, &a) != 0) {
			return 0;
		}
		ap = &a;
	}
	for (p = list;;) {
		negated = !cidr_only && *p == '!';
		if (negated) {
			p++;
		}
		end = p + strcspn(p, ",");
		r = match_addr_entry(ap, addr, p, (size_t)(end - p), cidr_only);
		if (r == -2) {
			return -2;
		}
		if (r == 1) {
			if (negated) {
				return -1;
			}
			ret = 1;
		}
		if (*end == '\0') {
			break;
		}
		p = end + 1;
	}
	return ret;
}

int
addr_match_list(const char *addr, const char *list)
{
	return match_addr_list(addr, list, 0);
}

int
addr_match_cidr_list(const char *addr, const char *list)
{
	return match_addr_list(addr, list, 1);
}

int
match_cidr_list_valid(const char *list)
{
	return match_addr_list(NULL, list, 1) == -2 ? -1 : 0;
}

/* OpenSSH match_host_and_ip(): 1 match, 0 no match, -1 bad pattern. */
static int
match_host_and_ip(const char *host, const char *ipaddr, const char *list)
{
	int mhost, mip;

	if ((mip = addr_match_list(ipaddr, list)) == -2) {
		return -1;
	}
	if (host == NULL || ipaddr == NULL || mip == -1) {
		return 0;
	}
	if ((mhost = match_hostname(host, list)) == -1) {
		return 0;
	}
	return mhost == 1 || mip == 1;
}

int
match_user(const char *user, const char *host, const char *ipaddr,
    const char *pattern)
{
	const char *at;
	int r;

	if (pattern == NULL) {
		return 0;
	}
	at = strrchr(pattern, '@');
	/* test mode: only validate the HOST part */
	if (user == NULL && host == NULL && ipaddr == NULL) {
		if (at != NULL && match_host_and_ip(NULL, NULL, at + 1) < 0) {
			return -1;
		}
		return 0;
	}
	if (user == NULL) {
		return 0;
	}
	if (at == NULL) {
		return match_pattern(user, pattern);
	}
	r = match_glob(user, pattern, (size_t)(at - pattern), MATCH_EXACT);
	if (r == 1) {
		r = match_host_and_ip(host, ipaddr, at + 1);
	}
	return r;
}

int
match_group_list(const char *const *groups, const char *list)
{
	size_t i;
	int found = 0;

	if (groups == NULL || list == NULL) {
		return 0;
	}
	for (i = 0; groups[i] != NULL; i++) {
		switch (match_pattern_list(groups[i], list, 0)) {
		case -1:
			return 0;	/* a negated match wins */
		case 1:
			found = 1;
			break;
		default:
			break;
		}
	}
	return found;
}

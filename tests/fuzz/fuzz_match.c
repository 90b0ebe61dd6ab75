#include "config.h"

/*
 * libFuzzer target: OpenSSH pattern and address-list matching
 * (common/match.c).  Input: newline-separated fields
 *	STRING \n LIST \n USER \n HOST \n IPADDR \n GROUPS(space-separated)
 * Besides "no crash, no hang" (the glob is documented as O(len * plen):
 * libFuzzer's -timeout catches a blow-up), checks the return ranges the
 * header promises and a few identities of glob matching.
 *
 * fuzz-requires: common/match.c common/addr.c
 */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/match.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MATCH_MAX_GROUPS 16

static void
fuzz_match_globs(const char *s, const char *list)
{
	int r;

	/* any string matches itself and "*" */
	fuzz_check(match_pattern(s, s) == 1, "match_pattern(s, s)");
	fuzz_check(match_pattern(s, "*") == 1, "match_pattern(s, \"*\")");
	fuzz_check(match_pattern(s, "") == (*s == '\0'),
	    "empty pattern matches only the empty string");
	r = match_pattern(s, list);
	fuzz_check(r == 0 || r == 1, "match_pattern range");

	r = match_pattern_list(s, list, 0);
	fuzz_check(r >= -1 && r <= 1, "match_pattern_list range");
	r = match_pattern_list(s, list, 1);
	fuzz_check(r >= -1 && r <= 1, "match_pattern_list(dolower) range");
	r = match_hostname(s, list);
	fuzz_check(r >= -1 && r <= 1, "match_hostname range");
	/* a one-entry list without ',' or a leading '!' is just a glob */
	if (strchr(list, ',') == NULL && list[0] != '!' && list[0] != '\0') {
		fuzz_check(match_pattern_list(s, list, 0) ==
		    match_pattern(s, list), "one-entry list == glob");
	}
	/* match_hostname folds case on both sides */
	if (strchr(s, ',') == NULL && s[0] != '!' && s[0] != '\0') {
		char *up = strdup(s);
		size_t i;

		fuzz_check(up != NULL, "strdup");
		for (i = 0; up[i] != '\0'; i++) {
			up[i] = (char)toupper((unsigned char)up[i]);
		}
		fuzz_check(match_hostname(up, s) == 1,
		    "match_hostname is case-insensitive");
		free(up);
	}
}

static void
fuzz_match_addrs(const char *addr, const char *list)
{
	int r, valid;

	r = addr_match_list(addr, list);
	fuzz_check(r >= -2 && r <= 1, "addr_match_list range");
	r = addr_match_cidr_list(addr, list);
	fuzz_check(r >= -2 && r <= 1, "addr_match_cidr_list range");
	valid = match_cidr_list_valid(list);
	fuzz_check(valid == 0 || valid == -1, "match_cidr_list_valid range");
	if (valid == -1) {
		fuzz_check(addr_match_cidr_list(NULL, list) == -2,
		    "invalid list reported for a NULL address too");
	}
	/* a NULL address only checks the list */
	r = addr_match_list(NULL, list);
	fuzz_check(r == 0 || r == -2, "addr_match_list(NULL) range");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct fuzz_in in;
	char *s, *list, *user, *host, *ip, *groupstr, *save = NULL, *g;
	const char *groups[FUZZ_MATCH_MAX_GROUPS + 1];
	size_t ng = 0;
	int r;

	if (!init) {
		fuzz_log_setup();
		init = 1;
	}
	if (size > 4096) {
		return -1;
	}
	fuzz_in_init(&in, data, size);
	s = fuzz_field(&in, '\n');
	list = fuzz_field(&in, '\n');
	user = fuzz_field(&in, '\n');
	host = fuzz_field(&in, '\n');
	ip = fuzz_field(&in, '\n');
	groupstr = fuzz_rest(&in);

	fuzz_match_globs(s, list);
	fuzz_match_addrs(s, list);
	fuzz_match_addrs(ip, list);

	r = match_user(user, host, ip, list);
	fuzz_check(r >= -1 && r <= 1, "match_user range");
	r = match_user(user, NULL, NULL, list);
	fuzz_check(r >= -1 && r <= 1, "match_user without host range");
	/* test mode: only validates the HOST part */
	r = match_user(NULL, NULL, NULL, list);
	fuzz_check(r == 0 || r == -1, "match_user test mode range");

	for (g = strtok_r(groupstr, " ", &save);
	    g != NULL && ng < FUZZ_MATCH_MAX_GROUPS;
	    g = strtok_r(NULL, " ", &save)) {
		groups[ng++] = g;
	}
	groups[ng] = NULL;
	r = match_group_list(groups, list);
	fuzz_check(r == 0 || r == 1, "match_group_list range");

	free(s);
	free(list);
	free(user);
	free(host);
	free(ip);
	free(groupstr);
	return 0;
}

#include "config.h"

/*
 * libFuzzer target: the forwarding keyword parsers (policy/pattern.c):
 * F-Secure port patterns, ...ForwardingTo entries, PermitOpen /
 * PermitListen / permitopen= / permitlisten= entries, user and group
 * pattern lists.  Input: a control byte, two bytes of port, then
 * newline-separated fields  WORD \n HOST \n ADDRESS.
 * Checks, besides memory safety with exact-size err buffers: validate and
 * parse agree; a compiled port pattern matches what its kind says at its
 * edges (and a '*' glob agrees with a reference matcher here); a ...To
 * or permit entry matches its own host; results stay in range.
 *
 * fuzz-requires: policy/pattern.c
 */

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "common/err.h"
#include "policy/pattern.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reference for Decision 2: '*' = any run of digits (maybe none). */
static bool
fuzz_pattern_star(const char *s, const char *g)
{
	if (*g == '\0') {
		return *s == '\0';
	}
	if (*g == '*') {
		return fuzz_pattern_star(s, g + 1) ||
		    (*s != '\0' && fuzz_pattern_star(s + 1, g));
	}
	return *s == *g && fuzz_pattern_star(s + 1, g + 1);
}

static void
fuzz_pattern_port(const char *word, int port, char *err, size_t errlen)
{
	struct port_pattern pp;
	char buf[8];
	int r, v;

	r = port_pattern_parse(word, &pp, err, errlen);
	fuzz_check(r == pattern_port_validate(word, err, errlen),
	    "port: validate agrees with parse");
	if (r != 0) {
		fuzz_check(r == PC_ERR_INVAL, "port: error code");
		if (err != NULL) {
			fuzz_check(fuzz_terminated(err, errlen),
			    "port: err terminated");
		}
		return;
	}
	fuzz_check(!port_pattern_match(&pp, -1) &&
	    !port_pattern_match(&pp, 65536), "port: outside 0-65535 never");
	switch (pp.kind) {
	case PP_EXACT:
		fuzz_check(pp.lo >= 0 && pp.lo <= 65535, "exact: range");
		fuzz_check(port_pattern_match(&pp, pp.lo), "exact: own port");
		fuzz_check(!port_pattern_match(&pp, pp.lo + 1), "exact: +1");
		break;
	case PP_LESS:
		fuzz_check(pp.lo >= 0 && pp.lo <= 65535, "less: range");
		fuzz_check(!port_pattern_match(&pp, pp.lo), "less: strict");
		fuzz_check(pp.lo == 0 || port_pattern_match(&pp, pp.lo - 1),
		    "less: N-1");
		break;
	case PP_GREATER:
		fuzz_check(pp.lo >= 0 && pp.lo <= 65535, "greater: range");
		fuzz_check(!port_pattern_match(&pp, pp.lo), "greater: strict");
		fuzz_check(pp.lo == 65535 || port_pattern_match(&pp,
		    pp.lo + 1), "greater: N+1");
		break;
	case PP_RANGE:
		fuzz_check(pp.lo >= 0 && pp.lo <= pp.hi && pp.hi <= 65535,
		    "range: bounds");
		fuzz_check(port_pattern_match(&pp, pp.lo) &&
		    port_pattern_match(&pp, pp.hi), "range: inclusive");
		fuzz_check(!port_pattern_match(&pp, pp.lo - 1) &&
		    !port_pattern_match(&pp, pp.hi + 1), "range: outside");
		break;
	case PP_GLOB:
		fuzz_check(fuzz_terminated(pp.glob, sizeof(pp.glob)) &&
		    strchr(pp.glob, '*') != NULL, "glob: text");
		break;
	default:
		fuzz_check(false, "port: unknown kind");
	}
	if (pp.kind == PP_GLOB) {
		for (v = port; v <= 65535 && v < port + 3; v++) {
			snprintf(buf, sizeof(buf), "%d", v);
			fuzz_check(port_pattern_match(&pp, v) ==
			    fuzz_pattern_star(buf, pp.glob),
			    "glob: agrees with the reference");
		}
	}
	(void)port_pattern_match(&pp, port);
}

static void
fuzz_pattern_to(const char *word, const char *host, const char *addr,
    char *err, size_t errlen)
{
	struct to_pattern tp;
	struct pc_addr a;
	int r;

	r = to_pattern_parse(word, &tp, err, errlen);
	fuzz_check(r == pattern_to_validate(word, err, errlen),
	    "to: validate agrees with parse");
	if (r != 0) {
		fuzz_check(r == PC_ERR_INVAL, "to: error code");
		if (err != NULL) {
			fuzz_check(fuzz_terminated(err, errlen),
			    "to: err terminated");
		}
		return;
	}
	fuzz_check(fuzz_terminated(tp.host, sizeof(tp.host)) &&
	    tp.host[0] != '\0', "to: host non-empty and terminated");
	if (tp.cidr) {
		fuzz_check(to_pattern_match_addr(&tp, &tp.net),
		    "to: block holds its network address");
	} else {
		fuzz_check(to_pattern_match_name(&tp, tp.host),
		    "to: host glob matches itself");
	}
	(void)to_pattern_match_name(&tp, host);
	(void)to_pattern_match_name(&tp, addr);
	if (addr_parse(addr, &a) == 0) {
		(void)to_pattern_match_addr(&tp, &a);
	}
}

static void
fuzz_pattern_permit(const char *word, const char *host, int port,
    char *err, size_t errlen)
{
	static const enum permit_kind kinds[] = {
		PERMIT_OPEN, PERMIT_KEY_OPEN, PERMIT_LISTEN, PERMIT_KEY_LISTEN
	};
	struct permit_entry e;
	size_t i;
	int r;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		r = permit_entry_parse(word, kinds[i], &e, err, errlen);
		if (r != 0) {
			fuzz_check(r == PC_ERR_INVAL, "permit: error code");
			if (err != NULL) {
				fuzz_check(fuzz_terminated(err, errlen),
				    "permit: err terminated");
			}
			continue;
		}
		fuzz_check(fuzz_terminated(e.host, sizeof(e.host)),
		    "permit: host terminated");
		fuzz_check(e.port >= 0 && e.port <= 65535, "permit: port");
		if (kinds[i] == PERMIT_OPEN || kinds[i] == PERMIT_KEY_OPEN) {
			fuzz_check(permit_entry_match_open(&e, e.host,
			    e.port != 0 ? e.port : port),
			    "permit open: own host and port");
			(void)permit_entry_match_open(&e, host, port);
		} else {
			fuzz_check(permit_entry_match_listen(&e, e.host,
			    e.port != 0 ? e.port : port),
			    "permit listen: own host and port");
			(void)permit_entry_match_listen(&e, host, port);
		}
		fuzz_check(e.port == 0 || !permit_entry_match_open(&e, e.host,
		    e.port == 65535 ? 1 : e.port + 1), "permit: other port");
	}
	r = pattern_permitopen_validate(word, err, errlen);
	fuzz_check(r == 0 || r == PC_ERR_INVAL, "permitopen validate");
	r = pattern_permitlisten_validate(word, err, errlen);
	fuzz_check(r == 0 || r == PC_ERR_INVAL, "permitlisten validate");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct fuzz_in in;
	char *word, *host, *addr, *err = NULL;
	size_t errlen = 0;
	uint8_t ctl;
	int port, r;

	if (!init) {
		fuzz_log_setup();
		init = 1;
	}
	if (size > 2048) {
		return -1;
	}
	fuzz_in_init(&in, data, size);
	ctl = fuzz_byte(&in);
	port = fuzz_byte(&in) << 8;
	port |= fuzz_byte(&in);
	if ((ctl & 0x7f) != 0) {
		errlen = ctl & 0x7f;
		err = fuzz_outbuf(errlen);
	}
	word = fuzz_field(&in, '\n');
	host = fuzz_field(&in, '\n');
	addr = fuzz_rest(&in);

	fuzz_pattern_port(word, port, err, errlen);
	fuzz_pattern_to(word, host, addr, err, errlen);
	fuzz_pattern_permit(word, host, port, err, errlen);
	r = pattern_user_validate(word, err, errlen);
	fuzz_check(r == 0 || r == PC_ERR_INVAL, "user validate");
	r = pattern_group_validate(word, err, errlen);
	fuzz_check(r == 0 || r == PC_ERR_INVAL, "group validate");

	free(word);
	free(host);
	free(addr);
	free(err);
	return 0;
}

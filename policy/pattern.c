/*
 * Parsers for the values of the forwarding keywords.  The config parser
 * calls the *_validate functions at load time (so every malformed value is
 * a FILE:LINE error) and the policy compiles the same text with the
 * *_parse functions when it is built.  Everything here is bounded and
 * does no I/O except getservbyname for service names.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/match.h"
#include "policy/pattern.h"
#include "policy/policy_int.h"

/* Shared with explain.c's -X spec parser (policy_int.h). */
int
pattern_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return PC_ERR_INVAL;
}

/* Decimal 0..65535 only (no service names), for <N, >N and A..B. */
static int
pattern_decimal(const char *s, int *v, const char *word, char *err,
    size_t errlen)
{
	int r;

	if ((r = port_parse(s, v, false)) == PC_ERR_RANGE) {
		return pattern_err(err, errlen,
		    "port \"%s\" in \"%s\" is outside 0-65535", s, word);
	}
	if (r != 0) {
		return pattern_err(err, errlen,
		    "bad port number \"%s\" in \"%s\"", s, word);
	}
	return 0;
}

/*
 * '*' matches any run of digits, including none (Decision 2).  A glob
 * whose fixed digits already exceed 65535 could never match: an error,
 * like any other out-of-range number.
 */
static int
port_pattern_glob(const char *word, struct port_pattern *pp, char *err,
    size_t errlen)
{
	const char *p;
	unsigned long fixed = 0;
	size_t ndigits = 0;

	if (strlen(word) >= sizeof(pp->glob)) {
		return pattern_err(err, errlen, "port pattern \"%s\" too long",
		    word);
	}
	for (p = word; *p != '\0'; p++) {
		if (*p == '*') {
			continue;
		}
		if (!isdigit((unsigned char)*p)) {
			return pattern_err(err, errlen, "bad port pattern "
			    "\"%s\": only digits and '*' may be combined",
			    word);
		}
		fixed = fixed * 10 + (unsigned long)(*p - '0');
		if (++ndigits > 5 || fixed > 65535) {
			return pattern_err(err, errlen, "port pattern \"%s\" "
			    "can only match ports above 65535", word);
		}
	}
	pp->kind = PP_GLOB;
	memcpy(pp->glob, word, strlen(word) + 1);
	return 0;
}

int
port_pattern_parse(const char *word, struct port_pattern *pp, char *err,
    size_t errlen)
{
	char lo[8];
	const char *dots;
	size_t n;
	int r, v;

	if (word == NULL || pp == NULL || *word == '\0') {
		return pattern_err(err, errlen, "empty port pattern");
	}
	memset(pp, 0, sizeof(*pp));
	if (strchr(word, '*') != NULL) {
		return port_pattern_glob(word, pp, err, errlen);
	}
	if (word[0] == '<' || word[0] == '>') {
		if ((r = pattern_decimal(word + 1, &v, word, err, errlen)) != 0) {
			return r;
		}
		pp->kind = word[0] == '<' ? PP_LESS : PP_GREATER;
		pp->lo = v;
		return 0;
	}
	if ((dots = strstr(word, "..")) != NULL) {
		n = (size_t)(dots - word);
		if (n == 0 || n >= sizeof(lo)) {
			return pattern_err(err, errlen,
			    "bad port range \"%s\"", word);
		}
		memcpy(lo, word, n);
		lo[n] = '\0';
		if ((r = pattern_decimal(lo, &pp->lo, word, err, errlen)) != 0 ||
		    (r = pattern_decimal(dots + 2, &pp->hi, word, err,
		    errlen)) != 0) {
			return r;
		}
		if (pp->lo > pp->hi) {
			return pattern_err(err, errlen, "bad port range \"%s\": "
			    "%d is greater than %d", word, pp->lo, pp->hi);
		}
		pp->kind = PP_RANGE;
		return 0;
	}
	r = port_parse(word, &v, true);
	if (r == PC_ERR_RANGE) {
		return pattern_err(err, errlen,
		    "port \"%s\" is outside 0-65535", word);
	}
	if (r != 0) {
		return pattern_err(err, errlen, "bad port pattern \"%s\" "
		    "(want N, <N, >N, A..B, digits with '*' or a service name)",
		    word);
	}
	pp->kind = PP_EXACT;
	pp->lo = v;
	return 0;
}

bool
port_pattern_match(const struct port_pattern *pp, int port)
{
	char buf[8];

	if (pp == NULL || port < 0 || port > 65535) {
		return false;
	}
	switch (pp->kind) {
	case PP_EXACT:
		return port == pp->lo;
	case PP_LESS:
		return port < pp->lo;
	case PP_GREATER:
		return port > pp->lo;
	case PP_RANGE:
		return port >= pp->lo && port <= pp->hi;
	case PP_GLOB:
		snprintf(buf, sizeof(buf), "%d", port);
		return match_pattern(buf, pp->glob) == 1;
	default:
		return false;
	}
}

int
pattern_port_validate(const char *word, char *err, size_t errlen)
{
	struct port_pattern pp;

	return port_pattern_parse(word, &pp, err, errlen);
}

/* Characters a ...To host may contain: names, globs, v4/v6 text, CIDR. */
static bool
pattern_host_chars_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) &&
		    strchr("-._*?:/", s[i]) == NULL) {
			return false;
		}
	}
	return true;
}

int
to_pattern_parse(const char *word, struct to_pattern *tp, char *err,
    size_t errlen)
{
	const char *colon, *h;
	size_t hlen;
	int r;

	if (word == NULL || tp == NULL || *word == '\0') {
		return pattern_err(err, errlen, "empty forwarding destination");
	}
	memset(tp, 0, sizeof(*tp));
	if ((colon = strrchr(word, ':')) == NULL) {
		return pattern_err(err, errlen, "\"%s\": missing \":PORT\" "
		    "(want HOST:PORTPATTERN)", word);
	}
	h = word;
	hlen = (size_t)(colon - word);
	if (word[0] == '[') {
		/* "[v6 or v6/len]:pp" */
		if (hlen < 3 || word[hlen - 1] != ']') {
			return pattern_err(err, errlen, "\"%s\": bad "
			    "[address]:port form", word);
		}
		h = word + 1;
		hlen -= 2;
	}
	if (hlen == 0) {
		return pattern_err(err, errlen, "\"%s\": empty host", word);
	}
	if (hlen >= sizeof(tp->host)) {
		return pattern_err(err, errlen, "\"%s\": host too long", word);
	}
	if (!pattern_host_chars_ok(h, hlen)) {
		return pattern_err(err, errlen, "\"%s\": bad character in "
		    "host", word);
	}
	memcpy(tp->host, h, hlen);
	tp->host[hlen] = '\0';
	r = addr_parse_cidr(tp->host, &tp->net, &tp->masklen);
	if (r == 0) {
		tp->cidr = true;
	} else if (r == PC_ERR_RANGE || strchr(tp->host, '/') != NULL) {
		return pattern_err(err, errlen, "\"%s\": bad address block "
		    "\"%s\" (mask out of range or host bits set)", word,
		    tp->host);
	} else if (word[0] == '[') {
		return pattern_err(err, errlen, "\"%s\": \"%s\" is not an "
		    "IPv6 address", word, tp->host);
	}
	return port_pattern_parse(colon + 1, &tp->port, err, errlen);
}

int
pattern_to_validate(const char *word, char *err, size_t errlen)
{
	struct to_pattern tp;

	return to_pattern_parse(word, &tp, err, errlen);
}

bool
to_pattern_match_addr(const struct to_pattern *tp, const struct pc_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (tp->cidr) {
		return addr_in_cidr(a, &tp->net, tp->masklen) == 1;
	}
	if (addr_ntop(a, buf, sizeof(buf)) == NULL) {
		return false;
	}
	return match_hostname(buf, tp->host) == 1;
}

bool
to_pattern_match_name(const struct to_pattern *tp, const char *host)
{
	struct pc_addr a;

	if (host == NULL) {
		return false;
	}
	if (tp->cidr) {
		return addr_parse(host, &a) == 0 && to_pattern_match_addr(tp,
		    &a);
	}
	/* the host text holds no ',' or '!', so this is one glob */
	return match_hostname(host, tp->host) == 1;
}

/* Port of a permission entry: '*' (stored as 0) or 1..65535 / service
 * (OpenSSH permitopen_port: port 0 is an error). */
static int
permit_port(const char *s, int *port, const char *word, char *err,
    size_t errlen)
{
	int r;

	if (strcmp(s, "*") == 0) {
		*port = 0;
		return 0;
	}
	r = port_parse(s, port, true);
	if (r != 0 || *port == 0) {
		return pattern_err(err, errlen, "\"%s\": bad port \"%s\" "
		    "(want 1-65535, a service name or '*')", word, s);
	}
	return 0;
}

int
permit_entry_parse(const char *word, enum permit_kind kind,
    struct permit_entry *e, char *err, size_t errlen)
{
	char port[32];
	bool had_host = false;
	bool listen = kind == PERMIT_LISTEN || kind == PERMIT_KEY_LISTEN;
	int r;

	if (word == NULL || e == NULL || *word == '\0') {
		return pattern_err(err, errlen, "empty permission entry");
	}
	memset(e, 0, sizeof(*e));
	if (listen && strchr(word, ':') == NULL) {
		/* bare port: any listen host (A.5) */
		e->host[0] = '*';
		e->host[1] = '\0';
		return permit_port(word, &e->port, word, err, errlen);
	}
	r = hostport_split(word, e->host, sizeof(e->host), port, sizeof(port),
	    kind == PERMIT_KEY_OPEN, &had_host);
	if (r == PC_ERR_TOOLONG) {
		return pattern_err(err, errlen, "\"%s\": too long", word);
	}
	if (r != 0 || !had_host) {
		return pattern_err(err, errlen, "\"%s\": want %s", word,
		    listen ? "[HOST:]PORT" : "HOST:PORT");
	}
	return permit_port(port, &e->port, word, err, errlen);
}

int
pattern_permitopen_validate(const char *word, char *err, size_t errlen)
{
	struct permit_entry e;

	if (word != NULL && (strcmp(word, "any") == 0 ||
	    strcmp(word, "none") == 0)) {
		return 0;
	}
	return permit_entry_parse(word, PERMIT_OPEN, &e, err, errlen);
}

int
pattern_permitlisten_validate(const char *word, char *err, size_t errlen)
{
	struct permit_entry e;

	if (word != NULL && (strcmp(word, "any") == 0 ||
	    strcmp(word, "none") == 0)) {
		return 0;
	}
	return permit_entry_parse(word, PERMIT_LISTEN, &e, err, errlen);
}

bool
permit_entry_match_open(const struct permit_entry *e, const char *host,
    long port)
{
	if (e->port != 0 && e->port != port) {
		return false;
	}
	return strcmp(e->host, "*") == 0 || strcmp(e->host, host) == 0;
}

bool
permit_entry_match_listen(const struct permit_entry *e,
    const char *lowered_host, long port)
{
	if (e->port != 0 && e->port != port) {
		return false;
	}
	return match_pattern(lowered_host, e->host) == 1;
}

/* Check each comma-separated piece of a user or group entry. */
static int
pattern_list_validate(const char *word, bool user, char *err, size_t errlen)
{
	char piece[512];
	const char *p, *end, *at;
	size_t n;

	if (word == NULL || *word == '\0') {
		return pattern_err(err, errlen, "empty %s pattern",
		    user ? "user" : "group");
	}
	for (p = word;; p = end + 1) {
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		if (n == 0) {
			return pattern_err(err, errlen, "\"%s\": empty entry",
			    word);
		}
		if (n >= sizeof(piece)) {
			return pattern_err(err, errlen, "\"%s\": entry too long",
			    word);
		}
		memcpy(piece, p, n);
		piece[n] = '\0';
		if (piece[0] == '!') {
			return pattern_err(err, errlen, "\"%s\": '!' negation "
			    "is not supported here", word);
		}
		if (user && (at = strrchr(piece, '@')) != NULL) {
			if (at == piece || at[1] == '\0') {
				return pattern_err(err, errlen, "\"%s\": want "
				    "USER or USER@HOST", piece);
			}
			if (match_user(NULL, NULL, NULL, piece) == -1) {
				return pattern_err(err, errlen, "\"%s\": bad "
				    "address block in HOST", piece);
			}
		}
		if (*end == '\0') {
			break;
		}
	}
	return 0;
}

int
pattern_user_validate(const char *word, char *err, size_t errlen)
{
	return pattern_list_validate(word, true, err, errlen);
}

int
pattern_group_validate(const char *word, char *err, size_t errlen)
{
	return pattern_list_validate(word, false, err, errlen);
}

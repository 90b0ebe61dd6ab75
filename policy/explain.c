/*
 * Presenting decisions (-X output, the INFO line, OpenSSH's A.11 lines)
 * and parsing the -X spec.  Host and user strings can come from the
 * network, so everything that reaches a log line is escaped here.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/xmalloc.h"
#include "policy/explain.h"
#include "policy/policy.h"
#include "policy/policy_int.h"

/* Bounded appender: never overflows, remembers that it had to cut. */
struct explain_buf {
	char *p;
	size_t len, used;
	bool cut;
};

static void
explain_buf_init(struct explain_buf *b, char *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->used = 0;
	b->cut = false;
	p[0] = '\0';
}

static void
explain_buf_fmt(struct explain_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
explain_buf_fmt(struct explain_buf *b, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (b->used + 1 >= b->len) {
		b->cut = true;
		return;
	}
	va_start(ap, fmt);
	w = vsnprintf(b->p + b->used, b->len - b->used, fmt, ap);
	va_end(ap);
	if (w < 0) {
		b->cut = true;
		return;
	}
	if ((size_t)w >= b->len - b->used) {
		b->used = b->len - 1;
		b->cut = true;
		return;
	}
	b->used += (size_t)w;
}

/* Untrusted text: '"' and '\' escaped when quoted, other non-printable
 * bytes (and every byte >= 0x80) as \xHH. */
static void
explain_buf_str(struct explain_buf *b, const char *s, bool quoted)
{
	unsigned char c;

	if (s == NULL) {
		s = "";
	}
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (quoted && (c == '"' || c == '\\')) {
			explain_buf_fmt(b, "\\%c", c);
		} else if (c < 0x20 || c >= 0x7f) {
			explain_buf_fmt(b, "\\x%02x", c);
		} else if (b->used + 1 < b->len) {
			/* plain byte: no vsnprintf per character (this runs
			 * for every forward open's log line) */
			b->p[b->used++] = (char)c;
			b->p[b->used] = '\0';
		} else {
			b->cut = true;
		}
		if (b->cut) {
			return;
		}
	}
}

/* " (FILE:LINE)", " (FILE)" for line 0 (PC_RULE_BUILTIN), nothing
 * without a file (a default). */
static void
explain_buf_src(struct explain_buf *b, const char *file, int line)
{
	if (file == NULL) {
		return;
	}
	explain_buf_fmt(b, " (");
	explain_buf_str(b, file, false);
	if (line > 0) {
		explain_buf_fmt(b, ":%d", line);
	}
	explain_buf_fmt(b, ")");
}

void
policy_explain_print(FILE *f, const struct pc_decision *d)
{
	const struct pc_layer *l;
	struct explain_buf b;
	char line[1024];
	size_t i;

	fprintf(f, "%s\n", d != NULL && d->allow ? "allow" : "deny");
	if (d == NULL) {
		return;
	}
	for (i = 0; i < d->nlayers && i < PC_MAX_LAYERS; i++) {
		l = &d->layers[i];
		explain_buf_init(&b, line, sizeof(line));
		explain_buf_str(&b, l->name, false);
		explain_buf_fmt(&b, " %s ", l->pass ? "pass" : "fail");
		explain_buf_str(&b, l->rule, false);
		explain_buf_src(&b, l->file, l->line);
		fprintf(f, "%s\n", line);
	}
}

/* The port to report: for a listen on port 0, the allocated one once
 * known. */
static long
explain_port(const struct pc_request *r)
{
	if (r->kind == PC_LISTEN && r->port == 0 && r->allocated_port > 0) {
		return r->allocated_port;
	}
	return r->port;
}

int
policy_format_log(char *buf, size_t len, const char *user,
    const char *client_addr, int client_port, const struct pc_request *r,
    const struct pc_decision *d)
{
	struct explain_buf b;
	bool open;

	if (buf == NULL || len == 0) {
		return PC_ERR_INVAL;
	}
	buf[0] = '\0';
	if (r == NULL || d == NULL) {
		return PC_ERR_INVAL;
	}
	open = r->kind == PC_OPEN;
	explain_buf_init(&b, buf, len);
	explain_buf_fmt(&b, "forward %s %s: user=", open ? "open" : "listen",
	    d->allow ? "allowed" : "denied");
	explain_buf_str(&b, user, false);
	explain_buf_fmt(&b, " from=");
	explain_buf_str(&b, client_addr, false);
	explain_buf_fmt(&b, " port=%d %s=", client_port, open ? "to" : "listen");
	explain_buf_str(&b, r->host, false);
	explain_buf_fmt(&b, ":%ld rule=\"", explain_port(r));
	explain_buf_str(&b, d->rule, true);
	explain_buf_fmt(&b, "\"");
	explain_buf_src(&b, d->file, d->line);
	return b.cut ? PC_ERR_TOOLONG : 0;
}

int
policy_explain_openssh(char *buf, size_t len, const char *client_addr,
    int client_port, const char *orig_addr, int orig_port,
    const struct pc_request *r, const struct pc_decision *d)
{
	struct explain_buf b;

	if (buf == NULL || len == 0) {
		return PC_ERR_INVAL;
	}
	buf[0] = '\0';
	if (r == NULL || d == NULL) {
		return PC_ERR_INVAL;
	}
	if (d->allow || d->openssh_denial == 0) {
		return PC_ERR_NOTFOUND;
	}
	explain_buf_init(&b, buf, len);
	if (d->openssh_denial == 1) {
		explain_buf_fmt(&b, "refused local port forward: originator ");
		explain_buf_str(&b, orig_addr, false);
		explain_buf_fmt(&b, " port %d, target ", orig_port);
		explain_buf_str(&b, r->host, false);
		explain_buf_fmt(&b, " port %ld", r->port);
	} else {
		explain_buf_fmt(&b, "Received request from ");
		explain_buf_str(&b, client_addr, false);
		explain_buf_fmt(&b, " port %d to %s host ", client_port,
		    r->kind == PC_OPEN ? "connect to" : "remote forward to");
		explain_buf_str(&b, r->host, false);
		explain_buf_fmt(&b, " port %ld, but the request was denied.",
		    r->port);
	}
	return b.cut ? PC_ERR_TOOLONG : 0;
}

/* ---- -X spec ---------------------------------------------------------- */

#define SPEC_MAX 4096		/* longer specs are refused */
#define SPEC_MAX_GROUPS 64

/* Decimal up to 4294967295 (a uint32 on the wire), or a service name. */
static int
spec_port(const char *s, long *port)
{
	unsigned long long v = 0;
	const char *p;
	int sv;

	if (*s == '\0') {
		return PC_ERR_INVAL;
	}
	if (!isdigit((unsigned char)*s)) {
		if (port_parse(s, &sv, true) != 0) {
			return PC_ERR_INVAL;
		}
		*port = sv;
		return 0;
	}
	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p)) {
			return PC_ERR_INVAL;
		}
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > 4294967295ULL) {
			return PC_ERR_RANGE;
		}
	}
	*port = (long)v;
	return 0;
}

/* "[v6]:PORT", "HOST:PORT" (port after the last ':'), or a bare "PORT"
 * when bare_host is not NULL (then host = bare_host). */
static int
spec_hostport(const char *v, const char *bare_host, char **host, long *port)
{
	const char *colon, *close;

	if (*v == '[') {
		if ((close = strchr(v, ']')) == NULL || close[1] != ':') {
			return PC_ERR_INVAL;
		}
		colon = close + 1;
		*host = xstrndup(v + 1, (size_t)(close - v - 1));
	} else if ((colon = strrchr(v, ':')) != NULL) {
		*host = xstrndup(v, (size_t)(colon - v));
	} else if (bare_host != NULL) {
		*host = xstrdup(bare_host);
		return spec_port(v, port);
	} else {
		return PC_ERR_INVAL;
	}
	return spec_port(colon + 1, port);
}

static int
spec_once(char **dst, const char *v, const char *k, char *err, size_t errlen)
{
	if (*dst != NULL) {
		return pattern_err(err, errlen, "-X: %s= given twice", k);
	}
	if (*v == '\0') {
		return pattern_err(err, errlen, "-X: empty %s=", k);
	}
	*dst = xstrdup(v);
	return 0;
}

static int
spec_item(struct explain_spec *s, const char *k, const char *v, bool *have_req,
    char *err, size_t errlen)
{
	struct pc_addr a;
	const char *colon;
	char *end;
	long line;
	int port;

	if (strcmp(k, "user") == 0) {
		return spec_once(&s->user, v, k, err, errlen);
	}
	if (strcmp(k, "addr") == 0) {
		if (addr_parse(v, &a) != 0) {
			return pattern_err(err, errlen, "-X: addr=%s is not a "
			    "numeric address", v);
		}
		return spec_once(&s->addr, v, k, err, errlen);
	}
	if (strcmp(k, "laddr") == 0) {
		if (addr_parse(v, &a) != 0) {
			return pattern_err(err, errlen, "-X: laddr=%s is not a "
			    "numeric address", v);
		}
		return spec_once(&s->laddr, v, k, err, errlen);
	}
	if (strcmp(k, "lport") == 0) {
		if (s->lport != 0) {
			return pattern_err(err, errlen, "-X: lport= given "
			    "twice");
		}
		if (port_parse(v, &port, true) != 0 || port < 1) {
			return pattern_err(err, errlen, "-X: bad lport=%s "
			    "(want 1-65535 or a service name)", v);
		}
		s->lport = port;
		return 0;
	}
	if (strcmp(k, "group") == 0) {
		if (*v == '\0' || s->ngroups >= SPEC_MAX_GROUPS) {
			return pattern_err(err, errlen, "-X: empty group= or more "
			    "than %d groups", SPEC_MAX_GROUPS);
		}
		s->groups = xreallocarray(s->groups, s->ngroups + 2,
		    sizeof(*s->groups));
		s->groups[s->ngroups++] = xstrdup(v);
		s->groups[s->ngroups] = NULL;
		s->have_groups = true;
		return 0;
	}
	if (strcmp(k, "key") == 0) {
		if (s->have_key || (colon = strrchr(v, ':')) == NULL ||
		    colon == v) {
			return pattern_err(err, errlen, "-X: want key=FILE:LINE "
			    "(once)");
		}
		line = strtol(colon + 1, &end, 10);
		if (!isdigit((unsigned char)colon[1]) || *end != '\0' ||
		    line < 1 || line > 10000000) {
			return pattern_err(err, errlen, "-X: bad line in key=%s",
			    v);
		}
		s->key_file = xstrndup(v, (size_t)(colon - v));
		s->key_line = (int)line;
		s->have_key = true;
		return 0;
	}
	if (strcmp(k, "open") == 0 || strcmp(k, "listen") == 0) {
		if (*have_req) {
			return pattern_err(err, errlen, "-X: give one open= or "
			    "listen=");
		}
		*have_req = true;
		s->kind = strcmp(k, "open") == 0 ? PC_OPEN : PC_LISTEN;
		if (spec_hostport(v, s->kind == PC_LISTEN ? "localhost" : NULL,
		    &s->host, &s->port) != 0 ||
		    (s->kind == PC_OPEN && *s->host == '\0')) {
			return pattern_err(err, errlen, "-X: bad %s=%s (want %s)",
			    k, v, s->kind == PC_OPEN ? "HOST:PORT" :
			    "[ADDR:]PORT");
		}
		return 0;
	}
	return pattern_err(err, errlen, "-X: unknown item \"%s\"", k);
}

int
policy_explain_spec_parse(const char *spec, struct explain_spec *out,
    char *err, size_t errlen)
{
	char *copy = NULL, *item, *save = NULL, *eq;
	bool have_req = false;
	int r = 0;

	if (out == NULL) {
		return PC_ERR_INVAL;
	}
	memset(out, 0, sizeof(*out));
	if (spec == NULL || strlen(spec) > SPEC_MAX) {
		return pattern_err(err, errlen, "-X: missing or too long spec");
	}
	copy = xstrdup(spec);
	/* strtok_r would skip empty items; an empty item is an error */
	for (item = copy; item != NULL; item = save) {
		if ((save = strchr(item, ',')) != NULL) {
			*save++ = '\0';
		}
		if ((eq = strchr(item, '=')) == NULL) {
			r = pattern_err(err, errlen, "-X: \"%s\" is not KEY=VALUE",
			    item);
			goto out;
		}
		*eq = '\0';
		if ((r = spec_item(out, item, eq + 1, &have_req, err,
		    errlen)) != 0) {
			goto out;
		}
	}
	if (out->user == NULL || out->addr == NULL || !have_req) {
		r = pattern_err(err, errlen, "-X: user=, addr= and one of open= "
		    "or listen= are required");
		goto out;
	}
out:
	free(copy);
	if (r != 0) {
		policy_explain_spec_free(out);
	}
	return r;
}

void
policy_explain_spec_free(struct explain_spec *s)
{
	size_t i;

	if (s == NULL) {
		return;
	}
	free(s->user);
	free(s->addr);
	free(s->laddr);
	for (i = 0; i < s->ngroups; i++) {
		free(s->groups[i]);
	}
	free(s->groups);
	free(s->key_file);
	free(s->host);
	memset(s, 0, sizeof(*s));
}

void
policy_explain_spec_request(const struct explain_spec *s,
    struct pc_request *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = s->kind;
	r->host = s->host;
	r->port = s->port;
}

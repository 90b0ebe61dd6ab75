#include "config.h"

/*
 * authorized_keys lines, OpenSSH format (sshd(8) AUTHORIZED_KEYS FILE
 * FORMAT; behaviour of OpenSSH 9.2's auth-options.c and auth2-pubkey.c):
 *
 *   [options] keytype base64 [comment]
 *
 * Options are evaluated left to right; a malformed or unknown option makes
 * the whole line an error so the caller skips it (a line is never used
 * with fewer restrictions than written).  Everything here is bounded:
 * lines longer than AUTHKEYS_MAX_LINE and lists longer than
 * AUTHKEYS_MAX_LIST are refused.
 */

#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/authkeys.h"
#include "common/err.h"
#include "common/xmalloc.h"

#define AUTHKEYS_MAX_HOST 1025	/* NI_MAXHOST, as OpenSSH's check */

/* Key types we recognise in the type field.  Certificates are out of
 * scope: their names are known so the error says so. */
static const char *const authkeys_types[] = {
	"ssh-ed25519",
	"ssh-rsa",
	"ssh-dss",
	"ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
	"sk-ecdsa-sha2-nistp256@openssh.com",
	"sk-ssh-ed25519@openssh.com",
	NULL
};

static void
authkeys_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
authkeys_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
authkeys_opts_init(struct key_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port_forwarding = true;
	o->agent_forwarding = true;
	o->x11_forwarding = true;
	o->pty = true;
	o->user_rc = true;
}

static void
authkeys_list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i]);
	}
	free(v);
}

void
authkeys_opts_free(struct key_opts *o)
{
	free(o->command);
	free(o->from);
	authkeys_list_free(o->permitopen, o->npermitopen);
	authkeys_list_free(o->permitlisten, o->npermitlisten);
	authkeys_list_free(o->environment, o->nenvironment);
	free(o->file);
	authkeys_opts_init(o);
}

static char **
authkeys_list_copy(char *const *v, size_t n)
{
	char **r;
	size_t i;

	if (n == 0) {
		return NULL;
	}
	r = xreallocarray(NULL, n, sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i] = xstrdup(v[i]);
	}
	return r;
}

void
authkeys_opts_copy(struct key_opts *dst, const struct key_opts *src)
{
	*dst = *src;
	dst->command = src->command ? xstrdup(src->command) : NULL;
	dst->from = src->from ? xstrdup(src->from) : NULL;
	dst->file = src->file ? xstrdup(src->file) : NULL;
	dst->permitopen = authkeys_list_copy(src->permitopen,
	    src->npermitopen);
	dst->permitlisten = authkeys_list_copy(src->permitlisten,
	    src->npermitlisten);
	dst->environment = authkeys_list_copy(src->environment,
	    src->nenvironment);
}

/*
 * Name of the option at *sp, case-insensitive.  A flag matches when the
 * name is followed by ',' or the end of the options; a valued option when
 * it is followed by '='.  Advances *sp past the name (and the '=').
 */
static bool
authkeys_match_flag(const char **sp, const char *name)
{
	size_t n = strlen(name);
	char next;

	if (strncasecmp(*sp, name, n) != 0) {
		return false;
	}
	next = (*sp)[n];
	if (next != ',' && next != '\0' && next != ' ' && next != '\t') {
		return false;
	}
	*sp += n;
	return true;
}

static bool
authkeys_match_value(const char **sp, const char *name)
{
	size_t n = strlen(name);

	if (strncasecmp(*sp, name, n) != 0 || (*sp)[n] != '=') {
		return false;
	}
	*sp += n + 1;
	return true;
}

/*
 * Quoted value at *sp: '"' ... '"', where \" stands for a quote and every
 * other byte (backslashes included) is literal, as OpenSSH's opt_dequote.
 */
static int
authkeys_dequote(const char **sp, char **out, char *err, size_t errlen)
{
	const char *s = *sp;
	char *v;
	size_t i = 0;

	*out = NULL;
	if (*s != '"') {
		authkeys_err(err, errlen, "missing start quote");
		return PC_ERR_INVAL;
	}
	s++;
	v = xmalloc(strlen(s) + 1);
	while (*s != '\0' && *s != '"') {
		if (s[0] == '\\' && s[1] == '"') {
			s++;
		}
		v[i++] = *s++;
	}
	if (*s == '\0') {
		free(v);
		authkeys_err(err, errlen, "missing end quote");
		return PC_ERR_INVAL;
	}
	v[i] = '\0';
	*sp = s + 1;
	*out = v;
	return 0;
}

/* OpenSSH a2port(): 1..65535 or a tcp service name. */
static bool
authkeys_port_ok(const char *p)
{
	char *end;
	long v;

	if (*p == '\0') {
		return false;
	}
	if (isdigit((unsigned char)*p)) {
		v = strtol(p, &end, 10);
		if (*end != '\0') {
			return false;
		}
		return v >= 1 && v <= 65535;
	}
	return getservbyname(p, "tcp") != NULL;
}

/*
 * "host:port", "[v6]:port" or "host/port" (OpenSSH hpdelim2): host is the
 * text before the first ':' or '/', or a bracketed part.  is_listen:
 * permitlisten, where a bare port means any host and '/' is refused (OpenSSH
 * 9.2 accepts it there but later aborts the session; POLICY.md A.6).
 */
static int
authkeys_check_permit(const char *v, bool is_listen, char *err, size_t errlen)
{
	const char *p, *port;
	size_t hostlen;

	if (is_listen && strchr(v, ':') == NULL) {
		if (strchr(v, '/') != NULL) {
			authkeys_err(err, errlen, "invalid permitlisten "
			    "\"%.100s\": use [host:]port", v);
			return PC_ERR_INVAL;
		}
		port = v;
		goto check_port;
	}
	if (*v == '\0') {
		goto bad_host;
	}
	if (*v == '[') {
		if ((p = strchr(v, ']')) == NULL) {
			goto bad_host;
		}
		p++;
	} else {
		p = v + strcspn(v, ":/");
	}
	if (*p == '\0') {
		authkeys_err(err, errlen, "missing port in \"%.100s\"", v);
		return PC_ERR_INVAL;
	}
	if (*p != ':' && *p != '/') {
		goto bad_host;
	}
	if (*p == '/' && is_listen) {
		authkeys_err(err, errlen, "invalid permitlisten \"%.100s\": "
		    "use [host:]port", v);
		return PC_ERR_INVAL;
	}
	hostlen = (size_t)(p - v);
	if (hostlen >= AUTHKEYS_MAX_HOST) {
		goto bad_host;
	}
	port = p + 1;
check_port:
	if (strcmp(port, "*") != 0 && !authkeys_port_ok(port)) {
		authkeys_err(err, errlen, "invalid port in \"%.100s\"", v);
		return PC_ERR_INVAL;
	}
	return 0;
bad_host:
	authkeys_err(err, errlen, "invalid host in \"%.100s\"", v);
	return PC_ERR_INVAL;
}

static int
authkeys_digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i])) {
			return PC_ERR_INVAL;
		}
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * expiry-time: YYYYMMDD[HHMM[SS]] in local time, or UTC with a trailing
 * 'Z' or "UTC" (OpenSSH parse_absolute_time).  Fields are range-checked
 * here rather than trusting strptime/mktime to reject nonsense.
 */
static int
authkeys_parse_time(const char *s, time_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	struct tm tm;
	size_t l = strlen(s);
	bool utc = false;
	int y, mo, d, h = 0, mi = 0, se = 0;
	time_t t;

	if (l > 1 && strcasecmp(s + l - 1, "Z") == 0) {
		utc = true;
		l--;
	} else if (l > 3 && strcasecmp(s + l - 3, "UTC") == 0) {
		utc = true;
		l -= 3;
	}
	if (l != 8 && l != 12 && l != 14) {
		return PC_ERR_INVAL;
	}
	if (authkeys_digits(s, 4, &y) != 0 ||
	    authkeys_digits(s + 4, 2, &mo) != 0 ||
	    authkeys_digits(s + 6, 2, &d) != 0) {
		return PC_ERR_INVAL;
	}
	if (l >= 12 && (authkeys_digits(s + 8, 2, &h) != 0 ||
	    authkeys_digits(s + 10, 2, &mi) != 0)) {
		return PC_ERR_INVAL;
	}
	if (l == 14 && authkeys_digits(s + 12, 2, &se) != 0) {
		return PC_ERR_INVAL;
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || se > 60) {
		return PC_ERR_INVAL;
	}
	if (mo == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		return PC_ERR_INVAL;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	tm.tm_isdst = -1;
	t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1 || t <= 0) {
		return PC_ERR_INVAL;
	}
	*out = t;
	return 0;
}

/* environment="NAME=value": NAME is [A-Za-z0-9_]+ (OpenSSH). */
static bool
authkeys_env_ok(const char *v)
{
	size_t i;

	for (i = 0; isalnum((unsigned char)v[i]) || v[i] == '_'; i++) {
		;
	}
	return i > 0 && v[i] == '=';
}

static int
authkeys_list_add(char ***v, size_t *n, char *s, const char *what,
    char *err, size_t errlen)
{
	if (*n >= AUTHKEYS_MAX_LIST) {
		authkeys_err(err, errlen, "too many %s options (max %d)", what,
		    AUTHKEYS_MAX_LIST);
		free(s);
		return PC_ERR_LIMIT;
	}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
	return 0;
}

/* Capability flags: NAME sets, no-NAME clears (x11 is spelled "X11" in
 * the manual; names are case-insensitive anyway). */
static bool
authkeys_flag(const char **sp, struct key_opts *o)
{
	static const struct {
		const char *name;
		size_t off;
	} flags[] = {
		{ "port-forwarding", offsetof(struct key_opts, port_forwarding) },
		{ "agent-forwarding", offsetof(struct key_opts, agent_forwarding) },
		{ "x11-forwarding", offsetof(struct key_opts, x11_forwarding) },
		{ "pty", offsetof(struct key_opts, pty) },
		{ "user-rc", offsetof(struct key_opts, user_rc) },
	};
	const char *s = *sp;
	bool val = true;
	size_t i;

	if (strncasecmp(s, "no-", 3) == 0) {
		val = false;
		s += 3;
	}
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (authkeys_match_flag(&s, flags[i].name)) {
			*(bool *)((char *)o + flags[i].off) = val;
			*sp = s;
			return true;
		}
	}
	return false;
}

static void
authkeys_restrict(struct key_opts *o)
{
	o->restricted = true;
	o->port_forwarding = false;
	o->agent_forwarding = false;
	o->x11_forwarding = false;
	o->pty = false;
	o->user_rc = false;
}

/* One valued option (name already consumed into which). */
static int
authkeys_valued(const char **sp, const char *which, struct key_opts *o,
    char *err, size_t errlen)
{
	char *v = NULL;
	time_t t;
	int r;

	if ((r = authkeys_dequote(sp, &v, err, errlen)) != 0) {
		return r;
	}
	if (strcmp(which, "command") == 0) {
		if (o->command != NULL) {
			authkeys_err(err, errlen, "multiple \"command\" "
			    "clauses");
			goto bad;
		}
		o->command = v;
		return 0;
	}
	if (strcmp(which, "from") == 0) {
		if (o->from != NULL) {
			authkeys_err(err, errlen, "multiple \"from\" clauses");
			goto bad;
		}
		if (*v == '\0') {
			authkeys_err(err, errlen, "empty \"from\" list");
			goto bad;
		}
		o->from = v;
		return 0;
	}
	if (strcmp(which, "expiry-time") == 0) {
		if (authkeys_parse_time(v, &t) != 0) {
			authkeys_err(err, errlen, "invalid expiry-time "
			    "\"%.40s\"", v);
			goto bad;
		}
		/* Several: the earliest wins (OpenSSH). */
		if (o->expiry == 0 || t < o->expiry) {
			o->expiry = t;
		}
		free(v);
		return 0;
	}
	if (strcmp(which, "environment") == 0) {
		size_t i, nl;

		if (!authkeys_env_ok(v)) {
			authkeys_err(err, errlen, "invalid environment "
			    "string \"%.100s\"", v);
			goto bad;
		}
		/* The first value of a name wins (OpenSSH 8.7+). */
		nl = (size_t)(strchr(v, '=') - v);
		for (i = 0; i < o->nenvironment; i++) {
			if (strncmp(o->environment[i], v, nl + 1) == 0) {
				free(v);
				return 0;
			}
		}
		return authkeys_list_add(&o->environment, &o->nenvironment,
		    v, "environment", err, errlen);
	}
	if (strcmp(which, "permitopen") == 0 ||
	    strcmp(which, "permitlisten") == 0) {
		bool listen = strcmp(which, "permitlisten") == 0;

		if ((r = authkeys_check_permit(v, listen, err, errlen)) != 0) {
			free(v);
			return r;
		}
		if (listen) {
			return authkeys_list_add(&o->permitlisten,
			    &o->npermitlisten, v, which, err, errlen);
		}
		return authkeys_list_add(&o->permitopen, &o->npermitopen, v,
		    which, err, errlen);
	}
	if (strcmp(which, "tunnel") == 0) {
		char *end;
		long n;

		/* Accepted for compatibility; tun forwarding is never
		 * offered, so it can only restrict what is already off. */
		if (strcasecmp(v, "any") != 0) {
			n = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || n < 0 ||
			    n > 0x7fffffffL) {
				authkeys_err(err, errlen, "invalid tun device");
				goto bad;
			}
		}
		free(v);
		return 0;
	}
	/* principals= only means something for certificates */
	authkeys_err(err, errlen, "\"%s\" is for certificates, which are "
	    "not supported", which);
bad:
	free(v);
	return PC_ERR_INVAL;
}

int
authkeys_parse_options(const char *s, struct key_opts *opts,
    char *err, size_t errlen)
{
	static const char *const valued[] = {
		"command", "from", "expiry-time", "environment",
		"permitopen", "permitlisten", "tunnel", "principals", NULL
	};
	size_t i;
	int r;

	authkeys_opts_init(opts);
	if (strlen(s) >= AUTHKEYS_MAX_LINE) {
		authkeys_err(err, errlen, "options too long");
		return PC_ERR_TOOLONG;
	}
	while (*s != '\0' && *s != ' ' && *s != '\t') {
		if (authkeys_match_flag(&s, "restrict")) {
			authkeys_restrict(opts);
		} else if (authkeys_match_flag(&s, "cert-authority")) {
			authkeys_err(err, errlen, "cert-authority lines are "
			    "not supported (certificates are out of scope)");
			r = PC_ERR_INVAL;
			goto fail;
		} else if (authkeys_match_flag(&s, "no-touch-required")) {
			opts->no_touch_required = true;
		} else if (authkeys_match_flag(&s, "verify-required")) {
			opts->verify_required = true;
		} else if (authkeys_flag(&s, opts)) {
			/* done */
		} else {
			for (i = 0; valued[i] != NULL; i++) {
				if (authkeys_match_value(&s, valued[i])) {
					break;
				}
			}
			if (valued[i] == NULL) {
				authkeys_err(err, errlen, "unknown key option "
				    "\"%.40s\"", s);
				r = PC_ERR_INVAL;
				goto fail;
			}
			if ((r = authkeys_valued(&s, valued[i], opts, err,
			    errlen)) != 0) {
				goto fail;
			}
		}
		if (*s == '\0' || *s == ' ' || *s == '\t') {
			break;
		}
		if (*s != ',') {
			authkeys_err(err, errlen, "unknown key option "
			    "\"%.40s\"", s);
			r = PC_ERR_INVAL;
			goto fail;
		}
		s++;
		if (*s == '\0' || *s == ' ' || *s == '\t') {
			authkeys_err(err, errlen, "unexpected end of options");
			r = PC_ERR_INVAL;
			goto fail;
		}
	}
	return 0;
fail:
	authkeys_opts_free(opts);
	return r;
}

static bool
authkeys_is_type(const char *s, size_t n)
{
	size_t i;

	for (i = 0; authkeys_types[i] != NULL; i++) {
		if (strlen(authkeys_types[i]) == n &&
		    strncmp(s, authkeys_types[i], n) == 0) {
			return true;
		}
	}
	return false;
}

static bool
authkeys_is_cert_type(const char *s, size_t n)
{
	static const char suffix[] = "-cert-v01@openssh.com";
	size_t sl = sizeof(suffix) - 1;

	return n > sl && strncmp(s + n - sl, suffix, sl) == 0;
}

/* End of an options string: the first unquoted space or tab (OpenSSH
 * sshkey_advance_past_options).  NULL if a quote is left open. */
static char *
authkeys_skip_options(char *s)
{
	bool quoted = false;

	for (; *s != '\0' && (quoted || (*s != ' ' && *s != '\t')); s++) {
		if (s[0] == '\\' && s[1] == '"') {
			s++;
		} else if (*s == '"') {
			quoted = !quoted;
		}
	}
	return quoted ? NULL : s;
}

static bool
authkeys_b64_ok(const char *s, size_t n)
{
	size_t i, pad = 0;

	if (n == 0) {
		return false;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '=') {
			pad++;
		} else if (pad > 0 || !(isalnum((unsigned char)s[i]) ||
		    s[i] == '+' || s[i] == '/')) {
			return false;
		}
	}
	return pad <= 2;
}

int
authkeys_parse_line(const char *line, struct key_opts *opts,
    char **buf, const char **keytype, const char **keyb64,
    char *err, size_t errlen)
{
	char *copy = NULL, *s, *opt_end, *t, *b;
	size_t len, tl, bl;
	int r;

	authkeys_opts_init(opts);
	*buf = NULL;
	*keytype = NULL;
	*keyb64 = NULL;
	if (err != NULL && errlen > 0) {
		err[0] = '\0';
	}
	len = strnlen(line, AUTHKEYS_MAX_LINE + 1);
	if (len > AUTHKEYS_MAX_LINE) {
		authkeys_err(err, errlen, "line longer than %d bytes",
		    AUTHKEYS_MAX_LINE);
		return PC_ERR_TOOLONG;
	}
	copy = xstrndup(line, len);
	/* trailing newline / CR / blanks */
	while (len > 0 && (copy[len - 1] == '\n' || copy[len - 1] == '\r' ||
	    copy[len - 1] == ' ' || copy[len - 1] == '\t')) {
		copy[--len] = '\0';
	}
	s = copy + strspn(copy, " \t");
	if (*s == '\0' || *s == '#') {
		r = PC_ERR_NOTFOUND;
		goto out;
	}
	/* A line starts with options unless its first word is a key type. */
	tl = strcspn(s, " \t");
	if (!authkeys_is_type(s, tl) && !authkeys_is_cert_type(s, tl)) {
		if ((opt_end = authkeys_skip_options(s)) == NULL) {
			authkeys_err(err, errlen, "invalid key option string "
			    "(unbalanced quotes)");
			r = PC_ERR_INVAL;
			goto out;
		}
		if (*opt_end == '\0') {
			authkeys_err(err, errlen, "no key found");
			r = PC_ERR_INVAL;
			goto out;
		}
		*opt_end = '\0';
		if ((r = authkeys_parse_options(s, opts, err, errlen)) != 0) {
			goto out;
		}
		s = opt_end + 1;
		s += strspn(s, " \t");
		tl = strcspn(s, " \t");
	}
	t = s;
	if (authkeys_is_cert_type(t, tl)) {
		authkeys_err(err, errlen, "certificate key types are not "
		    "supported");
		r = PC_ERR_INVAL;
		goto out;
	}
	if (!authkeys_is_type(t, tl)) {
		authkeys_err(err, errlen, "unknown key type \"%.*s\"",
		    (int)(tl > 40 ? 40 : tl), t);
		r = PC_ERR_INVAL;
		goto out;
	}
	b = t + tl;
	b += strspn(b, " \t");
	bl = strcspn(b, " \t");
	if (!authkeys_b64_ok(b, bl)) {
		authkeys_err(err, errlen, "missing or invalid base64 key");
		r = PC_ERR_INVAL;
		goto out;
	}
	t[tl] = '\0';
	b[bl] = '\0';
	*keytype = t;
	*keyb64 = b;
	*buf = copy;
	copy = NULL;
	r = 0;
out:
	if (r != 0) {
		authkeys_opts_free(opts);
	}
	free(copy);
	return r;
}

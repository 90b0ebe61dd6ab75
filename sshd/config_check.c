/*
 * Value syntax of the keywords (the table's check column): one small
 * bounded validator per kind of word, and the cfg_chk_<name> objects that
 * say how many words a line takes and which validator applies.  Forwarding
 * patterns are validated by policy/pattern.c, the same code the policy
 * compiles them with.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/xmalloc.h"
#include "policy/pattern.h"
#include "sshd/config_int.h"

static int
chk_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
chk_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return PC_ERR_INVAL;
}

/* Port: decimal or /etc/services name, stored as the decimal number. */
static int
chk_port(const char *w, char **norm, char *err, size_t errlen)
{
	int port;

	if (port_parse(w, &port, true) != 0 || port < 1 || port > 65535)
		return chk_err(err, errlen, "Badly formatted port number "
		    "\"%s\"", w);
	*norm = xasprintf("%d", port);
	return 0;
}

static bool
chk_host_chars(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 255)
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) &&
		    strchr(".-_:%*", s[i]) == NULL)
			return false;
	}
	return true;
}

/*
 * ListenAddress forms (sshd_config(5)): host | v4:port | [v6] | [v6]:port
 * | bare v6 (two or more colons, no port).  The port is stored in decimal
 * so that the listener can bind it numerically.
 */
static int
chk_listenaddr(const char *w, char **norm, char *err, size_t errlen)
{
	const char *c, *e;
	char *pnorm = NULL;
	struct pc_addr a;
	char v6[64];
	int r;

	if (w[0] == '[') {
		if ((e = strchr(w, ']')) == NULL || (size_t)(e - w - 1) >=
		    sizeof(v6))
			goto bad;
		snprintf(v6, sizeof(v6), "%.*s", (int)(e - w - 1), w + 1);
		if (addr_parse(v6, &a) != 0 || a.af != AF_INET6)
			goto bad;
		if (e[1] == '\0')
			return 0;
		if (e[1] != ':')
			goto bad;
		if ((r = chk_port(e + 2, &pnorm, err, errlen)) != 0)
			return r;
		*norm = xasprintf("[%s]:%s", v6, pnorm);
		free(pnorm);
		return 0;
	}
	c = strchr(w, ':');
	if (c != NULL && strchr(c + 1, ':') != NULL) {
		/* bare IPv6 address, possibly with a %scope */
		if (!chk_host_chars(w, strlen(w)))
			goto bad;
		return 0;
	}
	if (c == NULL)
		return chk_host_chars(w, strlen(w)) ? 0 : chk_err(err, errlen,
		    "bad address \"%s\"", w);
	if (!chk_host_chars(w, (size_t)(c - w)))
		goto bad;
	if ((r = chk_port(c + 1, &pnorm, err, errlen)) != 0)
		return r;
	*norm = xasprintf("%.*s:%s", (int)(c - w), w, pnorm);
	free(pnorm);
	return 0;
bad:
	return chk_err(err, errlen, "bad address:port usage \"%s\"", w);
}

static int
chk_listenaddr_line(char *const *av, int ac, char *err, size_t errlen)
{
	if (ac >= 2 && strcmp(av[1], "rdomain") == 0)
		return chk_err(err, errlen, "ListenAddress rdomain is not "
		    "supported");
	if (ac > 1)
		return chk_err(err, errlen, "bad ListenAddress syntax");
	return 0;
}

/* Algorithm list: [+-^]name,name,...  Names are checked against what
 * libssh supports when the daemon builds its ssh_bind. */
static int
chk_algos(const char *w, char **norm, char *err, size_t errlen)
{
	const char *p = w;
	bool empty = true;

	if (*p == '+' || *p == '-' || *p == '^')
		p++;
	for (; *p != '\0'; p++) {
		if (*p == ',') {
			if (empty)
				goto bad;
			empty = true;
			continue;
		}
		if (!isalnum((unsigned char)*p) && strchr("@.-_", *p) == NULL)
			goto bad;
		empty = false;
	}
	if (!empty)
		return 0;
bad:
	return chk_err(err, errlen, "bad algorithm list \"%s\"", w);
}

/* IPQoS: a DSCP/ToS name or a number 0..255, as OpenSSH parse_ipqos(). */
static int
chk_ipqos(const char *w, char **norm, char *err, size_t errlen)
{
	static const char *const names[] = {
		"af11", "af12", "af13", "af21", "af22", "af23", "af31",
		"af32", "af33", "af41", "af42", "af43", "cs0", "cs1", "cs2",
		"cs3", "cs4", "cs5", "cs6", "cs7", "ef", "le", "lowdelay",
		"throughput", "reliability", "none", NULL
	};
	char *end;
	long v;
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcasecmp(w, names[i]) == 0) {
			*norm = xstrdup(names[i]);
			return 0;
		}
	}
	if (isdigit((unsigned char)w[0])) {
		v = strtol(w, &end, 0);
		if (*end == '\0' && v >= 0 && v <= 255)
			return 0;
	}
	return chk_err(err, errlen, "Bad IPQoS value: %s", w);
}

/* RekeyLimit: "default" or a size (K/M/G suffix, 0 or >= 16), then an
 * optional time or "none" (checked by the line function). */
static int
chk_rekey_line(char *const *av, int ac, char *err, size_t errlen)
{
	unsigned long long v = 0;
	const char *p;
	int secs;

	if (strcmp(av[0], "default") != 0) {
		for (p = av[0]; isdigit((unsigned char)*p); p++) {
			v = v * 10 + (unsigned long long)(*p - '0');
			if (v > (1ULL << 40))
				return chk_err(err, errlen, "RekeyLimit %s is "
				    "too large", av[0]);
		}
		if (p == av[0] || (*p != '\0' && (strchr("KkMmGg", *p) ==
		    NULL || p[1] != '\0')))
			return chk_err(err, errlen, "Bad RekeyLimit number "
			    "'%s'", av[0]);
		if (v != 0 && v < 16 && *p == '\0')
			return chk_err(err, errlen, "RekeyLimit too small");
	}
	if (ac > 1 && strcmp(av[1], "none") != 0 &&
	    cfg_time_parse(av[1], &secs) != 0)
		return chk_err(err, errlen, "invalid time value \"%s\"", av[1]);
	return 0;
}

static int
chk_word(const char *w, char **norm, char *err, size_t errlen)
{
	if (*w == '\0')
		return chk_err(err, errlen, "empty argument");
	return 0;
}

static int
chk_command(const char *w, char **norm, char *err, size_t errlen)
{
	if (w[0] != '/' && strcasecmp(w, "none") != 0)
		return chk_err(err, errlen, "must be an absolute path");
	return 0;
}

static int
chk_addendum(const char *w, char **norm, char *err, size_t errlen)
{
	const char *hash;

	if (strchr(w, '\r') != NULL)
		return chk_err(err, errlen, "Invalid VersionAddendum argument");
	/* OpenSSH strips a trailing comment from this raw value */
	if ((hash = strchr(w, '#')) != NULL) {
		while (hash > w && (hash[-1] == ' ' || hash[-1] == '\t'))
			hash--;
		if (hash == w)
			return chk_err(err, errlen, "missing argument");
		*norm = xstrndup(w, (size_t)(hash - w));
	}
	return 0;
}

static int
chk_time_none(const char *w, char **norm, char *err, size_t errlen)
{
	int secs;

	if (strcasecmp(w, "none") == 0)
		return 0;
	if (cfg_time_parse(w, &secs) != 0)
		return chk_err(err, errlen, "invalid time value \"%s\"", w);
	*norm = xasprintf("%d", secs);
	return 0;
}

static int
chk_chantimeout(const char *w, char **norm, char *err, size_t errlen)
{
	const char *eq = strchr(w, '=');
	int secs;

	if (strcasecmp(w, "none") == 0)
		return 0;
	if (eq == NULL || eq == w || cfg_time_parse(eq + 1, &secs) != 0)
		return chk_err(err, errlen, "invalid channel timeout %s", w);
	return 0;
}

static int
chk_pkauthopts(const char *w, char **norm, char *err, size_t errlen)
{
	static const char *const v[] = { "none", "touch-required",
		"verify-required", NULL };
	size_t i;

	for (i = 0; v[i] != NULL; i++) {
		if (strcasecmp(w, v[i]) == 0) {
			*norm = xstrdup(v[i]);
			return 0;
		}
	}
	return chk_err(err, errlen, "unsupported PubkeyAuthOptions option %s",
	    w);
}

static int
chk_envname(const char *w, char **norm, char *err, size_t errlen)
{
	if (*w == '\0' || strchr(w, '=') != NULL)
		return chk_err(err, errlen, "Invalid environment name \"%s\"",
		    w);
	return 0;
}

static int
chk_setenv(const char *w, char **norm, char *err, size_t errlen)
{
	const char *eq = strchr(w, '=');

	if (eq == NULL || eq == w)
		return chk_err(err, errlen, "Invalid environment \"%s\"", w);
	return 0;
}

static int
chk_ignorerhosts(const char *w, char **norm, char *err, size_t errlen)
{
	static const char *const v[] = { "yes", "no", "shosts-only", NULL };
	size_t i;

	for (i = 0; v[i] != NULL; i++) {
		if (strcasecmp(w, v[i]) == 0) {
			*norm = xstrdup(v[i]);
			return 0;
		}
	}
	return chk_err(err, errlen, "unsupported option \"%s\"", w);
}

/* One AuthenticationMethods list: method[:submethod],... */
static int
chk_authmethods(const char *w, char **norm, char *err, size_t errlen)
{
	static const char *const m[] = { "publickey", "password",
		"keyboard-interactive", "hostbased", "gssapi-with-mic", "none",
		NULL };
	const char *p = w, *end, *colon;
	size_t i, n;

	if (strcmp(w, "any") == 0)
		return 0;
	for (;;) {
		end = p + strcspn(p, ",");
		colon = memchr(p, ':', (size_t)(end - p));
		n = (size_t)((colon != NULL ? colon : end) - p);
		for (i = 0; m[i] != NULL; i++) {
			if (strlen(m[i]) == n && strncmp(p, m[i], n) == 0)
				break;
		}
		if (m[i] == NULL || (colon != NULL && (colon + 1 == end ||
		    strcmp(m[i], "keyboard-interactive") != 0)))
			return chk_err(err, errlen, "invalid authentication "
			    "method list \"%s\"", w);
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
}

static int
chk_authmethods_line(char *const *av, int ac, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < ac; i++) {
		if (strcmp(av[i], "any") == 0 && ac > 1)
			return chk_err(err, errlen, "\"any\" must appear alone "
			    "in AuthenticationMethods");
	}
	return 0;
}

static int
chk_mask(const char *w, char **norm, char *err, size_t errlen)
{
	char *end;
	long v;

	v = strtol(w, &end, 8);
	if (end == w || *end != '\0' || v < 0 || v > 0777 || *w == '-' ||
	    *w == '+' || isspace((unsigned char)*w))
		return chk_err(err, errlen, "Invalid StreamLocalBindMask %s",
		    w);
	*norm = xasprintf("0%lo", v);	/* as OpenSSH -T prints it */
	return 0;
}

/* Forwarding patterns: policy/pattern.c decides, we only wrap. */
static int
chk_userpat(const char *w, char **norm, char *err, size_t errlen)
{
	return pattern_user_validate(w, err, errlen) == 0 ? 0 : PC_ERR_INVAL;
}

static int
chk_grouppat(const char *w, char **norm, char *err, size_t errlen)
{
	return pattern_group_validate(w, err, errlen) == 0 ? 0 : PC_ERR_INVAL;
}

static int
chk_fwdport(const char *w, char **norm, char *err, size_t errlen)
{
	return pattern_port_validate(w, err, errlen) == 0 ? 0 : PC_ERR_INVAL;
}

static int
chk_fwdto(const char *w, char **norm, char *err, size_t errlen)
{
	return pattern_to_validate(w, err, errlen) == 0 ? 0 : PC_ERR_INVAL;
}

static int
chk_permitopen(const char *w, char **norm, char *err, size_t errlen)
{
	return pattern_permitopen_validate(w, err, errlen) == 0 ? 0 :
	    PC_ERR_INVAL;
}

static int
chk_permitlisten(const char *w, char **norm, char *err, size_t errlen)
{
	return pattern_permitlisten_validate(w, err, errlen) == 0 ? 0 :
	    PC_ERR_INVAL;
}

/* The check objects named by the table.  maxw: words per line (STR joins
 * several with spaces); 0 = any number. */
const struct cfg_check cfg_chk_none = { NULL, NULL, 0, INT_MAX, 1, 0 };
const struct cfg_check cfg_chk_port = { chk_port, NULL, 0, 0, 1, 0 };
const struct cfg_check cfg_chk_listenaddr = {
	chk_listenaddr, chk_listenaddr_line, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_path = { chk_word, NULL, 0, 0, 1, 0 };
const struct cfg_check cfg_chk_paths = { chk_word, NULL, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_path_none = {
	chk_word, NULL, 0, 0, 1, CFG_CHK_NONE };
const struct cfg_check cfg_chk_word = { chk_word, NULL, 0, 0, 1, 0 };
const struct cfg_check cfg_chk_words = { chk_word, NULL, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_word_none = {
	chk_word, NULL, 0, 0, 1, CFG_CHK_NONE };
const struct cfg_check cfg_chk_line_none = {
	NULL, NULL, 0, 0, 0, CFG_CHK_LINE | CFG_CHK_NONE };
const struct cfg_check cfg_chk_command = {
	chk_command, NULL, 0, 0, 0, CFG_CHK_LINE | CFG_CHK_NONE };
const struct cfg_check cfg_chk_addendum = {
	chk_addendum, NULL, 0, 0, 0, CFG_CHK_LINE | CFG_CHK_NONE };
const struct cfg_check cfg_chk_algos = { chk_algos, NULL, 0, 0, 1, 0 };
const struct cfg_check cfg_chk_ipqos = {
	chk_ipqos, NULL, 0, 0, 2, CFG_CHK_PAIR };
const struct cfg_check cfg_chk_rekey = { NULL, chk_rekey_line, 0, 0, 2, 0 };
const struct cfg_check cfg_chk_time_none = {
	chk_time_none, NULL, 0, 0, 1, CFG_CHK_NONE };
const struct cfg_check cfg_chk_nonneg = { NULL, NULL, 0, INT_MAX, 1, 0 };
const struct cfg_check cfg_chk_connwait = { NULL, NULL, 0, 60000, 1, 0 };
const struct cfg_check cfg_chk_lookup = { NULL, NULL, 1, 300, 1, 0 };
const struct cfg_check cfg_chk_fwdchannels = { NULL, NULL, 1, 262144, 1, 0 };
const struct cfg_check cfg_chk_fwdlisteners = { NULL, NULL, 0, 65535, 1, 0 };
const struct cfg_check cfg_chk_logverbose = {
	chk_word, NULL, 0, 0, 0, CFG_CHK_NONE_ALONE };
const struct cfg_check cfg_chk_chantimeout = {
	chk_chantimeout, NULL, 0, 0, 0, CFG_CHK_NONE_ALONE };
const struct cfg_check cfg_chk_pkauthopts = {
	chk_pkauthopts, NULL, 0, 0, 0, CFG_CHK_NONE_ALONE };
const struct cfg_check cfg_chk_envname = { chk_envname, NULL, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_setenv = { chk_setenv, NULL, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_ignorerhosts = {
	chk_ignorerhosts, NULL, 0, 0, 1, 0 };
const struct cfg_check cfg_chk_authmethods = {
	chk_authmethods, chk_authmethods_line, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_mask = { chk_mask, NULL, 0, 0, 1, 0 };
const struct cfg_check cfg_chk_userpat = { chk_userpat, NULL, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_fwduser = {
	chk_userpat, NULL, 0, 0, 0, CFG_CHK_COMMAS };
const struct cfg_check cfg_chk_fwdgroup = {
	chk_grouppat, NULL, 0, 0, 0, CFG_CHK_COMMAS };
const struct cfg_check cfg_chk_fwdport = { chk_fwdport, NULL, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_fwdto = { chk_fwdto, NULL, 0, 0, 0, 0 };
const struct cfg_check cfg_chk_permitopen = {
	chk_permitopen, NULL, 0, 0, 0, CFG_CHK_ANY_NONE };
const struct cfg_check cfg_chk_permitlisten = {
	chk_permitlisten, NULL, 0, 0, 0, CFG_CHK_ANY_NONE };

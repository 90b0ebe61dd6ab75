/*
 * Match criteria (OpenSSH 9.2 servconf.c match_cfg_line semantics): User,
 * Group, Host, Address, LocalAddress, LocalPort, RDomain, All; ANDed on one
 * line; comma lists with * ? and ! negation; Address lists with CIDR;
 * "Criterion value" or "Criterion=value" (OpenSSH strdelim()).
 * Also the -C connection spec.
 */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/log.h"
#include "common/match.h"
#include "common/xmalloc.h"
#include "sshd/config_int.h"

/* getgrouplist() bound: more groups than this is not a real account. */
#define MATCH_MAX_GROUPS 65536

static const struct {
	const char *name;
	enum cfg_crit_kind kind;
} match_kinds[] = {
	{ "all", CFG_CRIT_ALL },
	{ "user", CFG_CRIT_USER },
	{ "group", CFG_CRIT_GROUP },
	{ "host", CFG_CRIT_HOST },
	{ "address", CFG_CRIT_ADDRESS },
	{ "localaddress", CFG_CRIT_LADDRESS },
	{ "localport", CFG_CRIT_LPORT },
	{ "rdomain", CFG_CRIT_RDOMAIN },
};

static int
match_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
match_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return PC_ERR_INVAL;
}

/* A pattern list must have no empty entry ("a,,b", "!"). */
static bool
match_list_ok(const char *list)
{
	const char *p = list, *end;

	for (;;) {
		end = p + strcspn(p, ",");
		if (*p == '!')
			p++;
		if (p >= end)
			return false;
		if (*end == '\0')
			return true;
		p = end + 1;
	}
}

/*
 * OpenSSH 9.2 reads a Match line with strdelim(): a word ends at a blank
 * or at '=', and one '=' with blanks around it is a separator, so
 * "User=a", "User = a", "User= a" and "User =a" all mean "User a".  A
 * second '=' ("User==a") or an empty quoted word starts an empty word,
 * which ends the criteria; text after it is an error ("garbage at end of
 * line" in OpenSSH).  av[] are the line's words after quote removal (a
 * boundary between them is a blank).  The words go to wv[], pointing
 * into one copy of av[] that the caller frees (*bufp).
 * XXX a quoted "a=b" is split too (OpenSSH keeps it when the quote starts
 * the word); no user, group, host or address contains '='.
 */
static void
match_words(char *const *av, int ac, char ***wvp, int *wcp, char **bufp,
    bool *garbage)
{
	char **wv, *buf, *p;
	size_t len = 0, n;
	int i, wc = 0;

	*garbage = false;
	for (i = 0; i < ac; i++)
		len += strlen(av[i]) + 1;
	buf = xmalloc(len + 1);
	wv = xcalloc(len + 1, sizeof(*wv));	/* a word has >= 1 char */
	for (i = 0, p = buf; i < ac; i++) {
		n = strlen(av[i]);
		memcpy(p, av[i], n + 1);
		p += n + 1;
	}
	/* p: where the next word starts, in the copy of av[i] */
	for (i = 0, p = buf; i < ac;) {
		if (*p == '\0' || *p == '=') {
			/* an empty word: the end, unless more follows */
			*garbage = (*p == '=' && p[1] != '\0') || i + 1 < ac;
			break;
		}
		wv[wc++] = p;
		p += strcspn(p, "=");
		if (*p == '=') {
			/* "a=b" or "a= b": blanks after the '=' only */
			*p++ = '\0';
			if (*p == '\0') {
				i++;
				p++;
			}
			continue;
		}
		/* a blank: then one '=' may follow ("a =b", "a = b") */
		i++;
		p++;
		if (i < ac && *p == '=') {
			if (*++p == '\0') {
				i++;
				p++;
			}
		}
	}
	*wvp = wv;
	*wcp = wc;
	*bufp = buf;
}

static int
match_parse_words(char *const *av, int ac, bool garbage,
    struct cfg_cond *cond, char *err, size_t errlen)
{
	struct cfg_crit *cr;
	size_t k;
	int i, port;

	if (ac == 0 || av[0][0] == '#')
		return match_err(err, errlen, "One or more attributes required "
		    "for Match");
	cond->crit = xcalloc((size_t)ac, sizeof(*cond->crit));
	for (i = 0; i < ac; i++) {
		if (av[i][0] == '#') {
			garbage = false;	/* "User a =#comment ..." */
			break;
		}
		for (k = 0; k < sizeof(match_kinds) / sizeof(match_kinds[0]);
		    k++) {
			if (strcasecmp(av[i], match_kinds[k].name) == 0)
				break;
		}
		if (k < sizeof(match_kinds) / sizeof(match_kinds[0]) &&
		    match_kinds[k].kind == CFG_CRIT_ALL) {
			if (i != 0 || (ac > 1 && av[1][0] != '#'))
				return match_err(err, errlen, "'all' cannot be "
				    "combined with other Match attributes");
			cond->crit[cond->ncrit++].kind = CFG_CRIT_ALL;
			if (ac > 1)
				garbage = false;	/* "All =#comment" */
			break;
		}
		/* the argument first, as OpenSSH ("User a=b": b has none) */
		if (++i >= ac || av[i][0] == '\0' || av[i][0] == '#')
			return match_err(err, errlen, "Missing Match criteria "
			    "for %s", av[i - 1]);
		if (k == sizeof(match_kinds) / sizeof(match_kinds[0]))
			return match_err(err, errlen, "Unsupported Match "
			    "attribute %s", av[i - 1]);
		cr = &cond->crit[cond->ncrit++];
		cr->kind = match_kinds[k].kind;
		cr->arg = xstrdup(av[i]);
		switch (cr->kind) {
		case CFG_CRIT_ADDRESS:
		case CFG_CRIT_LADDRESS:
			if (!match_list_ok(cr->arg) ||
			    addr_match_list(NULL, cr->arg) == -2)
				return match_err(err, errlen, "Invalid Match "
				    "%s argument '%s'", av[i - 1], cr->arg);
			break;
		case CFG_CRIT_LPORT:
			/* one port, as OpenSSH 9.2 (no lists); 0 parses
			 * there too and never matches a connection */
			if (port_parse(cr->arg, &port, true) != 0 || port < 0)
				return match_err(err, errlen, "Invalid "
				    "LocalPort '%s' on Match line", cr->arg);
			cr->port = port;
			break;
		default:
			if (!match_list_ok(cr->arg))
				return match_err(err, errlen, "Invalid Match "
				    "%s pattern list '%s'", av[i - 1], cr->arg);
			break;
		}
	}
	if (garbage)
		return match_err(err, errlen, "extra arguments at end of line "
		    "(after an empty word: two '=' in a row?)");
	return 0;
}

/* Criterion value and Criterion=value, as OpenSSH 9.2 (match_words). */
int
cfg_match_parse(char *const *av, int ac, struct cfg_cond *cond, char *err,
    size_t errlen)
{
	char **wv, *buf;
	int wc, r;
	bool garbage;

	match_words(av, ac, &wv, &wc, &buf, &garbage);
	r = match_parse_words(wv, wc, garbage, cond, err, errlen);
	free(wv);
	free(buf);
	return r;
}

void
cfg_cond_free(struct cfg_cond *cond)
{
	size_t i;

	for (i = 0; i < cond->ncrit; i++)
		free(cond->crit[i].arg);
	free(cond->crit);
	cond->crit = NULL;
	cond->ncrit = 0;
}

void
cfg_match_groups_free(struct cfg_match_groups *grp)
{
	size_t i;

	if (grp->names != NULL) {
		for (i = 0; grp->names[i] != NULL; i++)
			free(grp->names[i]);
		free(grp->names);
	}
	memset(grp, 0, sizeof(*grp));
}

/* The user's primary and supplementary group names from NSS. */
static void
match_lookup_groups(const char *user, struct cfg_match_groups *grp)
{
	struct passwd *pw;
	struct group *gr;
	gid_t *gids = NULL, gid;
	int n = 64, i, k = 0;

	grp->looked_up = true;
	if ((pw = getpwnam(user)) == NULL) {
		log_debug("Can't match group: user %.100s does not exist",
		    user);
		return;
	}
	gid = pw->pw_gid;	/* NSS may reuse pw's storage below */
	for (;;) {
		gids = xreallocarray(gids, (size_t)n, sizeof(*gids));
		if (getgrouplist(user, gid, gids, &n) >= 0)
			break;
		if (n <= 0 || n > MATCH_MAX_GROUPS) {
			free(gids);
			return;
		}
	}
	grp->names = xcalloc((size_t)n + 1, sizeof(*grp->names));
	for (i = 0; i < n; i++) {
		if ((gr = getgrgid(gids[i])) != NULL)
			grp->names[k++] = xstrdup(gr->gr_name);
	}
	free(gids);
}

static int
match_one(const struct cfg_crit *cr, const struct cfg_conn_info *ci,
    struct cfg_match_groups *grp)
{
	const char *host;

	switch (cr->kind) {
	case CFG_CRIT_ALL:
		return 1;
	case CFG_CRIT_USER:
		return ci->user != NULL &&
		    match_pattern_list(ci->user, cr->arg, 0) == 1;
	case CFG_CRIT_GROUP:
		if (ci->user == NULL)
			return 0;
		if (ci->groups != NULL)
			return match_group_list(ci->groups, cr->arg) == 1;
		if (!grp->looked_up)
			match_lookup_groups(ci->user, grp);
		return grp->names != NULL && match_group_list(
		    (const char *const *)grp->names, cr->arg) == 1;
	case CFG_CRIT_HOST:
		/* without UseDNS the "host" is the address (OpenSSH) */
		host = ci->host != NULL ? ci->host : ci->addr;
		return host != NULL && match_hostname(host, cr->arg) == 1;
	case CFG_CRIT_ADDRESS:
		return ci->addr != NULL &&
		    addr_match_list(ci->addr, cr->arg) == 1;
	case CFG_CRIT_LADDRESS:
		return ci->laddr != NULL &&
		    addr_match_list(ci->laddr, cr->arg) == 1;
	case CFG_CRIT_LPORT:
		return ci->lport > 0 && ci->lport == cr->port;
	case CFG_CRIT_RDOMAIN:
		return ci->rdomain != NULL &&
		    match_pattern_list(ci->rdomain, cr->arg, 0) == 1;
	}
	return 0;
}

int
cfg_match_eval(const struct cfg_cond *cond, const struct cfg_conn_info *ci,
    const struct servconf *g, struct cfg_match_groups *grp)
{
	size_t i;

	if (cond->bad)
		return 0;
	for (i = 0; i < cond->ncrit; i++) {
		if (!match_one(&cond->crit[i], ci, grp))
			return 0;
	}
	log_debug3("%s:%d: Match line matches", cond->src.file != NULL ?
	    cond->src.file : "?", cond->src.line);
	return 1;
}

/*
 * -C user=U,host=H,addr=A,laddr=L,lport=P,rdomain=R[,group=G...]
 * One allocation holds the group pointer array and a copy of the spec.
 */
int
config_parse_conn_spec(const char *spec, struct cfg_conn_info *ci,
    char **buf)
{
	size_t ngroups = 1, off, len;
	const char **groups;
	char *copy, *p, *next, *eq, *block;
	int port, ng = 0;

	memset(ci, 0, sizeof(*ci));
	ci->lport = -1;
	*buf = NULL;
	if (spec == NULL)
		return PC_ERR_INVAL;
	len = strlen(spec);
	for (p = strstr(spec, "group="); p != NULL; p = strstr(p + 1,
	    "group="))
		ngroups++;
	off = ngroups * sizeof(char *);
	block = xmalloc(off + len + 1);
	groups = (const char **)(void *)block;
	copy = block + off;
	memcpy(copy, spec, len + 1);
	for (p = copy; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(p, '=')) == NULL || eq[1] == '\0') {
			log_error("Invalid test mode specification %s", p);
			goto bad;
		}
		*eq++ = '\0';
		if (strcmp(p, "user") == 0) {
			ci->user = eq;
		} else if (strcmp(p, "host") == 0) {
			ci->host = eq;
		} else if (strcmp(p, "addr") == 0) {
			ci->addr = eq;
		} else if (strcmp(p, "laddr") == 0) {
			ci->laddr = eq;
		} else if (strcmp(p, "rdomain") == 0) {
			ci->rdomain = eq;
		} else if (strcmp(p, "group") == 0) {
			groups[ng++] = eq;
		} else if (strcmp(p, "lport") == 0) {
			if (port_parse(eq, &port, true) != 0 || port < 1) {
				log_error("Invalid port '%s' in test mode "
				    "specification", eq);
				goto bad;
			}
			ci->lport = port;
		} else {
			log_error("Invalid test mode specification %s", p);
			goto bad;
		}
	}
	groups[ng] = NULL;
	if (ng > 0)
		ci->groups = groups;
	*buf = block;
	return 0;
bad:
	free(block);
	memset(ci, 0, sizeof(*ci));
	ci->lport = -1;
	return PC_ERR_INVAL;
}

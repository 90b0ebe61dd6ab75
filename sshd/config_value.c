/*
 * One directive's words -> a struct cfg_value, by the keyword's type and
 * check (config_check.c).  Pure: no logging, no servconf; the caller
 * prefixes FILE:LINE to err.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "common/xmalloc.h"
#include "sshd/config_int.h"

static int
val_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
val_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return PC_ERR_INVAL;
}

/* Strict unsigned decimal into *v (no sign, no spaces), <= INT_MAX. */
static int
val_uint(const char *s, int *v)
{
	long long n = 0;
	const char *p;

	if (*s == '+')
		s++;	/* strtonum() in OpenSSH takes a sign */
	if (*s == '\0')
		return PC_ERR_INVAL;
	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return PC_ERR_INVAL;
		n = n * 10 + (*p - '0');
		if (n > INT_MAX)
			return PC_ERR_RANGE;
	}
	*v = (int)n;
	return 0;
}

/*
 * OpenSSH time format: a sequence of NUMBER[UNIT], UNIT one of s m h d w
 * (either case), no unit meaning seconds: "90", "1h30m", "2m10".  The
 * total must fit an int.
 */
int
cfg_time_parse(const char *s, int *secs)
{
	long long total = 0, n, mult;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return PC_ERR_INVAL;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return PC_ERR_INVAL;
		for (n = 0; isdigit((unsigned char)*p); p++) {
			n = n * 10 + (*p - '0');
			if (n > INT_MAX)
				return PC_ERR_RANGE;
		}
		switch (*p) {
		case '\0':
			mult = 1;
			break;
		case 's': case 'S':
			mult = 1;
			p++;
			break;
		case 'm': case 'M':
			mult = 60;
			p++;
			break;
		case 'h': case 'H':
			mult = 3600;
			p++;
			break;
		case 'd': case 'D':
			mult = 86400;
			p++;
			break;
		case 'w': case 'W':
			mult = 604800;
			p++;
			break;
		default:
			return PC_ERR_INVAL;
		}
		total += n * mult;
		if (total > INT_MAX)
			return PC_ERR_RANGE;
	}
	*secs = (int)total;
	return 0;
}

static char *
val_join(char *const *av, int ac)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < ac; i++)
		len += strlen(av[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; i < ac; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, av[i]);
	}
	return s;
}

static void
val_addword(struct cfg_value *v, char *w)
{
	v->w = xreallocarray(v->w, v->nw + 1, sizeof(*v->w));
	v->w[v->nw++] = w;
}

static int
val_extra(const struct cfg_kwdef *kw, char *const *av, int ac, int maxw,
    char *err, size_t errlen)
{
	if (maxw > 0 && ac > maxw)
		return val_err(err, errlen, "%s: garbage at end of line "
		    "(\"%s\")", kw->name, av[maxw]);
	return 0;
}

static int
val_enum(const struct cfg_kwdef *kw, const char *w, int *out, char *err,
    size_t errlen)
{
	const struct cfg_enum_name *n;
	int v;

	if (kw->enm->parse != NULL) {
		if ((v = kw->enm->parse(w)) < 0)
			goto bad;
		*out = v;
		return 0;
	}
	for (n = kw->enm->names; n->name != NULL; n++) {
		if ((kw->enm->case_sensitive ? strcmp(w, n->name) :
		    strcasecmp(w, n->name)) == 0) {
			*out = n->value;
			return 0;
		}
	}
bad:
	return val_err(err, errlen, "unsupported %s value \"%s\"", kw->name,
	    w);
}

/* MaxStartups start[:rate:full] */
static int
val_maxstartups(const char *w, struct cfg_value *v, char *err,
    size_t errlen)
{
	char buf[64], *p[3], *save = NULL;
	int n = 0, i;

	if (strlen(w) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", w);
	if (buf[0] == ':' || strstr(buf, "::") != NULL ||
	    buf[strlen(buf) - 1] == ':')
		goto bad;
	for (p[n] = strtok_r(buf, ":", &save); p[n] != NULL;
	    p[n] = strtok_r(NULL, ":", &save)) {
		if (++n == 3)
			break;
	}
	if ((n != 1 && n != 3) || strtok_r(NULL, ":", &save) != NULL)
		goto bad;
	for (i = 0; i < n; i++) {
		if (val_uint(p[i], &v->i[i]) != 0)
			goto bad;
	}
	if (n == 1) {
		v->i[2] = v->i[0];
		v->i[1] = 30;	/* OpenSSH keeps the default rate */
	}
	if (v->i[0] <= 0 || v->i[2] <= 0 || v->i[0] > v->i[2] ||
	    v->i[1] < 1 || v->i[1] > 100)
		goto bad;
	return 0;
bad:
	return val_err(err, errlen, "Invalid MaxStartups spec \"%s\" "
	    "(start[:rate:full], 1 <= rate <= 100, start <= full)", w);
}

static int
val_netblock(const char *w, struct cfg_value *v, char *err, size_t errlen)
{
	char buf[32], *colon;

	if (strlen(w) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", w);
	v->i[1] = 128;
	if ((colon = strchr(buf, ':')) != NULL) {
		*colon = '\0';
		if (val_uint(colon + 1, &v->i[1]) != 0 || v->i[1] > 128)
			goto bad;
	}
	if (val_uint(buf, &v->i[0]) != 0 || v->i[0] > 32)
		goto bad;
	return 0;
bad:
	return val_err(err, errlen, "Invalid PerSourceNetBlockSize spec "
	    "\"%s\" (v4[:v6], 0-32 and 0-128)", w);
}

static int
val_special(const struct cfg_kwdef *kw, char *const *av, int ac,
    struct cfg_value *v, char *err, size_t errlen)
{
	int r;

	switch ((int)(kw - cfg_kwdefs)) {
	case CFG_KWI_max_startups:
		if ((r = val_extra(kw, av, ac, 1, err, errlen)) != 0)
			return r;
		return val_maxstartups(av[0], v, err, errlen);
	case CFG_KWI_per_source_max_startups:
		if ((r = val_extra(kw, av, ac, 1, err, errlen)) != 0)
			return r;
		if (strcmp(av[0], "none") == 0) {
			v->i[0] = -1;
			return 0;
		}
		if (val_uint(av[0], &v->i[0]) != 0 || v->i[0] < 1)
			return val_err(err, errlen, "PerSourceMaxStartups must "
			    "be a positive number or none, not \"%s\"", av[0]);
		return 0;
	case CFG_KWI_per_source_netblock:
		if ((r = val_extra(kw, av, ac, 1, err, errlen)) != 0)
			return r;
		return val_netblock(av[0], v, err, errlen);
	case CFG_KWI_subsystems:
		if (ac < 2)
			return val_err(err, errlen, "Missing subsystem "
			    "command");
		v->s = xstrdup(av[0]);
		v->s2 = val_join(av + 1, ac - 1);
		return 0;
	default:
		return val_err(err, errlen, "%s: no parser", kw->name);
	}
}

static int
val_str(const struct cfg_kwdef *kw, char *const *av, int ac,
    const char *rest, struct cfg_value *v, char *err, size_t errlen)
{
	const struct cfg_check *chk = kw->chk;
	char **words = NULL, *norm;
	int i, r = 0;

	if (chk->flags & CFG_CHK_LINE) {
		if ((chk->flags & CFG_CHK_NONE) &&
		    strcasecmp(rest, "none") == 0)
			return 0;
		norm = NULL;
		if (chk->word != NULL && (r = chk->word(rest, &norm, err,
		    errlen)) != 0)
			return r;
		v->s = norm != NULL ? norm : xstrdup(rest);
		return 0;
	}
	if ((r = val_extra(kw, av, ac, chk->maxw, err, errlen)) != 0)
		return r;
	if ((chk->flags & CFG_CHK_NONE) && ac == 1 &&
	    strcasecmp(av[0], "none") == 0)
		return 0;
	words = xcalloc((size_t)ac, sizeof(*words));
	for (i = 0; i < ac; i++) {
		norm = NULL;
		if (chk->word != NULL && (r = chk->word(av[i], &norm, err,
		    errlen)) != 0)
			goto out;
		words[i] = norm != NULL ? norm : xstrdup(av[i]);
	}
	if ((chk->flags & CFG_CHK_PAIR) && ac == 1) {
		/* IPQoS x: interactive and bulk both x (OpenSSH) */
		v->s = xasprintf("%s %s", words[0], words[0]);
		goto out;
	}
	v->s = val_join(words, ac);
out:
	for (i = 0; i < ac; i++)
		free(words[i]);
	free(words);
	return r;
}

static int
val_list_word(const struct cfg_kwdef *kw, const char *w,
    struct cfg_value *v, char *err, size_t errlen)
{
	char *norm = NULL;
	int r;

	if (*w == '\0')
		return val_err(err, errlen, "%s: empty entry", kw->name);
	if (kw->chk->word != NULL && (r = kw->chk->word(w, &norm, err,
	    errlen)) != 0)
		return r;
	val_addword(v, norm != NULL ? norm : xstrdup(w));
	return 0;
}

/*
 * Tectia style lists: entries separated by blanks and/or one comma ("a,b
 * c", "a, b").  An empty entry (",a", "a,,b", "a,") is an error rather
 * than silently ignored.
 */
static int
val_list_commas(const struct cfg_kwdef *kw, char *const *av, int ac,
    struct cfg_value *v, char *err, size_t errlen)
{
	char *line = val_join(av, ac), *p = line, *e, save;
	bool need = true;
	int r = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p == ',') {
			if (need)
				break;
			need = true;
			p++;
			continue;
		}
		e = p + strcspn(p, " ,");
		save = *e;
		*e = '\0';
		r = val_list_word(kw, p, v, err, errlen);
		*e = save;
		if (r != 0)
			goto out;
		need = false;
		p = e;
	}
	if (need)
		r = val_err(err, errlen, "%s: empty entry in \"%s\"", kw->name,
		    line);
out:
	free(line);
	return r;
}

static int
val_list(const struct cfg_kwdef *kw, char *const *av, int ac,
    struct cfg_value *v, char *err, size_t errlen)
{
	const struct cfg_check *chk = kw->chk;
	int i, r;

	if ((r = val_extra(kw, av, ac, chk->maxw, err, errlen)) != 0)
		return r;
	for (i = 0; i < ac; i++) {
		if ((chk->flags & CFG_CHK_ANY_NONE) && (strcmp(av[i], "any") ==
		    0 || strcmp(av[i], "none") == 0)) {
			if (ac > 1)
				return val_err(err, errlen, "%s: \"%s\" must "
				    "appear alone", kw->name, av[i]);
			val_addword(v, xstrdup(av[i]));
			return 0;
		}
		if ((chk->flags & CFG_CHK_NONE_ALONE) && ac > 1 &&
		    strcasecmp(av[i], "none") == 0)
			return val_err(err, errlen, "%s: \"none\" must appear "
			    "alone", kw->name);
	}
	if (chk->flags & CFG_CHK_COMMAS)
		return val_list_commas(kw, av, ac, v, err, errlen);
	for (i = 0; i < ac; i++) {
		if ((r = val_list_word(kw, av[i], v, err, errlen)) != 0)
			return r;
	}
	return 0;
}

int
cfg_value_parse(const struct cfg_kwdef *kw, char *const *av, int ac,
    const char *rest, struct cfg_value *v, char *err, size_t errlen)
{
	const struct cfg_check *chk = kw->chk;
	int r;

	memset(v, 0, sizeof(*v));
	if (ac == 0 || (ac == 1 && av[0][0] == '\0' && kw->type !=
	    CFG_T_LIST && kw->type != CFG_T_FIRSTLIST))
		return val_err(err, errlen, "%s: missing argument", kw->name);
	if (chk->line != NULL && (r = chk->line(av, ac, err, errlen)) != 0)
		return r;
	switch (kw->type) {
	case CFG_T_FLAG:
		if ((r = val_extra(kw, av, ac, 1, err, errlen)) != 0)
			break;
		if (strcasecmp(av[0], "yes") == 0)
			v->i[0] = 1;
		else if (strcasecmp(av[0], "no") == 0)
			v->i[0] = 0;
		else
			r = val_err(err, errlen, "unsupported %s value \"%s\" "
			    "(yes or no)", kw->name, av[0]);
		break;
	case CFG_T_INT:
	case CFG_T_TIME:
		if ((r = val_extra(kw, av, ac, 1, err, errlen)) != 0)
			break;
		r = kw->type == CFG_T_INT ? val_uint(av[0], &v->i[0]) :
		    cfg_time_parse(av[0], &v->i[0]);
		if (r != 0 || v->i[0] < chk->lo || v->i[0] > chk->hi)
			r = val_err(err, errlen, "%s: invalid %s value \"%s\" "
			    "(%ld-%ld%s)", kw->name, kw->type == CFG_T_INT ?
			    "integer" : "time", av[0], chk->lo, chk->hi,
			    kw->type == CFG_T_TIME ? " seconds" : "");
		break;
	case CFG_T_ENUM:
		if ((r = val_extra(kw, av, ac, 1, err, errlen)) != 0)
			break;
		r = val_enum(kw, av[0], &v->i[0], err, errlen);
		break;
	case CFG_T_STR:
		r = val_str(kw, av, ac, rest, v, err, errlen);
		break;
	case CFG_T_LIST:
	case CFG_T_FIRSTLIST:
		r = val_list(kw, av, ac, v, err, errlen);
		break;
	case CFG_T_SPECIAL:
		r = val_special(kw, av, ac, v, err, errlen);
		break;
	default:
		r = val_err(err, errlen, "%s: bad table type", kw->name);
		break;
	}
	if (r != 0) {
		cfg_value_free(v);
		return PC_ERR_INVAL;
	}
	return 0;
}

void
cfg_value_free(struct cfg_value *v)
{
	size_t i;

	free(v->s);
	free(v->s2);
	for (i = 0; i < v->nw; i++)
		free(v->w[i]);
	free(v->w);
	memset(v, 0, sizeof(*v));
}

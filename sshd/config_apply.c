/*
 * Values into struct servconf: first value wins, LIST accumulates,
 * FIRSTLIST keeps the first line; the global settings (directives of the
 * global section and of "Match All", then the defaults); per connection
 * the Match overlay, whose lists replace the global ones (OpenSSH 9.2
 * copy_set_server_options()).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/config_int.h"

static void *
cfg_field(struct servconf *s, size_t off)
{
	return (char *)s + off;
}

static void
cfg_set_src(struct servconf *s, const struct cfg_kwdef *kw, struct pc_src src)
{
	if (kw->srcoff != SIZE_MAX)
		*(struct pc_src *)cfg_field(s, kw->srcoff) = src;
}

static int
cfg_apply_special(struct servconf *s, bool *set, int k,
    const struct cfg_value *v, struct pc_src src, char *err, size_t errlen)
{
	struct cfg_subsystem *sub;
	size_t i;

	if (k == CFG_KWI_subsystems) {
		for (i = 0; i < s->nsubsystems; i++) {
			if (strcmp(s->subsystems[i].name, v->s) == 0) {
				snprintf(err, errlen, "Subsystem '%s' already "
				    "defined", v->s);
				return PC_ERR_INVAL;
			}
		}
		s->subsystems = xreallocarray(s->subsystems,
		    s->nsubsystems + 1, sizeof(*s->subsystems));
		sub = &s->subsystems[s->nsubsystems++];
		sub->name = xstrdup(v->s);
		sub->command = xstrdup(v->s2);
		sub->src = src;
		if (!set[k])
			s->subsystems_src = src;
		set[k] = true;
		return 0;
	}
	/* XXX OpenSSH lets the last MaxStartups/PerSource* line win; we keep
	 * the first, so that -o beats the file as for every other keyword
	 * (POLICY.md Decision 11). */
	if (set[k])
		return 0;
	switch (k) {
	case CFG_KWI_max_startups:
		s->max_startups_begin = v->i[0];
		s->max_startups_rate = v->i[1];
		s->max_startups_full = v->i[2];
		s->max_startups_src = src;
		break;
	case CFG_KWI_per_source_max_startups:
		s->per_source_max_startups = v->i[0];
		s->per_source_max_startups_src = src;
		break;
	case CFG_KWI_per_source_netblock:
		s->per_source_netblock_v4 = v->i[0];
		s->per_source_netblock_v6 = v->i[1];
		s->per_source_netblock_src = src;
		break;
	default:
		break;
	}
	set[k] = true;
	return 0;
}

/* First value wins; LIST accumulates; FIRSTLIST keeps the first line. */
static int
cfg_apply(struct servconf *s, bool *set, int k, const struct cfg_value *v,
    struct pc_src src, char *err, size_t errlen)
{
	const struct cfg_kwdef *kw = &cfg_kwdefs[k];
	struct strlist *l;
	char **sp;
	size_t i;

	switch (kw->type) {
	case CFG_T_FLAG:
	case CFG_T_INT:
	case CFG_T_TIME:
	case CFG_T_ENUM:
		if (set[k])
			return 0;
		*(int *)cfg_field(s, kw->off) = v->i[0];
		break;
	case CFG_T_STR:
		if (set[k])
			return 0;
		sp = cfg_field(s, kw->off);
		free(*sp);
		*sp = v->s != NULL ? xstrdup(v->s) : NULL;
		break;
	case CFG_T_FIRSTLIST:
		if (set[k])
			return 0;
		/* FALLTHROUGH */
	case CFG_T_LIST:
		l = cfg_field(s, kw->off);
		for (i = 0; i < v->nw; i++)
			strlist_add(l, v->w[i], src.file, src.line);
		break;
	case CFG_T_SPECIAL:
		return cfg_apply_special(s, set, k, v, src, err, errlen);
	}
	cfg_set_src(s, kw, src);
	set[k] = true;
	return 0;
}

/* Move one keyword's value from a Match overlay into the result. */
static void
cfg_take(struct servconf *dst, struct servconf *src, int k)
{
	const struct cfg_kwdef *kw = &cfg_kwdefs[k];
	struct strlist *dl, *sl;
	char **dp, **sp;

	switch (kw->type) {
	case CFG_T_FLAG:
	case CFG_T_INT:
	case CFG_T_TIME:
	case CFG_T_ENUM:
		*(int *)cfg_field(dst, kw->off) = *(int *)cfg_field(src,
		    kw->off);
		break;
	case CFG_T_STR:
		dp = cfg_field(dst, kw->off);
		sp = cfg_field(src, kw->off);
		free(*dp);
		*dp = *sp;
		*sp = NULL;
		break;
	case CFG_T_LIST:
	case CFG_T_FIRSTLIST:
		/* a Match list replaces the global one (OpenSSH
		 * M_CP_STRARRAYOPT, POLICY.md Decision 3) */
		dl = cfg_field(dst, kw->off);
		sl = cfg_field(src, kw->off);
		strlist_free(dl);
		*dl = *sl;
		memset(sl, 0, sizeof(*sl));
		break;
	case CFG_T_SPECIAL:
		return;		/* global only */
	}
	if (kw->srcoff != SIZE_MAX)
		*(struct pc_src *)cfg_field(dst, kw->srcoff) =
		    *(struct pc_src *)cfg_field(src, kw->srcoff);
}

void
servconf_free(struct servconf *s)
{
	const struct cfg_kwdef *kw;
	size_t i;
	int k;

	if (s == NULL)
		return;
	for (k = 0; k < CFG_NKW; k++) {
		kw = &cfg_kwdefs[k];
		if (kw->type == CFG_T_STR)
			free(*(char **)cfg_field(s, kw->off));
		else if (kw->type == CFG_T_LIST || kw->type == CFG_T_FIRSTLIST)
			strlist_free(cfg_field(s, kw->off));
	}
	for (i = 0; i < s->nsubsystems; i++) {
		free(s->subsystems[i].name);
		free(s->subsystems[i].command);
	}
	free(s->subsystems);
	free(s->config_file);
	memset(s, 0, sizeof(*s));
}

void
servconf_copy(struct servconf *dst, const struct servconf *src)
{
	const struct cfg_kwdef *kw;
	char **sp;
	size_t i;
	int k;

	memcpy(dst, src, sizeof(*dst));
	for (k = 0; k < CFG_NKW; k++) {
		kw = &cfg_kwdefs[k];
		if (kw->type == CFG_T_STR) {
			sp = cfg_field(dst, kw->off);
			if (*sp != NULL)
				*sp = xstrdup(*sp);
		} else if (kw->type == CFG_T_LIST ||
		    kw->type == CFG_T_FIRSTLIST) {
			strlist_copy(cfg_field(dst, kw->off),
			    cfg_field((struct servconf *)(uintptr_t)src,
			    kw->off));
		}
	}
	if (src->nsubsystems > 0) {
		dst->subsystems = xcalloc(src->nsubsystems,
		    sizeof(*dst->subsystems));
		for (i = 0; i < src->nsubsystems; i++) {
			dst->subsystems[i].name =
			    xstrdup(src->subsystems[i].name);
			dst->subsystems[i].command =
			    xstrdup(src->subsystems[i].command);
			dst->subsystems[i].src = src->subsystems[i].src;
		}
	} else {
		dst->subsystems = NULL;
	}
	dst->config_file = src->config_file != NULL ?
	    xstrdup(src->config_file) : NULL;
}

/* ---- the global settings ---- */

static int
cfg_default(struct servconf *s, bool *set, int k)
{
	const struct cfg_kwdef *kw = &cfg_kwdefs[k];
	struct pc_src src = { NULL, 0 };
	struct cfg_value v;
	char **av = NULL, err[512];
	int ac = 0, r;

	if (cfg_argv_split(kw->def, &av, &ac) != 0)
		return PC_ERR_INVAL;
	r = cfg_value_parse(kw, av, ac, kw->def, &v, err, sizeof(err));
	cfg_argv_free(av, ac);
	if (r != 0) {
		log_error("internal error: default of %s: %s", kw->name, err);
		return r;
	}
	r = cfg_apply(s, set, k, &v, src, err, sizeof(err));
	cfg_value_free(&v);
	return r;
}

int
cfg_build_global(struct config *c, const char *name)
{
	struct cfg_dir *d;
	bool set[CFG_NKW];
	char err[512];
	size_t i;
	int k, errors = 0;

	memset(set, 0, sizeof(set));
	memset(&c->global, 0, sizeof(c->global));
	for (i = 0; i < c->ndirs; i++) {
		d = &c->dirs[i];
		if (d->cond >= 0 && !d->global_too)
			continue;
		if (cfg_apply(&c->global, set, d->kw, &d->val, d->src, err,
		    sizeof(err)) != 0) {
			log_error("%s:%d: %s", d->src.file, d->src.line, err);
			errors++;
		}
	}
	for (k = 0; k < CFG_NKW; k++) {
		if (!set[k] && cfg_kwdefs[k].def != NULL &&
		    cfg_default(&c->global, set, k) != 0)
			errors++;
	}
	c->global.config_file = xstrdup(name);
	return errors;
}

/* ---- per connection ---- */

/* 1 if Match condition i and every enclosing one match. */
static int
cfg_cond_matches(const struct config *c, int i,
    const struct cfg_conn_info *ci, signed char *cache,
    struct cfg_match_groups *grp)
{
	int r;

	if (cache[i] != 0)
		return cache[i] > 0;
	r = cfg_match_eval(&c->conds[i], ci, &c->global, grp);
	if (r && c->conds[i].parent >= 0)
		r = cfg_cond_matches(c, c->conds[i].parent, ci, cache, grp);
	cache[i] = r ? 1 : -1;
	return r;
}

int
config_resolve(const struct config *c, const struct cfg_conn_info *ci,
    struct servconf *out)
{
	struct cfg_match_groups grp;
	struct servconf m;
	struct cfg_dir *d;
	signed char *cache;
	bool mset[CFG_NKW];
	char err[512];
	size_t i;
	int k;

	if (c == NULL || out == NULL)
		return PC_ERR_INVAL;
	servconf_copy(out, &c->global);
	if (ci == NULL || c->nconds == 0)
		return 0;
	memset(&grp, 0, sizeof(grp));
	memset(&m, 0, sizeof(m));
	memset(mset, 0, sizeof(mset));
	cache = xcalloc(c->nconds, sizeof(*cache));
	for (i = 0; i < c->ndirs; i++) {
		d = &c->dirs[i];
		if (d->cond < 0 ||
		    !cfg_cond_matches(c, d->cond, ci, cache, &grp))
			continue;
		/* within Match the first value wins, lists of all
		 * matching blocks accumulate */
		(void)cfg_apply(&m, mset, d->kw, &d->val, d->src, err,
		    sizeof(err));
	}
	for (k = 0; k < CFG_NKW; k++) {
		if (mset[k])
			cfg_take(out, &m, k);
	}
	servconf_free(&m);
	free(cache);
	cfg_match_groups_free(&grp);
	return 0;
}

/* Private to sshd/config*.c: the expanded keyword table, parsed values,
 * directives and Match conditions.  Nothing outside config*.c includes
 * this. */
#ifndef PC_CONFIG_INT_H
#define PC_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sshd/config.h"

enum cfg_type {
	CFG_T_FLAG, CFG_T_INT, CFG_T_TIME, CFG_T_STR, CFG_T_ENUM,
	CFG_T_LIST, CFG_T_FIRSTLIST, CFG_T_SPECIAL
};
enum cfg_scope { CFG_SCOPE_G, CFG_SCOPE_M };
enum cfg_old_how { CFG_OLD_DEPRECATED, CFG_OLD_UNSUPPORTED, CFG_OLD_IGNORED };

/* A parsed value, as one directive wrote it. */
struct cfg_value {
	int i[3];		/* FLAG/INT/TIME/ENUM: i[0]; SPECIAL numbers */
	char *s;		/* STR (NULL: "none" where that clears);
				 * Subsystem name */
	char *s2;		/* Subsystem command line */
	char **w;		/* LIST/FIRSTLIST words (normalized) */
	size_t nw;
};

/* Names of an ENUM: parse takes the first entry whose name matches;
 * -T prints the first entry whose value matches (so aliases go after the
 * printed name, as OpenSSH's multistate tables do). */
struct cfg_enum_name {
	const char *name;
	int value;
};
struct cfg_enum {
	const struct cfg_enum_name *names;	/* NULL-name terminated */
	bool case_sensitive;			/* PermitTunnel (strcmp) */
	int (*parse)(const char *);		/* instead of names */
	const char *(*print)(int);
};

/* Value syntax of one keyword (the table's check column). */
#define CFG_CHK_LINE	0x01	/* STR: rest of the line as written */
#define CFG_CHK_NONE	0x02	/* STR: "none" (any case) -> NULL */
#define CFG_CHK_COMMAS	0x04	/* LIST: commas separate entries */
#define CFG_CHK_NONE_ALONE 0x08	/* LIST: "none" only as the only word */
#define CFG_CHK_ANY_NONE 0x10	/* "any"/"none" (exact) only alone */
#define CFG_CHK_PAIR	0x20	/* STR: one word means it twice */
struct cfg_check {
	/* Validate one word; *norm: a normalized copy to store instead
	 * (malloc'ed), or left NULL.  0 or PC_ERR_INVAL with err. */
	int (*word)(const char *w, char **norm, char *err, size_t errlen);
	/* Whole-line check before the words (NULL: none). */
	int (*line)(char *const *av, int ac, char *err, size_t errlen);
	long lo, hi;		/* INT/TIME range */
	int maxw;		/* words per line for STR/LIST; 0: any */
	unsigned int flags;
};

struct config;
struct cfg_kwdef {
	const char *name;
	enum cfg_type type;
	enum cfg_scope scope;
	const char *def;
	const char *quiet;
	const struct cfg_check *chk;
	const struct cfg_enum *enm;
	size_t off;		/* offset of the value in struct servconf */
	size_t srcoff;		/* offset of its pc_src; SIZE_MAX: none */
};

/* Index of every keyword in cfg_kwdefs[]. */
enum cfg_kwi {
#define CFG_KW(kw, field, type, scope, def, quiet, check) CFG_KWI_##field,
#include "sshd/config_keywords.h"
#undef CFG_KW
	CFG_NKW
};

extern const struct cfg_kwdef cfg_kwdefs[CFG_NKW];

/* Keyword lookup (case-insensitive): 0 and *kwi (>= 0) with the scope of
 * the name used (an alias may differ), or *kwi = -1 and *old set for an
 * obsolete name; PC_ERR_NOTFOUND for an unknown word. */
int cfg_kw_lookup(const char *name, int *kwi, enum cfg_scope *scope,
    enum cfg_old_how *old);

/* config_value.c */
int cfg_value_parse(const struct cfg_kwdef *kw, char *const *av, int ac,
    const char *rest, struct cfg_value *v, char *err, size_t errlen);
void cfg_value_free(struct cfg_value *v);
const char *cfg_enum_text(const struct cfg_kwdef *kw, int value);
int cfg_time_parse(const char *s, int *secs);

/* config.c */
int cfg_argv_split(const char *s, char ***avp, int *acp);
void cfg_argv_free(char **av, int ac);

/* config_apply.c */
/* Global settings of c from its directives and the defaults; the number
 * of errors (logged as FILE:LINE: message). */
int cfg_build_global(struct config *c, const char *name);

/* config_match.c: one Match line */
enum cfg_crit_kind {
	CFG_CRIT_ALL, CFG_CRIT_USER, CFG_CRIT_GROUP, CFG_CRIT_HOST,
	CFG_CRIT_ADDRESS, CFG_CRIT_LADDRESS, CFG_CRIT_LPORT, CFG_CRIT_RDOMAIN
};
struct cfg_crit {
	enum cfg_crit_kind kind;
	char *arg;
	int port;		/* LocalPort */
};
struct cfg_cond {
	struct cfg_crit *crit;
	size_t ncrit;
	int parent;		/* Match around an Include of it; -1 */
	bool bad;		/* did not parse: never matches */
	bool uncond;		/* "Match All" here and in every parent */
	struct pc_src src;
};
/* Groups of the user being matched, looked up once per resolve. */
struct cfg_match_groups {
	bool looked_up;
	char **names;		/* NULL-terminated, owned */
	const char *const *given;	/* ci->groups */
};
int cfg_match_parse(char *const *av, int ac, struct cfg_cond *cond,
    char *err, size_t errlen);
/* 1 the line matches, 0 it does not (parents not included). */
int cfg_match_eval(const struct cfg_cond *cond,
    const struct cfg_conn_info *ci, const struct servconf *g,
    struct cfg_match_groups *grp);
void cfg_match_groups_free(struct cfg_match_groups *grp);
void cfg_cond_free(struct cfg_cond *cond);

/* One directive: its value, where it was written, the Match condition it
 * sits under. */
struct cfg_dir {
	int kw;			/* index in cfg_kwdefs */
	struct cfg_value val;
	struct pc_src src;
	int cond;		/* Match condition, -1: global section */
	bool global_too;	/* under "Match All": global and Match */
};

struct config {
	char **files;		/* interned names (pc_src.file) */
	size_t nfiles;
	struct cfg_dir *dirs;
	size_t ndirs;
	struct cfg_cond *conds;
	size_t nconds;
	struct servconf global;
};

#endif

/*
 * The keyword table expanded for the parser: where each value lives in
 * struct servconf, its enum names, its check; plus the aliases and the
 * obsolete names OpenSSH 9.2 (Debian) still accepts.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "common/err.h"
#include "common/log.h"
#include "sshd/config_int.h"

/* Every check object the table names (config_check.c). */
#define CFG_KW(kw, field, type, scope, def, quiet, check) \
	extern const struct cfg_check cfg_chk_##check;
#include "sshd/config_keywords.h"
#undef CFG_KW

/* ---- enum names (the first name of a value is what -T prints) ---- */
static const struct cfg_enum_name cfg_names_af[] = {
	{ "any", CFG_AF_ANY }, { "inet", CFG_AF_INET },
	{ "inet6", CFG_AF_INET6 }, { NULL, 0 }
};
static const struct cfg_enum_name cfg_names_root[] = {
	/* OpenSSH 9.2 -T prints prohibit-password as without-password */
	{ "without-password", CFG_ROOT_PROHIBIT_PASSWORD },
	{ "prohibit-password", CFG_ROOT_PROHIBIT_PASSWORD },
	{ "forced-commands-only", CFG_ROOT_FORCED_ONLY },
	{ "yes", CFG_ROOT_YES }, { "no", CFG_ROOT_NO }, { NULL, 0 }
};
static const struct cfg_enum_name cfg_names_comp[] = {
	/* "delayed" is what "yes" means since OpenSSH 7.4; -T says yes */
	{ "yes", CFG_COMP_YES }, { "yes", CFG_COMP_DELAYED },
	{ "delayed", CFG_COMP_DELAYED }, { "no", CFG_COMP_NO }, { NULL, 0 }
};
static const struct cfg_enum_name cfg_names_fp[] = {
	{ "SHA256", CFG_FP_SHA256 }, { "MD5", CFG_FP_MD5 }, { NULL, 0 }
};
static const struct cfg_enum_name cfg_names_tun[] = {
	{ "no", CFG_TUN_NO }, { "point-to-point", CFG_TUN_POINTOPOINT },
	{ "ethernet", CFG_TUN_ETHERNET }, { "yes", CFG_TUN_YES }, { NULL, 0 }
};
static const struct cfg_enum_name cfg_names_fwd[] = {
	{ "yes", PC_FWD_ALL }, { "all", PC_FWD_ALL }, { "no", PC_FWD_NO },
	{ "remote", PC_FWD_REMOTE }, { "local", PC_FWD_LOCAL }, { NULL, 0 }
};
static const struct cfg_enum_name cfg_names_gw[] = {
	{ "clientspecified", PC_GW_CLIENTSPECIFIED }, { "yes", PC_GW_YES },
	{ "no", PC_GW_NO }, { NULL, 0 }
};

static const char *
cfg_print_level(int v)
{
	/* OpenSSH -T says DEBUG for DEBUG1 */
	if (v == LOG_LEVEL_DEBUG1)
		return "DEBUG";
	return log_level_name((enum log_level)v);
}

static const struct cfg_enum cfg_enum_address_family = { cfg_names_af, false,
	NULL, NULL };
static const struct cfg_enum cfg_enum_permit_root_login = { cfg_names_root,
	false, NULL, NULL };
static const struct cfg_enum cfg_enum_compression = { cfg_names_comp, false,
	NULL, NULL };
static const struct cfg_enum cfg_enum_fingerprint_hash = { cfg_names_fp,
	false, NULL, NULL };
static const struct cfg_enum cfg_enum_permit_tunnel = { cfg_names_tun, true,
	NULL, NULL };
static const struct cfg_enum cfg_enum_allow_tcp_forwarding = { cfg_names_fwd,
	false, NULL, NULL };
static const struct cfg_enum cfg_enum_allow_streamlocal_forwarding = {
	cfg_names_fwd, false, NULL, NULL };
static const struct cfg_enum cfg_enum_gateway_ports = { cfg_names_gw, false,
	NULL, NULL };
static const struct cfg_enum cfg_enum_log_level = { NULL, false,
	log_level_parse, cfg_print_level };
static const struct cfg_enum cfg_enum_syslog_facility = { NULL, false,
	log_facility_parse, log_facility_name };

/* ---- the table ---- */
#define CFG_OFF_FLAG(f) offsetof(struct servconf, f)
#define CFG_OFF_INT(f) offsetof(struct servconf, f)
#define CFG_OFF_TIME(f) offsetof(struct servconf, f)
#define CFG_OFF_STR(f) offsetof(struct servconf, f)
#define CFG_OFF_ENUM(f) offsetof(struct servconf, f)
#define CFG_OFF_LIST(f) offsetof(struct servconf, f)
#define CFG_OFF_FIRSTLIST(f) offsetof(struct servconf, f)
#define CFG_OFF_SPECIAL(f) SIZE_MAX
#define CFG_SRCOFF_FLAG(f) offsetof(struct servconf, f##_src)
#define CFG_SRCOFF_INT(f) offsetof(struct servconf, f##_src)
#define CFG_SRCOFF_TIME(f) offsetof(struct servconf, f##_src)
#define CFG_SRCOFF_STR(f) offsetof(struct servconf, f##_src)
#define CFG_SRCOFF_ENUM(f) offsetof(struct servconf, f##_src)
#define CFG_SRCOFF_LIST(f) SIZE_MAX
#define CFG_SRCOFF_FIRSTLIST(f) SIZE_MAX
#define CFG_SRCOFF_SPECIAL(f) offsetof(struct servconf, f##_src)
#define CFG_ENUMREF_FLAG(f) NULL
#define CFG_ENUMREF_INT(f) NULL
#define CFG_ENUMREF_TIME(f) NULL
#define CFG_ENUMREF_STR(f) NULL
#define CFG_ENUMREF_ENUM(f) (&cfg_enum_##f)
#define CFG_ENUMREF_LIST(f) NULL
#define CFG_ENUMREF_FIRSTLIST(f) NULL
#define CFG_ENUMREF_SPECIAL(f) NULL

const struct cfg_kwdef cfg_kwdefs[CFG_NKW] = {
#define CFG_KW(kw, field, type, scope, def, quiet, check) \
	{ #kw, CFG_T_##type, CFG_SCOPE_##scope, def, quiet, \
	    &cfg_chk_##check, CFG_ENUMREF_##type(field), \
	    CFG_OFF_##type(field), CFG_SRCOFF_##type(field) },
#include "sshd/config_keywords.h"
#undef CFG_KW
};

static const char *const cfg_names[] = {
#define CFG_KW(kw, field, type, scope, def, quiet, check) #kw,
#include "sshd/config_keywords.h"
#undef CFG_KW
	NULL
};

static const struct {
	const char *name;
	const char *kw;
	enum cfg_scope scope;
} cfg_aliases[] = {
#define CFG_KW(kw, field, type, scope, def, quiet, check)
#define CFG_ALIAS(name, kw, scope) { #name, #kw, CFG_SCOPE_##scope },
#include "sshd/config_keywords.h"
#undef CFG_ALIAS
#undef CFG_KW
};

static const struct {
	const char *name;
	enum cfg_scope scope;
	enum cfg_old_how how;
} cfg_olds[] = {
#define CFG_KW(kw, field, type, scope, def, quiet, check)
#define CFG_OLD(name, scope, how) \
	{ #name, CFG_SCOPE_##scope, CFG_OLD_##how },
#include "sshd/config_keywords.h"
#undef CFG_OLD
#undef CFG_KW
};

static int
cfg_kw_find(const char *name)
{
	int i;

	for (i = 0; i < CFG_NKW; i++) {
		if (strcasecmp(name, cfg_kwdefs[i].name) == 0)
			return i;
	}
	return -1;
}

int
cfg_kw_lookup(const char *name, int *kwi, enum cfg_scope *scope,
    enum cfg_old_how *old)
{
	size_t i;
	int k;

	if ((k = cfg_kw_find(name)) >= 0) {
		*kwi = k;
		*scope = cfg_kwdefs[k].scope;
		return 0;
	}
	for (i = 0; i < sizeof(cfg_aliases) / sizeof(cfg_aliases[0]); i++) {
		if (strcasecmp(name, cfg_aliases[i].name) == 0 &&
		    (k = cfg_kw_find(cfg_aliases[i].kw)) >= 0) {
			*kwi = k;
			*scope = cfg_aliases[i].scope;
			return 0;
		}
	}
	for (i = 0; i < sizeof(cfg_olds) / sizeof(cfg_olds[0]); i++) {
		if (strcasecmp(name, cfg_olds[i].name) == 0) {
			*kwi = -1;
			*scope = cfg_olds[i].scope;
			*old = cfg_olds[i].how;
			return 0;
		}
	}
	return PC_ERR_NOTFOUND;
}

const char *
cfg_enum_text(const struct cfg_kwdef *kw, int value)
{
	const struct cfg_enum_name *n;

	if (kw->enm == NULL)
		return "UNKNOWN";
	if (kw->enm->print != NULL)
		return kw->enm->print(value);
	for (n = kw->enm->names; n->name != NULL; n++) {
		if (n->value == value)
			return n->name;
	}
	return "UNKNOWN";
}

const char *const *
config_keyword_names(void)
{
	return cfg_names;
}

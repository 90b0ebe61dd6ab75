/* sshd_config: parsed once into global settings + Match blocks (with
 * FILE:LINE for every directive), then resolved per connection. */
#ifndef PC_CONFIG_H
#define PC_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "common/strlist.h"
#include "policy/policy_config.h"

/* C type of each table type */
#define CFG_CTYPE_FLAG int
#define CFG_CTYPE_INT int
#define CFG_CTYPE_TIME int
#define CFG_CTYPE_STR char *
#define CFG_CTYPE_ENUM int
#define CFG_CTYPE_LIST struct strlist
#define CFG_CTYPE_FIRSTLIST struct strlist

/* Enum values (text in config.c) */
enum { CFG_AF_ANY = 0, CFG_AF_INET, CFG_AF_INET6 };
enum { CFG_ROOT_NO = 0, CFG_ROOT_PROHIBIT_PASSWORD, CFG_ROOT_FORCED_ONLY,
	CFG_ROOT_YES };
enum { CFG_COMP_NO = 0, CFG_COMP_YES, CFG_COMP_DELAYED };
enum { CFG_FP_SHA256 = 0, CFG_FP_MD5 };
enum { CFG_TUN_NO = 0, CFG_TUN_YES, CFG_TUN_POINTOPOINT, CFG_TUN_ETHERNET };
/* allow_tcp_forwarding / allow_streamlocal_forwarding: enum pc_fwd_allow;
 * gateway_ports: enum pc_gateway; log_level: enum log_level;
 * syslog_facility: LOG_* value. */

struct cfg_subsystem {
	char *name;
	char *command;		/* command and arguments, as written */
	struct pc_src src;
};

/*
 * Effective settings: the table's fields, then the SPECIAL ones.  Every
 * scalar has <field>_src (FILE:LINE; file NULL for the built-in default);
 * list entries carry their own src.  STR fields whose "none" means unset
 * in OpenSSH (Banner, ForceCommand, ChrootDirectory, PidFile, ModuliFile,
 * XAuthLocation, HostKeyAgent, RDomain, VersionAddendum, RevokedKeys,
 * TrustedUserCAKeys, AuthorizedKeysCommand[User],
 * AuthorizedPrincipalsFile, AuthorizedPrincipalsCommand[User],
 * UnusedConnectionTimeout) are NULL then; -T prints NULL as "none".
 * Port and the port of ListenAddress are stored in decimal; Tectia lists
 * have one entry per user/group (commas split).
 */
struct servconf {
#define CFG_KW_FIELD_FLAG(f) CFG_CTYPE_FLAG f; struct pc_src f##_src;
#define CFG_KW_FIELD_INT(f) CFG_CTYPE_INT f; struct pc_src f##_src;
#define CFG_KW_FIELD_TIME(f) CFG_CTYPE_TIME f; struct pc_src f##_src;
#define CFG_KW_FIELD_STR(f) CFG_CTYPE_STR f; struct pc_src f##_src;
#define CFG_KW_FIELD_ENUM(f) CFG_CTYPE_ENUM f; struct pc_src f##_src;
#define CFG_KW_FIELD_LIST(f) CFG_CTYPE_LIST f;
#define CFG_KW_FIELD_FIRSTLIST(f) CFG_CTYPE_FIRSTLIST f;
#define CFG_KW_FIELD_SPECIAL(f) struct pc_src f##_src;
#define CFG_KW(kw, field, type, scope, def, quiet, check) \
	CFG_KW_FIELD_##type(field)
#include "sshd/config_keywords.h"
#undef CFG_KW
	/* SPECIAL fields */
	int max_startups_begin, max_startups_rate, max_startups_full;
	int per_source_max_startups;	/* -1: none */
	int per_source_netblock_v4, per_source_netblock_v6;
	struct cfg_subsystem *subsystems;
	size_t nsubsystems;
	/* -o / -f bookkeeping */
	char *config_file;		/* path as opened */
};

/* The connection facts that Match criteria test (-C spec or real). */
struct cfg_conn_info {
	const char *user;		/* NULL before authentication */
	const char *const *groups;	/* NULL-terminated; NULL: look up
					 * via NSS when user is set */
	const char *host;		/* client name (UseDNS) or address;
					 * NULL: the address is used */
	const char *addr;		/* client address */
	const char *laddr;		/* local address */
	int lport;			/* local port, -1 unknown */
	const char *rdomain;
};

struct config;	/* parsed file(s): global section + Match blocks */

/* Bounds on hostile input (fuzzing, a runaway Include). */
#define CONFIG_MAX_LINE		65536	/* bytes in one line */
#define CONFIG_MAX_FILE		(4 * 1024 * 1024) /* bytes in a file */
#define CONFIG_MAX_DEPTH	16	/* nested Include levels (OpenSSH) */
#define CONFIG_MAX_FILES	1024	/* files read by one load */
#define CONFIG_MAX_DIRECTIVES	100000	/* directives in one load */

/*
 * Load and validate.  cmdline: the -o options ("Key=Value" or "Key Value"),
 * applied before the file (so they win over the global section; a matching
 * Match block still overrides them); their source is "command-line" with
 * the option's 1-based position as line.  Errors and warnings are logged
 * as "FILE:LINE: message" (FILE as opened); every error in the file is
 * reported, then PC_ERR_CONFIG is returned.  A relative Include resolves
 * from the directory of path (OpenSSH: /etc/ssh).
 */
int config_load(const char *path, const struct strlist *cmdline,
    struct config **out);
/*
 * The same from memory (fuzzers, tests).  name is used in messages;
 * include_dir: base of relative Include paths, NULL: Include is an error.
 * buf need not be NUL-terminated; a NUL byte in it is an error.
 */
int config_load_buffer(const char *name, const char *buf, size_t len,
    const char *include_dir, const struct strlist *cmdline,
    struct config **out);
void config_free(struct config *c);

/* Global settings (no Match applied).  Valid as long as c lives. */
const struct servconf *config_global(const struct config *c);

/* Effective settings for one connection: a deep copy of the global
 * settings with every matching Match block applied (OpenSSH semantics:
 * within Match, first value wins; LIST values of all matching blocks
 * accumulate and replace the global list).  ci NULL: no Match at all (the
 * global settings).  A criterion that needs user/groups never matches
 * while ci->user is NULL; one that needs an address/port never matches
 * while that is unknown; Host uses ci->addr when ci->host is NULL.
 * *out is overwritten (not freed first; servconf_free() it).  Its FILE
 * pointers stay valid while c lives.  0 or PC_ERR_*. */
int config_resolve(const struct config *c, const struct cfg_conn_info *ci,
    struct servconf *out);
/* Deep copy (FILE pointers shared, valid while the config lives). */
void servconf_copy(struct servconf *dst, const struct servconf *src);
void servconf_free(struct servconf *s);

/* Parse a -C spec ("user=U,host=H,addr=A,laddr=L,lport=P,rdomain=R";
 * also "group=G" entries, repeatable, which set ci->groups).  Strings
 * point into *buf (free() it).  Unknown keys, empty values, a bad lport:
 * PC_ERR_INVAL with a message logged.  ci->lport is -1 when absent. */
int config_parse_conn_spec(const char *spec, struct cfg_conn_info *ci,
    char **buf);

/* -T: every keyword, lower-case, one per line, lists on one line, "none"
 * when unset; port, listenaddress, hostkey, hostcertificate and subsystem
 * one line per entry as OpenSSH -T prints them. */
void config_dump(FILE *f, const struct servconf *s);

/* Borrow the forwarding view of the effective settings. */
void config_policy_view(const struct servconf *s, struct policy_config *pc);

/* Keyword names in table order (man page test, docs); NULL-terminated.
 * Aliases and obsolete names are not included. */
const char *const *config_keyword_names(void);

#endif

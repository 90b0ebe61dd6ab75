#include "config.h"

/*
 * Who may try to log in: the user name's syntax, the account (NSS), and
 * OpenSSH's allowed_user() rules in its order: shell, DenyUsers,
 * AllowUsers, DenyGroups, AllowGroups; then PermitRootLogin per method.
 * Log lines are OpenSSH's (fail2ban and logwatch read them).
 */

#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "common/err.h"
#include "common/log.h"
#include "common/match.h"
#include "common/xmalloc.h"
#include "sshd/auth_int.h"

#define AUTH_USER_MAX_NAME 255		/* longer names are refused */
#define AUTH_USER_MAX_GROUPS 1024	/* as the privilege drop */
#define AUTH_USER_DEFAULT_SHELL "/bin/sh"	/* empty pw_shell */

/*
 * In the spirit of libssh's ssh_check_username_syntax(): nothing that a
 * shell, a path or a log line could misread.  Names that fail are
 * "invalid users" but never reach getpwnam() or PAM.
 */
bool
auth_user_name_ok(const char *name)
{
	static const char bad[] = "'`\";&<>|(){}$\\,/:*?[]~!#% ";
	size_t i, n;

	if (name == NULL || name[0] == '\0' || name[0] == '-') {
		return false;
	}
	n = strnlen(name, AUTH_USER_MAX_NAME + 1);
	if (n > AUTH_USER_MAX_NAME) {
		return false;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		return false;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch < 0x20 || ch == 0x7f || isspace(ch) ||
		    strchr(bad, ch) != NULL) {
			return false;
		}
	}
	return true;
}

static void
auth_user_free_groups(struct conn *c)
{
	size_t i;

	if (c->groups != NULL) {
		for (i = 0; c->groups[i] != NULL; i++) {
			free(c->groups[i]);
		}
		free(c->groups);
		c->groups = NULL;
	}
}

/* Group names of the user, primary first (getgrouplist order otherwise).
 * A gid without a name is skipped, as OpenSSH's ga_init does. */
static void
auth_user_groups(struct conn *c, const char *name)
{
	gid_t gids[AUTH_USER_MAX_GROUPS];
	int n = AUTH_USER_MAX_GROUPS, i, j, k = 0;
	struct group *gr;

	auth_user_free_groups(c);
	if (getgrouplist(name, c->gid, gids, &n) < 0) {
		log_error("getgrouplist for %.100s: more than %d groups; "
		    "using the first %d", name, AUTH_USER_MAX_GROUPS,
		    AUTH_USER_MAX_GROUPS);
		n = AUTH_USER_MAX_GROUPS;
	}
	c->groups = xcalloc((size_t)n + 2, sizeof(*c->groups));
	if ((gr = getgrgid(c->gid)) != NULL) {
		c->groups[k++] = xstrdup(gr->gr_name);
	}
	for (i = 0; i < n; i++) {
		if (gids[i] == c->gid) {
			continue;
		}
		for (j = 0; j < i; j++) {
			if (gids[j] == gids[i]) {
				break;
			}
		}
		if (j < i || (gr = getgrgid(gids[i])) == NULL) {
			continue;
		}
		c->groups[k++] = xstrdup(gr->gr_name);
	}
	c->groups[k] = NULL;
}

int
auth_user_lookup(struct conn *c, const char *name)
{
	struct passwd *pw;

	if ((pw = getpwnam(name)) == NULL) {
		return PC_ERR_NOTFOUND;
	}
	c->uid = pw->pw_uid;
	c->gid = pw->pw_gid;
	free(c->home);
	free(c->shell);
	c->home = xstrdup(pw->pw_dir != NULL ? pw->pw_dir : "/");
	c->shell = xstrdup(pw->pw_shell != NULL && pw->pw_shell[0] != '\0' ?
	    pw->pw_shell : AUTH_USER_DEFAULT_SHELL);
	auth_user_groups(c, name);
	return PC_OK;
}

/* DenyUsers / AllowUsers entries: USER or USER@HOST patterns.  1 match,
 * 0 none, -1 a malformed pattern (treated as a refusal). */
static int
auth_user_match_users(const struct conn *c, const struct strlist *l,
    const char *kw)
{
	size_t i;
	int r;

	for (i = 0; i < l->n; i++) {
		r = match_user(c->user, c->client_host, c->client_addr,
		    l->v[i]);
		if (r < 0) {
			log_error("Invalid %s pattern \"%.100s\" (%s:%d)", kw,
			    l->v[i], l->src[i].file ? l->src[i].file : "?",
			    l->src[i].line);
			return -1;
		}
		if (r > 0) {
			return 1;
		}
	}
	return 0;
}

/* DenyGroups / AllowGroups: each word is one glob, as OpenSSH ga_match. */
static bool
auth_user_match_groups(const struct conn *c, const struct strlist *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; c->groups != NULL && c->groups[j] != NULL; j++) {
			if (match_pattern(c->groups[j], l->v[i])) {
				return true;
			}
		}
	}
	return false;
}

int
auth_user_allowed(struct conn *c)
{
	const struct servconf *s = &c->cfg;
	struct stat st;
	int r;

	/* XXX no ChrootDirectory support, so the shell is always checked;
	 * locked accounts (shadow) are PAM's business here. */
	if (stat(c->shell, &st) != 0) {
		log_info("User %.100s not allowed because shell %.100s does "
		    "not exist", c->user, c->shell);
		return PC_ERR_DENIED;
	}
	if (!S_ISREG(st.st_mode) ||
	    (st.st_mode & (S_IXOTH | S_IXUSR | S_IXGRP)) == 0) {
		log_info("User %.100s not allowed because shell %.100s is not "
		    "executable", c->user, c->shell);
		return PC_ERR_DENIED;
	}
	if (s->deny_users.n > 0) {
		r = auth_user_match_users(c, &s->deny_users, "DenyUsers");
		if (r != 0) {
			if (r > 0) {
				log_info("User %.100s from %.100s not allowed "
				    "because listed in DenyUsers", c->user,
				    c->client_host);
			}
			return PC_ERR_DENIED;
		}
	}
	if (s->allow_users.n > 0) {
		r = auth_user_match_users(c, &s->allow_users, "AllowUsers");
		if (r <= 0) {
			if (r == 0) {
				log_info("User %.100s from %.100s not allowed "
				    "because not listed in AllowUsers",
				    c->user, c->client_host);
			}
			return PC_ERR_DENIED;
		}
	}
	if (s->deny_groups.n > 0 || s->allow_groups.n > 0) {
		if (c->groups == NULL || c->groups[0] == NULL) {
			log_info("User %.100s from %.100s not allowed because "
			    "not in any group", c->user, c->client_host);
			return PC_ERR_DENIED;
		}
		if (s->deny_groups.n > 0 &&
		    auth_user_match_groups(c, &s->deny_groups)) {
			log_info("User %.100s from %.100s not allowed because "
			    "a group is listed in DenyGroups", c->user,
			    c->client_host);
			return PC_ERR_DENIED;
		}
		if (s->allow_groups.n > 0 &&
		    !auth_user_match_groups(c, &s->allow_groups)) {
			log_info("User %.100s from %.100s not allowed because "
			    "none of user's groups are listed in AllowGroups",
			    c->user, c->client_host);
			return PC_ERR_DENIED;
		}
	}
	return PC_OK;
}

bool
auth_user_root_allowed(struct conn *c, const char *method,
    const struct key_opts *opts)
{
	if (c->uid != 0) {
		return true;
	}
	switch (c->cfg.permit_root_login) {
	case CFG_ROOT_YES:
		return true;
	case CFG_ROOT_PROHIBIT_PASSWORD:
		if (strcmp(method, "publickey") == 0) {
			return true;
		}
		break;
	case CFG_ROOT_FORCED_ONLY:
		if (opts != NULL && opts->command != NULL) {
			log_info("Root login accepted for forced command.");
			return true;
		}
		break;
	default:
		break;
	}
	log_info("ROOT LOGIN REFUSED FROM %.200s port %d", c->client_addr,
	    c->client_port);
	return false;
}

void
auth_user_reset(struct conn *c)
{
	auth_user_free_groups(c);
	free(c->home);
	free(c->shell);
	c->home = NULL;
	c->shell = NULL;
}

/*
 * The environment of a session's child: built from nothing (the daemon's
 * own environment never leaks in), in OpenSSH's do_setup_env() order so
 * that what an administrator sets wins over what a client or a key sets:
 *
 *   accepted client env < USER LOGNAME HOME PATH MAIL SHELL TZ TERM
 *   < key environment= and ~/.ssh/environment (PermitUserEnvironment)
 *   < PAM < SetEnv < SSH_CLIENT SSH_CONNECTION SSH_TTY SSH_ORIGINAL_COMMAND
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/match.h"
#include "common/xmalloc.h"
#include "sshd/session_int.h"

/* OpenSSH's _PATH_STDPATH as Debian builds it, and SUPERUSER_PATH. */
#define SESSION_PATH_USER "/usr/local/bin:/usr/bin:/bin:/usr/games"
#define SESSION_PATH_ROOT \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define SESSION_MAILDIR "/var/mail"
/* PAM modules must not forge these (OpenSSH PAM_ENV_DENYLIST). */
#define SESSION_PAM_DENY "SSH_AUTH_INFO*,SSH_CONNECTION*"

#define SESSION_ENVFILE_MAX_LINES 1000
#define SESSION_ENVFILE_MAX_LINE 4096

void
session_env_init(struct session_env *e)
{
	e->cap = 16;
	e->n = 0;
	e->v = xcalloc(e->cap, sizeof(*e->v));
}

void
session_env_free(struct session_env *e)
{
	size_t i;

	if (e->v == NULL) {
		return;
	}
	for (i = 0; i < e->n; i++) {
		free(e->v[i]);
	}
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

static long
session_env_find(const struct session_env *e, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], name, len) == 0 && e->v[i][len] == '=') {
			return (long)i;
		}
	}
	return -1;
}

static void
session_env_setn(struct session_env *e, const char *name, size_t len,
    const char *value)
{
	long i;
	char *nv;

	nv = xasprintf("%.*s=%s", (int)len, name, value);
	if ((i = session_env_find(e, name, len)) >= 0) {
		free(e->v[i]);
		e->v[i] = nv;
		return;
	}
	/* keep room for the terminating NULL */
	if (e->n + 2 > e->cap) {
		e->v = xreallocarray(e->v, e->cap * 2, sizeof(*e->v));
		e->cap *= 2;
	}
	e->v[e->n++] = nv;
	e->v[e->n] = NULL;
}

void
session_env_set(struct session_env *e, const char *name, const char *value)
{
	session_env_setn(e, name, strlen(name), value);
}

int
session_env_put(struct session_env *e, const char *nv)
{
	const char *eq;

	if ((eq = strchr(nv, '=')) == NULL || eq == nv) {
		return PC_ERR_INVAL;
	}
	session_env_setn(e, nv, (size_t)(eq - nv), eq + 1);
	return 0;
}

const char *
session_env_get(const struct session_env *e, const char *name)
{
	long i;
	size_t len = strlen(name);

	if ((i = session_env_find(e, name, len)) < 0) {
		return NULL;
	}
	return e->v[i] + len + 1;
}

int
session_env_acceptable(const struct strlist *accept_env, const char *name,
    const char *value)
{
	size_t i;

	if (name == NULL || value == NULL || *name == '\0' ||
	    strchr(name, '=') != NULL ||
	    strlen(name) > SESSION_ENV_MAX_NAME ||
	    strlen(value) > SESSION_ENV_MAX_VALUE) {
		return 0;
	}
	for (i = 0; accept_env != NULL && i < accept_env->n; i++) {
		if (match_pattern(name, accept_env->v[i])) {
			return 1;
		}
	}
	return 0;
}

/* The NAME of "NAME=value" (allocated), NULL if malformed. */
static char *
session_env_name(const char *nv)
{
	const char *eq;

	if ((eq = strchr(nv, '=')) == NULL || eq == nv) {
		return NULL;
	}
	return xstrndup(nv, (size_t)(eq - nv));
}

/* PermitUserEnvironment: "no" off, "yes" everything, else an allowlist. */
static int
session_env_user_allowed(const char *permit, const char *name)
{
	if (permit == NULL || strcmp(permit, "no") == 0) {
		return 0;
	}
	if (strcmp(permit, "yes") == 0) {
		return 1;
	}
	return match_pattern_list(name, permit, 0) == 1;
}

int
session_env_read_file(struct session_env *e, const char *path,
    const char *allow)
{
	FILE *f;
	char line[SESSION_ENVFILE_MAX_LINE + 2];
	char *s, *eq;
	size_t len;
	int lineno = 0, skipping = 0;

	if ((f = fopen(path, "re")) == NULL) {
		if (errno != ENOENT) {
			log_verbose("cannot read %s: %s", path,
			    strerror(errno));
		}
		return PC_ERR_NOTFOUND;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n') {
			line[--len] = '\0';
			if (skipping) {
				/* the tail of an over-long line */
				skipping = 0;
				continue;
			}
		} else if (!feof(f)) {
			log_verbose("%s:%d: line too long, skipped", path,
			    lineno + 1);
			skipping = 1;
			lineno++;
			continue;
		}
		if (++lineno > SESSION_ENVFILE_MAX_LINES) {
			log_verbose("%s: more than %d lines, rest ignored",
			    path, SESSION_ENVFILE_MAX_LINES);
			break;
		}
		for (s = line; isspace((unsigned char)*s); s++) {
			;
		}
		if (*s == '\0' || *s == '#') {
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL || eq == s) {
			log_verbose("%s:%d: invalid line", path, lineno);
			continue;
		}
		*eq = '\0';
		if (allow != NULL && match_pattern_list(s, allow, 0) != 1) {
			continue;
		}
		session_env_set(e, s, eq + 1);
	}
	fclose(f);
	return 0;
}

void
session_env_build(const struct session_env_in *in, struct session_env *e)
{
	const char *allow;
	char buf[512], *name;
	size_t i;

	/* 1. what the client sent and AcceptEnv let through */
	for (i = 0; in->client_env != NULL && i < in->client_env->n; i++) {
		session_env_put(e, in->client_env->v[i]);
	}

	/* 2. the basics, which the client cannot override */
	session_env_set(e, "USER", in->user);
	session_env_set(e, "LOGNAME", in->user);
	session_env_set(e, "HOME", in->home);
	session_env_set(e, "PATH",
	    in->uid == 0 ? SESSION_PATH_ROOT : SESSION_PATH_USER);
	snprintf(buf, sizeof(buf), "%s/%s", SESSION_MAILDIR, in->user);
	session_env_set(e, "MAIL", buf);
	session_env_set(e, "SHELL", in->shell);
	if (in->tz != NULL) {
		session_env_set(e, "TZ", in->tz);
	}
	if (in->term != NULL) {
		session_env_set(e, "TERM", in->term);
	}

	/* 3. the user's own: key environment= and ~/.ssh/environment */
	if (in->permit_user_env != NULL &&
	    strcmp(in->permit_user_env, "no") != 0) {
		allow = strcmp(in->permit_user_env, "yes") == 0 ? NULL :
		    in->permit_user_env;
		for (i = 0; i < in->nkey_env; i++) {
			if ((name = session_env_name(in->key_env[i])) ==
			    NULL) {
				continue;
			}
			if (session_env_user_allowed(in->permit_user_env,
			    name)) {
				session_env_put(e, in->key_env[i]);
			}
			free(name);
		}
		if (in->user_env_file != NULL) {
			(void)session_env_read_file(e, in->user_env_file,
			    allow);
		}
	}

	/* 4. PAM (pam_env, pam_mail, ...) */
	for (i = 0; in->pam_env != NULL && in->pam_env[i] != NULL; i++) {
		if ((name = session_env_name(in->pam_env[i])) == NULL) {
			continue;
		}
		if (match_pattern_list(name, SESSION_PAM_DENY, 0) != 1) {
			session_env_put(e, in->pam_env[i]);
		}
		free(name);
	}

	/* 5. the administrator's SetEnv */
	for (i = 0; in->set_env != NULL && i < in->set_env->n; i++) {
		if (session_env_put(e, in->set_env->v[i]) != 0) {
			log_error("SetEnv %s: not NAME=value, ignored",
			    in->set_env->v[i]);
		}
	}

	/* 6. what only the daemon knows */
	snprintf(buf, sizeof(buf), "%s %d %d", in->client_addr,
	    in->client_port, in->local_port);
	session_env_set(e, "SSH_CLIENT", buf);
	snprintf(buf, sizeof(buf), "%s %d %s %d", in->client_addr,
	    in->client_port, in->local_addr, in->local_port);
	session_env_set(e, "SSH_CONNECTION", buf);
	if (in->tty != NULL) {
		session_env_set(e, "SSH_TTY", in->tty);
	}
	if (in->original_command != NULL) {
		session_env_set(e, "SSH_ORIGINAL_COMMAND",
		    in->original_command);
	}
}

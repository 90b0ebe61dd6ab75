/* Private to the authentication files (auth.c, auth_user.c, auth_keys.c,
 * pam.c).  Nothing outside them includes this. */
#ifndef PC_AUTH_INT_H
#define PC_AUTH_INT_H

#include <stdbool.h>

#include <libssh/libssh.h>

#include "common/authkeys.h"
#include "sshd/conn.h"

struct pam_state;

/*
 * Per-connection state of the authentication module, hung off c->pam
 * (struct conn has no field of ours besides it; the name comes from
 * conn.h).  Created by the first auth_begin().
 */
struct pam_ctx {
	unsigned int requests;	/* userauth requests seen */
	bool name_bad;		/* failed the syntax check: never reaches
				 * NSS, PAM or the key files */
	bool exceeded;		/* MaxAuthTries reached: disconnected */
	char *pk_algs;		/* effective PubkeyAcceptedAlgorithms */
	struct pam_state *ps;	/* pam.c (UsePAM), NULL otherwise */
};

/* ---- auth.c ---- */
struct pam_ctx *auth_ctx(struct conn *c);
/* OpenSSH's auth_log line: "Accepted|Failed METHOD[/SUB] for [invalid
 * user ]USER from ADDR port P ssh2[: INFO]".  A failure also counts
 * toward MaxAuthTries and may end the connection. */
void auth_accepted(struct conn *c, const char *method, const char *sub,
    const char *info);
void auth_failed(struct conn *c, const char *method, const char *sub,
    const char *info);
/* End the connection now (reason goes to the client and the log). */
void auth_disconnect(struct conn *c, const char *reason);
/* Is the PAM path in use for this connection (UsePAM, root, built in)? */
bool auth_use_pam(const struct conn *c);

/* ---- auth_user.c ---- */
/* Syntax of a user name before it touches NSS, PAM or a log line. */
bool auth_user_name_ok(const char *name);
/* getpwnam + groups into c (uid, gid, home, shell, groups).  0 or
 * PC_ERR_NOTFOUND. */
int auth_user_lookup(struct conn *c, const char *name);
/* Shell, DenyUsers, AllowUsers, DenyGroups, AllowGroups (OpenSSH's order
 * and log lines).  0 or PC_ERR_DENIED. */
int auth_user_allowed(struct conn *c);
/* Forget what auth_user_lookup() filled in. */
void auth_user_reset(struct conn *c);
/* PermitRootLogin for a successful METHOD (opts: the key line, or NULL).
 * Logs "ROOT LOGIN REFUSED ..." when refused. */
bool auth_user_root_allowed(struct conn *c, const char *method,
    const struct key_opts *opts);

/* ---- auth_keys.c ---- */
/*
 * Search the AuthorizedKeysFile files for key.  0: found, opts filled
 * (file and line set); PC_ERR_NOTFOUND: not there (or only on lines
 * refused by from=/expiry-time, already logged); other PC_ERR_* on errors
 * (logged).
 */
int auth_keys_find(struct conn *c, ssh_key key, struct key_opts *opts);
/* Expand %h %u %U %% in one AuthorizedKeysFile entry; relative results
 * are made relative to home.  NULL (logged) on an unknown token. */
char *auth_keys_expand(const char *tmpl, const char *user, uid_t uid,
    const char *home);
/*
 * StrictModes on an open file: the file must be regular, owned by root
 * or uid, not group/world writable; so must every directory above it up
 * to home (or / when outside home).  0 or -1 with the reason in err.
 */
int auth_keys_secure(int fd, const char *path, uid_t uid, const char *home,
    char *err, size_t errlen);
/* "ED25519 SHA256:...." (or MD5 with FingerprintHash md5). */
char *auth_keys_describe(const struct conn *c, ssh_key key);
/* RSA modulus size in bits, 0 for other types or on error. */
int auth_keys_rsa_bits(ssh_key key);

#endif

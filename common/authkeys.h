/* authorized_keys line parsing (OpenSSH format, sshd(8) AUTHORIZED_KEYS
 * FILE FORMAT).  Options are parsed into struct key_opts, which the policy
 * and the session code consume.  The key itself (type + base64) is returned
 * as text; turning it into a key object is the daemon's job (libssh). */
#ifndef PC_AUTHKEYS_H
#define PC_AUTHKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define AUTHKEYS_MAX_LINE 16384	/* longer lines are refused */
#define AUTHKEYS_MAX_LIST 256	/* permitopen/permitlisten/environment */

struct key_opts {
	/* capability flags after left-to-right evaluation (restrict clears,
	 * later flags override earlier ones) */
	bool port_forwarding;
	bool agent_forwarding;
	bool x11_forwarding;
	bool pty;
	bool user_rc;
	bool restricted;	/* "restrict" appeared */
	bool no_touch_required;	/* FIDO keys: user presence not required */
	bool verify_required;	/* FIDO keys: user verification (PIN)
				 * required; libssh 0.10 cannot check it, so
				 * the daemon refuses such lines */
	char *command;		/* command="...", NULL if none */
	char *from;		/* from="pattern-list", NULL if none */
	time_t expiry;		/* expiry-time, 0 if none */
	char **permitopen;	/* "host:port" as written (unquoted) */
	size_t npermitopen;
	char **permitlisten;	/* "[host:]port" as written; a bare port
				 * means any host ("*"), as OpenSSH */
	size_t npermitlisten;
	char **environment;	/* "NAME=value" */
	size_t nenvironment;
	char *file;		/* authorized_keys path the line came from */
	int line;		/* its line number (file/line: set by the
				 * caller, the parser leaves them NULL/0) */
};

/* Defaults of a line with no options: everything permitted. */
void authkeys_opts_init(struct key_opts *o);
void authkeys_opts_free(struct key_opts *o);
void authkeys_opts_copy(struct key_opts *dst, const struct key_opts *src);

/*
 * Parse one authorized_keys line.  Blank lines and comments give
 * PC_ERR_NOTFOUND.  On success *keytype and *keyb64 point into a copy owned
 * by the caller (free(*buf)), opts is filled.  A malformed option gives
 * PC_ERR_INVAL with a message in err; the caller skips the line (never
 * loosened).  Unknown options are errors, as in OpenSSH.  Also
 * PC_ERR_INVAL: cert-authority / principals= lines and certificate key
 * types (certificates are out of scope), unknown key types, bad base64
 * text (only the characters are checked; decoding is libssh's).
 * PC_ERR_TOOLONG: line over AUTHKEYS_MAX_LINE; PC_ERR_LIMIT: a list over
 * AUTHKEYS_MAX_LIST.  On any error opts is left in its default state
 * (nothing to free) and *buf is NULL.  A trailing "\n" / "\r\n" is
 * ignored.  The key type is checked against the names OpenSSH 9.2 writes
 * (ssh-ed25519, ssh-rsa, ssh-dss, ecdsa-sha2-nistp256/384/521,
 * sk-ecdsa-sha2-nistp256@openssh.com, sk-ssh-ed25519@openssh.com).
 * Accepted without effect here: tunnel= (never offered).  no-touch-required
 * and verify-required only set their flags; enforcing them is the
 * daemon's job.
 */
int authkeys_parse_line(const char *line, struct key_opts *opts,
    char **buf, const char **keytype, const char **keyb64,
    char *err, size_t errlen);

/* Parse just an options string ("opt1,opt2=\"v\",..."). */
int authkeys_parse_options(const char *s, struct key_opts *opts,
    char *err, size_t errlen);

#endif

/* Authentication (issue: foundation + accounts).  conn.c owns the libssh
 * callback structs and calls these; auth.c owns the rules and the log
 * lines (OpenSSH wording, DESIGN.md 'Logging').
 *
 * Wiring (what conn.c does):
 *  - server callbacks: password / pubkey / none each call auth_begin(c,
 *    user, method) first, deny if it returns -1, then
 *    ssh_set_auth_methods(session, auth_methods(c)) and the matching
 *    auth_*(); c->authenticated = true when auth_password returns
 *    SSH_AUTH_SUCCESS, or auth_pubkey returns it with state _VALID;
 *  - message callback, SSH_REQUEST_AUTH: for keyboard-interactive
 *    requests that are not responses, auth_begin() as above (return 1 if
 *    it fails); then auth_handle_message(), whose return value is the
 *    callback's.  It replies itself and sets c->authenticated on success;
 *  - after the loop: auth_finish() as root before the privilege split;
 *    auth_cleanup() in the privileged process at the end.
 * The per-connection state lives behind c->pam (sshd/auth_int.h).
 * auth_begin() and the auth_*() functions may end the connection
 * (ssh_disconnect: MaxAuthTries, user change, PAM account refusal); the
 * loop then sees a closed session. */
#ifndef PC_AUTH_H
#define PC_AUTH_H

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sshd/conn.h"

/* Called for every auth request before anything else: the first time a
 * user name is seen it is validated (syntax, NSS, Allow/Deny lists,
 * PermitRootLogin, Match re-resolution of c->cfg with user and groups);
 * a client that changes user names mid-auth is disconnected as OpenSSH
 * does.  Also counts attempts against MaxAuthTries (disconnects when
 * exceeded, with OpenSSH's log line).  Returns 0 to go on, -1 when the
 * request must be denied without further checks. */
int auth_begin(struct conn *c, const char *user, const char *method);

/* libssh auth_pubkey_function semantics (SSH_PUBLICKEY_STATE_NONE probe /
 * _VALID signature checked); returns SSH_AUTH_SUCCESS or SSH_AUTH_DENIED.
 * On success with VALID fills c->key_opts and logs "Accepted publickey". */
int auth_pubkey(struct conn *c, const char *user, ssh_key key,
    char signature_state);
/* Password through PAM (UsePAM yes); without PAM always denied. */
int auth_password(struct conn *c, const char *user, const char *password);
/* "none": always denied (logged at debug); reports the methods list. */
int auth_none(struct conn *c, const char *user);
/* SSH_REQUEST_AUTH messages libssh does not dispatch to server callbacks
 * (keyboard-interactive).  Returns 0 if it replied, 1 if not handled. */
int auth_handle_message(struct conn *c, ssh_message msg);
/* Methods to advertise (SSH_AUTH_METHOD_* bits) for the current c->cfg. */
int auth_methods(const struct conn *c);
/* After success: PAM account/session, setcred, environment.  0 or
 * PC_ERR_DENIED (connection must end). */
int auth_finish(struct conn *c);
/* At connection end (in the privileged monitor): PAM session close. */
void auth_cleanup(struct conn *c);
/* Does this connection hold a PAM handle (UsePAM path taken) that
 * auth_cleanup() must close? */
bool auth_has_pam(const struct conn *c);

#endif

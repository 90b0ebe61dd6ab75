/* PAM for the authentication module (only built WITH_PAM; auth.c calls
 * these under #ifdef HAVE_PAM).  Service name PC_PAM_SERVICE: the file
 * /etc/pam.d/portcullis (tests point PAM_WRAPPER_SERVICE_DIR elsewhere). */
#ifndef PC_PAM_H
#define PC_PAM_H

#include <stdbool.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sshd/conn.h"

#define PC_PAM_SERVICE "portcullis"

/* pam_authenticate with a conversation that answers the password.
 * force_fail: run PAM with a password that cannot match (same timing for
 * refused cases, as OpenSSH).  PC_OK or PC_ERR_DENIED. */
int pam_password(struct conn *c, const char *password, bool force_fail);

/* pam_acct_mgmt after a successful method.  PC_OK, or PC_ERR_DENIED after
 * logging "Access denied for user X by PAM account configuration" and
 * ending the connection. */
int pam_account(struct conn *c);

/* Keyboard-interactive (initial request or response message): PAM runs in
 * a helper thread whose conversation is relayed over the network.
 * Returns as a message callback: 0 replied, 1 default reply (failure).
 * Sets c->authenticated on success. */
int pam_kbdint(struct conn *c, ssh_message msg);

/* After authentication, as root: pam_setcred + pam_open_session, PAM's
 * environment into c->pam_env.  PC_OK or PC_ERR_DENIED (logged). */
int pam_session_open(struct conn *c);

/* In the privileged process at the end: close the session, delete the
 * credentials, pam_end.  Safe to call when nothing was started. */
void pam_done(struct conn *c);

#endif

/* Privilege separation after authentication (DESIGN.md 'Process model'):
 * the privileged monitor waits and closes PAM; the child becomes the user
 * for good and runs the session loop. */
#ifndef PC_PRIVSEP_H
#define PC_PRIVSEP_H

#include "sshd/conn.h"

/* Forks.  Returns 0 in the child, which now runs as the user (verified:
 * root cannot be regained; not dumpable).  In the parent it does not
 * return: the monitor waits for the child, runs auth_cleanup() and exits.
 * PC_ERR_* on failure (the connection must end). */
int privsep_split(struct conn *c);

/* Is the monitor needed?  Not for root without PAM: there is no
 * privilege to drop and no PAM session to close (as OpenSSH, which skips
 * its post-authentication split for root); the connection process then
 * runs the session loop itself and ends with auth_cleanup(). */
bool privsep_needed(const struct conn *c);

/* Drop to c->uid/c->gid/supplementary groups and verify.  0 or PC_ERR_*. */
int privsep_drop(const struct conn *c);

#endif

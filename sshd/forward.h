/* TCP forwarding: direct-tcpip, tcpip-forward, cancel-tcpip-forward,
 * forwarded-tcpip (DESIGN.md 'Forwarding'). */
#ifndef PC_FORWARD_H
#define PC_FORWARD_H

#include <libssh/libssh.h>

#include "sshd/conn.h"

/* Once, after privileges are dropped, before the session loop runs
 * (builds c->policy from c->cfg and c->key_opts). */
int fwd_init(struct conn *c);
/* From the message callback: SSH_REQUEST_CHANNEL_OPEN (direct-tcpip and
 * other non-session types) and SSH_REQUEST_GLOBAL.  Replies before
 * returning.  Returns 0 if it replied, 1 if the message is not ours. */
int fwd_handle_message(struct conn *c, ssh_message msg);
/* Close listeners and channels at the end of the connection. */
void fwd_cleanup(struct conn *c);

#endif

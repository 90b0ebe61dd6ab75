/* Session channels: pty, shell, exec, subsystem, env, signals, exit
 * status (DESIGN.md, issue 'Foundation'). */
#ifndef PC_SESSION_H
#define PC_SESSION_H

#include <libssh/libssh.h>

#include "sshd/conn.h"

/* Once, after privileges are dropped, before the session loop runs. */
int session_init(struct conn *c);
/* channel_open_request_session_function: a new channel with our callbacks
 * installed, or NULL to refuse (MaxSessions, ...). */
ssh_channel session_channel_open(struct conn *c);
/* SIGCHLD handling and cleanup: call when the loop ends. */
void session_cleanup(struct conn *c);
/* Number of session channels open (for MaxSessions, end of loop). */
int session_count(const struct conn *c);

#endif

/* ClientAliveInterval / ClientAliveCountMax in the session loop. */
#ifndef PC_ALIVE_H
#define PC_ALIVE_H

#include "sshd/conn.h"

/* Register the check on c->loop when ClientAliveInterval > 0. */
int alive_init(struct conn *c);

#endif

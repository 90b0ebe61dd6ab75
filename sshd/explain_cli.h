/* portcullisd -X: explain one forwarding decision with the same code the
 * daemon uses for real requests (DESIGN.md 'Command line'). */
#ifndef PC_EXPLAIN_CLI_H
#define PC_EXPLAIN_CLI_H

#include "sshd/daemon.h"

/* Prints the decision; returns the exit code: 0 allow, 1 deny, 255 error. */
int explain_cli_run(struct daemon *d, const char *spec);

#endif

/* State of the listening daemon, handed to each connection process. */
#ifndef PC_DAEMON_H
#define PC_DAEMON_H

#include <stdbool.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sshd/config.h"

struct daemon {
	/* command line */
	const char *config_path;
	struct strlist cmdline;		/* -o, -h, -4/-6 as config lines */
	struct strlist cli_ports;	/* -p: replaces Port from the file */
	int debug;			/* -d count: one connection, no fork */
	bool foreground;		/* -D */
	bool log_stderr;		/* -e */
	bool quiet;			/* -q */
	const char *log_file;		/* -E */

	/* configuration in force */
	struct config *config;
	struct servconf global;		/* global section, -p applied */
	ssh_bind bind;
	bool running_as_root;
	uid_t uid;			/* who started us */
	char *self_user;		/* non-root mode: the only user */
};

/* Load the configuration (file + command line) into d->config and
 * d->global.  0 or PC_ERR_CONFIG (already logged). */
int daemon_load_config(struct daemon *d, struct config **cfgp,
    struct servconf *global);

/* Apply LogLevel / SyslogFacility of cfg unless -d/-q/-e forced them. */
void daemon_apply_logging(const struct daemon *d, const struct servconf *cfg);

/* The listener: never returns except on fatal error (-1) or SIGTERM (0). */
int listener_run(struct daemon *d);

/* The connection process: never returns. */
void conn_main(struct daemon *d, int sock, int startup_fd)
    __attribute__((noreturn));

#endif

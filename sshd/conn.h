/* Per-connection state, shared by every module of the connection process. */
#ifndef PC_CONN_H
#define PC_CONN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/types.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/authkeys.h"
#include "sshd/config.h"

struct policy;
struct sloop;
struct fwd_state;
struct session_state;
struct pam_ctx;

struct conn {
	ssh_session session;
	struct sloop *loop;
	const struct config *config;	/* whole file, for Match */
	struct servconf cfg;		/* effective settings; pre-auth the
					 * global ones, re-resolved when the
					 * user is known */
	int sock;			/* the client's TCP socket */

	/* peer, local end (numeric) */
	char client_addr[INET6_ADDRSTRLEN];
	int client_port;
	char local_addr[INET6_ADDRSTRLEN];
	int local_port;
	char *client_host;		/* UseDNS name or == client_addr */

	/* authentication */
	char *user;			/* validated user name, NULL before */
	bool user_valid;		/* exists, allowed by Allow/Deny... */
	uid_t uid;
	gid_t gid;
	char *home, *shell;
	char **groups;			/* NULL-terminated, primary first */
	int auth_attempts;		/* counted toward MaxAuthTries */
	bool authenticated;
	bool disconnecting;		/* we sent DISCONNECT (logged why) */
	const char *auth_method;	/* "publickey", "password", ... */
	char *auth_info;		/* "ED25519 SHA256:..." for the log */
	struct key_opts key_opts;	/* options of the key line used */
	bool have_key_opts;
	bool running_as_root;		/* daemon started by root */

	/* after authentication */
	struct policy *policy;
	struct fwd_state *fwd;
	struct session_state *sess;
	struct pam_ctx *pam;
	char **pam_env;			/* NULL-terminated */
};

/*
 * End a connection, monitor or session process: _exit() after flushing
 * stdio, without the libraries' exit handlers and destructors (OpenSSL,
 * krb5, gssapi, libgcrypt... free memory the kernel drops anyway, at the
 * price of copy-on-write faults).  A sanitizer build keeps exit() so
 * LeakSanitizer still runs.  Everything that must happen (PAM close, the
 * final log lines) is done by the caller before; log.c writes unbuffered.
 */
void conn_quit(int code) __attribute__((noreturn));

#endif

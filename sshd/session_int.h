/*
 * Interfaces between the files of the session part (sshd/session*.c);
 * nothing outside the part includes this.  conn.c uses sshd/session.h.
 */
#ifndef PC_SESSION_INT_H
#define PC_SESSION_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "common/strlist.h"

/* ---- session_sig.c: RFC 4254 6.9/6.10 signal names ("TERM", no SIG) --- */

/* Signal number for a name a client sent, or -1 if we do not deliver it. */
int session_sig_from_name(const char *name);
/* Name for exit-signal; "SIG@openssh.com" for signals without one, as
 * OpenSSH sends. */
const char *session_sig_name(int sig);

/* ---- session_env.c: the child's environment ---- */

#define SESSION_ENV_MAX_CLIENT 128	/* accepted env requests per channel */
#define SESSION_ENV_MAX_NAME 256	/* bytes, client-sent names */
#define SESSION_ENV_MAX_VALUE 16384	/* bytes, client-sent values */

/* A growable NULL-terminated "NAME=value" vector (what execve takes). */
struct session_env {
	char **v;
	size_t n, cap;
};

void session_env_init(struct session_env *e);
void session_env_free(struct session_env *e);
/* Set or replace NAME. */
void session_env_set(struct session_env *e, const char *name,
    const char *value);
/* Set from "NAME=value"; entries without '=' or with an empty name are
 * ignored (returns PC_ERR_INVAL). */
int session_env_put(struct session_env *e, const char *nv);
/* Value of NAME or NULL. */
const char *session_env_get(const struct session_env *e, const char *name);

/*
 * Whether a client "env" request may set NAME (AcceptEnv patterns, OpenSSH
 * semantics: each word is a glob).  Also refuses names that are empty,
 * contain '=' or are longer than SESSION_ENV_MAX_NAME.  1 accept, 0 refuse.
 */
int session_env_acceptable(const struct strlist *accept_env,
    const char *name, const char *value);

/* Everything the environment is made of (OpenSSH do_setup_env order). */
struct session_env_in {
	const char *user, *home, *shell;
	uid_t uid;
	const char *client_addr, *local_addr;
	int client_port, local_port;
	const char *term;		/* pty-req TERM or NULL */
	const char *tty;		/* /dev/pts/N or NULL */
	const char *original_command;	/* forced: what the client asked */
	const struct session_env *client_env;	/* accepted env requests */
	char *const *key_env;		/* environment="..." of the key */
	size_t nkey_env;
	const char *permit_user_env;	/* "no", "yes" or a pattern list */
	const char *user_env_file;	/* ~/.ssh/environment or NULL */
	char *const *pam_env;		/* NULL-terminated or NULL */
	const struct strlist *set_env;	/* SetEnv NAME=value words */
	const char *tz;			/* the daemon's TZ, or NULL */
};

/* Build the child's environment into e (initialised by the caller). */
void session_env_build(const struct session_env_in *in, struct session_env *e);

/* Read a ~/.ssh/environment style file (NAME=value lines, '#' comments)
 * into e, keeping names allowed by allow (NULL: all).  Bounded: at most
 * 1000 lines of 4096 bytes; longer lines are skipped.  0, or
 * PC_ERR_NOTFOUND when the file does not exist. */
int session_env_read_file(struct session_env *e, const char *path,
    const char *allow);

/* ---- session_pty.c ---- */

struct session_pty {
	int master;		/* -1 when none */
	int slave;
	char name[64];		/* /dev/pts/N */
};

void session_pty_init(struct session_pty *p);
/* openpty, window size, slave owned by uid with mode 0620. */
int session_pty_open(struct session_pty *p, int cols, int rows, int xpix,
    int ypix);
/* TIOCSWINSZ on the master. */
int session_pty_resize(struct session_pty *p, int cols, int rows, int xpix,
    int ypix);
void session_pty_close(struct session_pty *p);

/* ---- session_exec.c: fork and exec the user's program ---- */

struct session_spawn {
	const char *shell;	/* absolute path of the user's shell */
	const char *command;	/* NULL: login shell ("-sh") */
	char *const *env;	/* NULL-terminated */
	const char *home;	/* chdir target; "/" when it fails */
	int pty_slave;		/* -1: no pty, use pipes */
	bool discard_stderr;	/* subsystems: stderr to /dev/null */
	const char *rc_path;	/* ~/.ssh/rc or the system sshrc, run with
				 * /bin/sh before the command; NULL: none */
};

/*
 * Fork the child.  With a pty the child gets the slave as its controlling
 * terminal and stdin/out/err (the caller keeps the master); without, three
 * pipes, whose parent ends (non-blocking, close-on-exec) are returned in
 * *infd (child stdin), *outfd (child stdout), *efd (child stderr, -1 when
 * discarded or with a pty).  0 or PC_ERR_SYSTEM.
 */
int session_exec_spawn(const struct session_spawn *sp, pid_t *pid,
    int *infd, int *outfd, int *efd);

/* ---- one session channel (session.c owns its lifetime) ---- */

struct conn;
struct relay;
struct relay_stats;
struct session_state;

enum sess_kind { SESS_SHELL, SESS_EXEC, SESS_SUBSYSTEM };

struct sess {
	struct session_state *st;
	struct conn *c;
	ssh_channel ch;			/* NULL once the channel is gone */
	struct ssh_channel_callbacks_struct cb;
	int id;

	/* before start */
	struct session_pty pty;
	char *term;
	struct session_env client_env;
	size_t nclient_env;
	bool peer_closed;		/* CLOSE seen (our callback) */

	/* running */
	bool started;
	bool forced, is_subsystem;
	pid_t pid;			/* -1: none or reaped */
	bool exited;
	int wstatus;
	struct relay *relay;
	bool output_done;
	bool status_sent;
	bool relay_done;

	struct sess *next;
};

/* session.c: the relay's hooks (RELAY_SESSION). */
void session_on_output_done(struct relay *r, void *arg);
void session_on_done(struct relay *r, const struct relay_stats *stats,
    void *arg);

/* ---- session_start.c ---- */

/*
 * shell (command NULL), exec, subsystem (command = the Subsystem line,
 * what = its name): pick the command, build the environment, fork, set up
 * the relay.  0 when the child runs (the request gets SUCCESS).
 */
int session_start_run(struct sess *s, enum sess_kind kind,
    const char *command, const char *what);

#endif

/* Internals shared by forward.c and fwd_*.c (not a contract). */
#ifndef PC_FWD_INT_H
#define PC_FWD_INT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "common/addr.h"
#include "policy/policy.h"
#include "sshd/conn.h"
#include "sshd/relay.h"

#define FWD_MAX_ADDRS 16	/* addresses kept from one lookup */
#define FWD_MAX_BIND 8		/* sockets of one listener */
#define FWD_ACCEPTS 16		/* accepts per listener and round */
#define FWD_LISTEN_BACKLOG 128

/* The addresses a name resolved to (checked by the policy, then used for
 * the connect or bind: no second lookup). */
struct fwd_addrs {
	size_t n;
	struct sockaddr_storage ss[FWD_MAX_ADDRS];
	socklen_t len[FWD_MAX_ADDRS];
	struct pc_addr pa[FWD_MAX_ADDRS];
};

/*
 * One forwarded channel.
 *
 *   direct-tcpip:    [CONNECTING] -> OPEN (relay) -> freed in on_done
 *   forwarded-tcpip: OPENING -> OPEN (relay) -> freed in on_done
 *
 * CONNECTING: the channel was accepted while the connect was still in
 * progress after ForwardConnectWait; our own callbacks hold the client's
 * bytes (return 0) until the relay takes over.  OPENING: the CHANNEL_OPEN
 * was sent; the accepted socket is not read until it is confirmed.
 */
enum fwd_chan_state { FC_CONNECTING, FC_OPENING, FC_OPEN };

struct fwd_chan {
	struct fwd_state *fs;
	struct fwd_chan *prev, *next;
	enum fwd_chan_state state;
	bool remote;		/* forwarded-tcpip (-R) */
	char *host;		/* direct: target as sent; remote: the
				 * client's listen string */
	int port;		/* direct: target port; remote: bound port */
	ssh_channel ch;
	int fd;			/* target / accepted socket until the relay */
	struct relay *relay;
	struct timespec started;

	/* CONNECTING */
	struct fwd_addrs *addrs;
	size_t next_addr;
	bool conn_ready;	/* POLLOUT seen */
	bool peer_closed;	/* CLOSE before the relay existed */
	struct ssh_channel_callbacks_struct cb;

	/* OPENING */
	char peer_ip[INET6_ADDRSTRLEN];
	int peer_port;
};

struct fwd_listener {
	struct fwd_state *fs;
	struct fwd_listener *next;
	char *addr;		/* the client's exact string */
	int req_port;		/* as requested (0: dynamic) */
	int port;		/* bound */
	int fds[FWD_MAX_BIND];
	int nfds;
	bool ready;		/* a listening socket is readable */
	bool dead;		/* cancelled: freed by the next tick (a
				 * cancel can arrive in a recursive libssh
				 * round while the tick walks the list) */
};

struct fwd_lookup;		/* fwd_connect.c */

struct fwd_state {
	struct conn *c;
	int tick_id;
	struct fwd_chan *chans;
	size_t nchans;
	size_t npending;	/* CONNECTING + OPENING */
	struct fwd_listener *listeners;
	size_t nlisteners;
	struct fwd_lookup *orphans;	/* lookups that outlived their bound */
};

/* forward.c */
void fwd_subject(const struct conn *c, struct pc_subject *s);
int fwd_family(const struct conn *c);
void fwd_log_decision(const struct fwd_state *fs, const struct pc_request *r,
    const struct pc_decision *d);
void fwd_log_openssh_denial(const struct fwd_state *fs,
    const struct pc_request *r, const char *orig, int oport,
    const struct pc_decision *d);
const char *fwd_hostport(const char *host, int port, char *buf, size_t len);
struct fwd_chan *fwd_chan_new(struct fwd_state *fs, enum fwd_chan_state st,
    bool remote, const char *host, int port, ssh_channel ch, int fd);
void fwd_chan_free(struct fwd_chan *fc);
bool fwd_chan_limit(struct fwd_state *fs, const char *what, const char *host,
    int port);
int fwd_chan_start_relay(struct fwd_chan *fc);
void fwd_chan_fail(struct fwd_chan *fc, const char *why);

/* fwd_connect.c: bounded name lookup and non-blocking connect */
enum fwd_conn_result { FWD_CONN_OK, FWD_CONN_PENDING, FWD_CONN_FAIL };
int fwd_resolve(struct fwd_state *fs, const char *host, int port, int family,
    bool passive, int timeout_s, struct fwd_addrs *out, char *err,
    size_t errlen);
enum fwd_conn_result fwd_connect(const struct fwd_addrs *a, size_t *next,
    int wait_ms, int *fdp, int *err);
enum fwd_conn_result fwd_connect_finish(int fd, int *err);
void fwd_lookup_reap(struct fwd_state *fs, bool cancel);
void fwd_socket_tune(int fd);

/* fwd_local.c: direct-tcpip */
int fwd_local_open(struct fwd_state *fs, ssh_message msg);
void fwd_local_tick(struct fwd_chan *fc);

/* fwd_remote.c: tcpip-forward, cancel-tcpip-forward, forwarded-tcpip */
int fwd_remote_listen(struct fwd_state *fs, ssh_message msg);
int fwd_remote_cancel(struct fwd_state *fs, ssh_message msg);
void fwd_remote_tick(struct fwd_state *fs);
void fwd_remote_opening_tick(struct fwd_chan *fc);
void fwd_remote_cleanup(struct fwd_state *fs);

#endif

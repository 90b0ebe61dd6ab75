/*
 * The listener (root): binds ListenAddress x Port, accepts, applies
 * MaxStartups and PerSourceMaxStartups, forks one connection process per
 * connection.  It never creates an ssh_session (DESIGN.md 'Process
 * model'): a crash in a connection costs one user, never the service.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "common/addr.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/daemon.h"
#include "sshd/sshbind.h"

#define LISTENER_MAX_SOCKS 64
#define LISTENER_MAX_CHILDREN 16384
/* While connections are being dropped, one drop line a minute at INFO. */
#define LISTENER_DROP_INFO_EVERY 60

struct lchild {
	pid_t pid;
	int startup_fd;		/* read end; -1 once authenticated */
	struct pc_addr src;
	bool have_src;
};

struct listener {
	int socks[LISTENER_MAX_SOCKS];
	size_t nsocks;
	bool activated;		/* sockets came from systemd */
	char *spec;		/* what the sockets were made from */
	struct lchild *kids;
	size_t nkids, kidcap;
	struct pollfd *pfds;	/* poll set, rebuilt every round */
	unsigned long conn_count;
	unsigned long drops;	/* in the current throttling episode */
	time_t drop_first, drop_info;
};

static volatile sig_atomic_t listener_got_hup;
static volatile sig_atomic_t listener_got_term;
static volatile sig_atomic_t listener_got_chld;
static int listener_sigpipe[2] = { -1, -1 };

static void
listener_sig(int sig)
{
	int saved = errno;
	char c = (char)sig;
	ssize_t r;

	if (sig == SIGHUP)
		listener_got_hup = 1;
	else if (sig == SIGCHLD)
		listener_got_chld = 1;
	else
		listener_got_term = sig;
	r = write(listener_sigpipe[1], &c, 1);
	(void)r;
	errno = saved;
}

static void
listener_notify(const char *state)
{
#ifdef HAVE_SYSTEMD
	(void)sd_notify(0, state);
#else
	(void)state;
#endif
}

static int
listener_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return PC_ERR_SYSTEM;
	return PC_OK;
}

/* One text that changes whenever the set of sockets should change. */
static char *
listener_spec(const struct servconf *cfg)
{
	char *ports = strlist_join(&cfg->ports, ",");
	char *addrs = strlist_join(&cfg->listen_addrs, ",");
	char *s = xasprintf("%d|%s|%s", cfg->address_family, ports, addrs);

	free(ports);
	free(addrs);
	return s;
}

static int
listener_bind_one(struct listener *l, const char *host, const char *port,
    int family)
{
	struct addrinfo hints, *res = NULL, *ai;
	char hbuf[NI_MAXHOST], sbuf[NI_MAXSERV];
	int r, fd, on = 1, bound = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_error("bad addr or host: %s (%s)", host ? host : "*",
		    gai_strerror(r));
		return PC_ERR_CONFIG;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (l->nsocks >= LISTENER_MAX_SOCKS) {
			log_error("Too many listen sockets. Enlarge "
			    "LISTENER_MAX_SOCKS");
			break;
		}
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, hbuf, sizeof(hbuf),
		    sbuf, sizeof(sbuf), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
			snprintf(hbuf, sizeof(hbuf), "?");
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			log_verbose("socket: %s", strerror(errno));
			continue;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) != 0)
			log_error("setsockopt SO_REUSEADDR: %s", strerror(errno));
		if (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
		    IPV6_V6ONLY, &on, sizeof(on)) != 0)
			log_error("setsockopt IPV6_V6ONLY: %s", strerror(errno));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			log_error("Bind to port %s on %s failed: %s.", sbuf,
			    hbuf, strerror(errno));
			close(fd);
			continue;
		}
		if (listen(fd, SOMAXCONN) != 0 ||
		    listener_set_nonblock(fd) != PC_OK) {
			log_error("listen on [%s]:%s: %s", hbuf, sbuf,
			    strerror(errno));
			close(fd);
			continue;
		}
		l->socks[l->nsocks++] = fd;
		bound++;
		log_info("Server listening on %s port %s.", hbuf, sbuf);
	}
	freeaddrinfo(res);
	return bound > 0 ? PC_OK : PC_ERR_SYSTEM;
}

static int
listener_family(const struct servconf *cfg)
{
	if (cfg->address_family == CFG_AF_INET)
		return AF_INET;
	if (cfg->address_family == CFG_AF_INET6)
		return AF_INET6;
	return AF_UNSPEC;
}

static void
listener_close_socks(struct listener *l)
{
	size_t i;

	if (l->activated)
		return;
	for (i = 0; i < l->nsocks; i++)
		close(l->socks[i]);
	l->nsocks = 0;
}

/* ListenAddress forms (sshd_config(5)): "host", "v4:port", "[v6]",
 * "[v6]:port", and a bare IPv6 address (two or more colons). */
static int
listener_split(const char *la, char *host, size_t hlen, char *port,
    size_t plen)
{
	const char *c, *e;

	port[0] = '\0';
	if (la[0] == '[') {
		if ((e = strchr(la, ']')) == NULL || (size_t)(e - la) > hlen)
			return PC_ERR_INVAL;
		snprintf(host, hlen, "%.*s", (int)(e - la - 1), la + 1);
		if (e[1] == '\0')
			return PC_OK;
		if (e[1] != ':' || e[2] == '\0')
			return PC_ERR_INVAL;
		snprintf(port, plen, "%s", e + 2);
		return PC_OK;
	}
	c = strchr(la, ':');
	if (c != NULL && strchr(c + 1, ':') == NULL) {
		if (c == la || c[1] == '\0')
			return PC_ERR_INVAL;
		snprintf(host, hlen, "%.*s", (int)(c - la), la);
		snprintf(port, plen, "%s", c + 1);
		return PC_OK;
	}
	if (snprintf(host, hlen, "%s", la) >= (int)hlen)
		return PC_ERR_TOOLONG;
	return PC_OK;
}

/* Open every ListenAddress x Port.  At least one socket, or an error. */
static int
listener_open(struct listener *l, const struct servconf *cfg)
{
	char host[NI_MAXHOST], port[NI_MAXSERV];
	size_t i, j;
	int family = listener_family(cfg);

#ifdef HAVE_SYSTEMD
	{
		int n = sd_listen_fds(0);

		if (n > 0) {
			for (i = 0; i < (size_t)n && i < LISTENER_MAX_SOCKS;
			    i++) {
				l->socks[i] = SD_LISTEN_FDS_START + (int)i;
				(void)listener_set_nonblock(l->socks[i]);
				(void)fcntl(l->socks[i], F_SETFD, FD_CLOEXEC);
			}
			l->nsocks = i;
			l->activated = true;
			log_info("Using %zu socket(s) passed by systemd",
			    l->nsocks);
			return PC_OK;
		}
	}
#endif
	if (cfg->listen_addrs.n == 0) {
		for (j = 0; j < cfg->ports.n; j++)
			(void)listener_bind_one(l, NULL, cfg->ports.v[j],
			    family);
	}
	for (i = 0; i < cfg->listen_addrs.n; i++) {
		if (listener_split(cfg->listen_addrs.v[i], host, sizeof(host),
		    port, sizeof(port)) != PC_OK) {
			log_error("bad ListenAddress \"%s\"",
			    cfg->listen_addrs.v[i]);
			continue;
		}
		if (port[0] != '\0') {
			(void)listener_bind_one(l, host, port, family);
			continue;
		}
		for (j = 0; j < cfg->ports.n; j++)
			(void)listener_bind_one(l, host, cfg->ports.v[j],
			    family);
	}
	if (l->nsocks == 0) {
		log_error("Cannot bind any address.");
		return PC_ERR_SYSTEM;
	}
	return PC_OK;
}

static int
listener_write_pidfile(const struct servconf *cfg)
{
	FILE *f;

	if (cfg->pid_file == NULL || strcmp(cfg->pid_file, "none") == 0)
		return PC_OK;
	if ((f = fopen(cfg->pid_file, "w")) == NULL) {
		log_error("Couldn't create pid file \"%s\": %s", cfg->pid_file,
		    strerror(errno));
		return PC_ERR_SYSTEM;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0)
		return PC_ERR_SYSTEM;
	return PC_OK;
}

static void
listener_remove_pidfile(const struct servconf *cfg)
{
	if (cfg->pid_file != NULL && strcmp(cfg->pid_file, "none") != 0)
		(void)unlink(cfg->pid_file);
}

static size_t
listener_startups(const struct listener *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->nkids; i++) {
		if (l->kids[i].startup_fd >= 0)
			n++;
	}
	return n;
}

/* Same netblock under PerSourceNetBlockSize? */
static bool
listener_same_block(const struct servconf *cfg, const struct pc_addr *a,
    const struct pc_addr *b)
{
	unsigned int bits;

	if (a->af != b->af)
		return false;
	bits = a->af == AF_INET ? (unsigned int)cfg->per_source_netblock_v4 :
	    (unsigned int)cfg->per_source_netblock_v6;
	return addr_in_cidr(a, b, bits) == 1;
}

/* OpenSSH's drop_connection(): random early drop between start and full,
 * plus the per-source limit of OpenSSH 9.8. */
static bool
listener_should_drop(struct listener *l, const struct servconf *cfg,
    const struct pc_addr *src, bool have_src, const char **why)
{
	size_t startups = listener_startups(l), i, same = 0;
	int p, r;

	if (have_src && cfg->per_source_max_startups > 0) {
		for (i = 0; i < l->nkids; i++) {
			if (l->kids[i].startup_fd >= 0 && l->kids[i].have_src &&
			    listener_same_block(cfg, src, &l->kids[i].src))
				same++;
		}
		if (same >= (size_t)cfg->per_source_max_startups) {
			*why = "past PerSourceMaxStartups";
			return true;
		}
	}
	*why = "past MaxStartups";
	if (startups >= (size_t)cfg->max_startups_full)
		return true;
	if (startups < (size_t)cfg->max_startups_begin)
		return false;
	p = 100 - cfg->max_startups_rate;
	p *= (int)startups - cfg->max_startups_begin;
	p /= cfg->max_startups_full - cfg->max_startups_begin;
	p += cfg->max_startups_rate;
	r = (int)(random() % 100);
	return r < p;
}

/*
 * OpenSSH 9.2's lines: "beginning MaxStartups throttling" when drops start,
 * each drop at INFO at most once a minute (VERBOSE otherwise), and
 * "exited MaxStartups throttling after HH:MM:SS, N connections dropped"
 * when a connection is accepted again.  One INFO line per drop let a single
 * source write ~10,000 lines a second into syslog (tests/load/l_slowloris).
 */
static void
listener_log_drop(struct listener *l, const char *sbuf, int sport,
    const char *lbuf, int lport, const char *why)
{
	time_t now = time(NULL);

	if (l->drops == 0) {
		log_error("beginning MaxStartups throttling");
		l->drop_first = now;
		l->drop_info = now;
		log_info("drop connection #%lu from [%s]:%d on [%s]:%d %s",
		    l->conn_count, sbuf, sport, lbuf, lport, why);
	} else if (now - l->drop_info >= LISTENER_DROP_INFO_EVERY) {
		l->drop_info = now;
		log_info("drop connection #%lu from [%s]:%d on [%s]:%d %s",
		    l->conn_count, sbuf, sport, lbuf, lport, why);
	} else {
		log_verbose("drop connection #%lu from [%s]:%d on [%s]:%d %s",
		    l->conn_count, sbuf, sport, lbuf, lport, why);
	}
	l->drops++;
}

static void
listener_throttle_end(struct listener *l)
{
	long t;

	if (l->drops == 0)
		return;
	t = (long)(time(NULL) - l->drop_first);
	if (t < 0)
		t = 0;
	log_info("exited MaxStartups throttling after %02ld:%02ld:%02ld, "
	    "%lu connections dropped", t / 3600, (t / 60) % 60, t % 60,
	    l->drops);
	l->drops = 0;
}

static void
listener_reap(struct listener *l)
{
	pid_t pid;
	int status;
	size_t i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < l->nkids; i++) {
			if (l->kids[i].pid != pid)
				continue;
			/*
			 * A root session without PAM runs in the connection
			 * process itself (no monitor, privsep.c): its death
			 * by a signal is logged here instead.
			 */
			if (WIFSIGNALED(status) && l->kids[i].startup_fd < 0)
				log_error("connection process %ld killed by "
				    "signal %d", (long)pid, WTERMSIG(status));
			if (l->kids[i].startup_fd >= 0)
				close(l->kids[i].startup_fd);
			l->kids[i] = l->kids[--l->nkids];
			break;
		}
	}
}

static void
listener_accept(struct daemon *d, struct listener *l, int lfd)
{
	struct sockaddr_storage ss, ls;
	socklen_t sl = sizeof(ss), lsl = sizeof(ls);
	struct pc_addr src;
	char sbuf[INET6_ADDRSTRLEN] = "?", lbuf[INET6_ADDRSTRLEN] = "?";
	int fd, on = 1, sport = 0, lport = 0, pfd[2] = { -1, -1 };
	bool have_src;
	const char *why;
	pid_t pid;

	fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_error("accept: %s", strerror(errno));
		/* Out of descriptors, the connection stays queued and poll
		 * reports it again at once: pause as OpenSSH does rather
		 * than spin. */
		if (errno == EMFILE || errno == ENFILE)
			(void)usleep(100 * 1000);
		return;
	}
	l->conn_count++;
	have_src = addr_from_sockaddr((struct sockaddr *)&ss, sl, &src,
	    &sport) == PC_OK;
	if (have_src)
		addr_ntop(&src, sbuf, sizeof(sbuf));
	if (getsockname(fd, (struct sockaddr *)&ls, &lsl) == 0) {
		struct pc_addr la;

		if (addr_from_sockaddr((struct sockaddr *)&ls, lsl, &la,
		    &lport) == PC_OK)
			addr_ntop(&la, lbuf, sizeof(lbuf));
	}
	if (listener_should_drop(l, &d->global, &src, have_src, &why)) {
		listener_log_drop(l, sbuf, sport, lbuf, lport, why);
		close(fd);
		return;
	}
	listener_throttle_end(l);
	/* Key exchange pays Nagle/delayed-ACK stalls without this. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0)
		log_debug("setsockopt TCP_NODELAY: %s", strerror(errno));
	if (d->global.tcp_keep_alive && setsockopt(fd, SOL_SOCKET,
	    SO_KEEPALIVE, &on, sizeof(on)) != 0)
		log_debug("setsockopt SO_KEEPALIVE: %s", strerror(errno));
	if (d->debug > 0) {
		/* -d: serve this one connection in this process. */
		size_t i;

		for (i = 0; i < l->nsocks; i++)
			close(l->socks[i]);
		conn_main(d, fd, -1);
	}
	if (l->nkids >= LISTENER_MAX_CHILDREN) {
		log_error("too many connection processes; dropping [%s]:%d",
		    sbuf, sport);
		close(fd);
		return;
	}
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		/* Out of descriptors under a flood: a drop, logged as one. */
		if (errno == EMFILE || errno == ENFILE)
			listener_log_drop(l, sbuf, sport, lbuf, lport,
			    "out of file descriptors");
		else
			log_error("pipe: %s", strerror(errno));
		close(fd);
		return;
	}
	pid = fork();
	if (pid < 0) {
		log_error("fork: %s", strerror(errno));
		close(fd);
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	if (pid == 0) {
		size_t i;

		for (i = 0; i < l->nsocks; i++)
			close(l->socks[i]);
		for (i = 0; i < l->nkids; i++) {
			if (l->kids[i].startup_fd >= 0)
				close(l->kids[i].startup_fd);
		}
		close(pfd[0]);
		close(listener_sigpipe[0]);
		close(listener_sigpipe[1]);
		/* Nothing of the listener's per-round state goes with us. */
		free(l->pfds);
		l->pfds = NULL;
		free(l->kids);
		l->kids = NULL;
		l->nkids = l->kidcap = 0;
		free(l->spec);
		l->spec = NULL;
		/*
		 * Own session, as OpenSSH's sshd: a signal for the
		 * listener's process group (Ctrl-C on -D) does not end live
		 * connections, and with the kernel's scheduler autogroups
		 * (Debian's default) each connection gets its own CPU share
		 * instead of all of them sharing the listener's one: with 4
		 * parallel `ssh host true` on a loaded machine that alone
		 * made us 0.76x OpenSSH's conn/s at 0.65x its CPU.
		 */
		if (setsid() < 0)
			log_debug("setsid: %s", strerror(errno));
		conn_main(d, fd, pfd[1]);
	}
	close(fd);
	close(pfd[1]);
	if (l->nkids == l->kidcap) {
		l->kidcap = l->kidcap ? l->kidcap * 2 : 64;
		l->kids = xreallocarray(l->kids, l->kidcap, sizeof(*l->kids));
	}
	l->kids[l->nkids].pid = pid;
	l->kids[l->nkids].startup_fd = pfd[0];
	l->kids[l->nkids].src = src;
	l->kids[l->nkids].have_src = have_src;
	l->nkids++;
	log_debug("forked connection process %ld for [%s]:%d", (long)pid,
	    sbuf, sport);
}

/* SIGHUP: new configuration for new connections; a bad one is refused
 * and the old one stays. */
static void
listener_reload(struct daemon *d, struct listener *l)
{
	struct config *nc = NULL;
	struct servconf ng;
	ssh_bind nb = NULL;
	char *spec;

	listener_notify("RELOADING=1");
	log_info("Received SIGHUP; reloading configuration.");
	memset(&ng, 0, sizeof(ng));
	if (daemon_load_config(d, &nc, &ng) != PC_OK) {
		log_error("Configuration reload failed; keeping the old "
		    "configuration.");
		goto done;
	}
	if (sshbind_create(&ng, &nb) != PC_OK) {
		log_error("Host keys or algorithms of the new configuration "
		    "are unusable; keeping the old configuration.");
		servconf_free(&ng);
		config_free(nc);
		goto done;
	}
	spec = listener_spec(&ng);
	if (!l->activated && strcmp(spec, l->spec) != 0) {
		struct listener nl;

		memset(&nl, 0, sizeof(nl));
		listener_close_socks(l);
		if (listener_open(&nl, &ng) != PC_OK) {
			log_error("Cannot listen with the new configuration; "
			    "reopening the old sockets.");
			if (listener_open(l, &d->global) != PC_OK)
				log_fatal("Cannot listen at all; exiting.");
			free(spec);
			ssh_bind_free(nb);
			servconf_free(&ng);
			config_free(nc);
			goto done;
		}
		memcpy(l->socks, nl.socks, sizeof(nl.socks));
		l->nsocks = nl.nsocks;
		free(l->spec);
		l->spec = spec;
	} else {
		free(spec);
	}
	ssh_bind_free(d->bind);
	d->bind = nb;
	servconf_free(&d->global);
	config_free(d->config);
	d->global = ng;
	d->config = nc;
	daemon_apply_logging(d, &d->global);
	log_info("Configuration reloaded.");
done:
	listener_notify("READY=1");
}

static int
listener_signals(void)
{
	struct sigaction sa;

	if (pipe2(listener_sigpipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return PC_ERR_SYSTEM;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = listener_sig;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGHUP, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGQUIT, &sa, NULL) != 0 ||
	    sigaction(SIGCHLD, &sa, NULL) != 0)
		return PC_ERR_SYSTEM;
	signal(SIGPIPE, SIG_IGN);
	return PC_OK;
}

static int
listener_daemonize(void)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) < 0)
		return PC_ERR_SYSTEM;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return PC_ERR_SYSTEM;
	if (chdir("/") != 0)
		return PC_ERR_SYSTEM;
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return PC_OK;
}

int
listener_run(struct daemon *d)
{
	struct listener l;
	struct pollfd *pfds;
	size_t i, n;
	int rc = 0;

	memset(&l, 0, sizeof(l));
	srandom((unsigned int)(getpid() ^ time(NULL)));
	if (listener_open(&l, &d->global) != PC_OK)
		return -1;
	l.spec = listener_spec(&d->global);
	if (!d->foreground && d->debug == 0) {
		if (listener_daemonize() != PC_OK) {
			log_error("daemonize: %s", strerror(errno));
			return -1;
		}
	}
	if (listener_signals() != PC_OK) {
		log_error("signal setup: %s", strerror(errno));
		return -1;
	}
	if (d->debug == 0)
		(void)listener_write_pidfile(&d->global);
	listener_notify("READY=1");

	for (;;) {
		size_t nk = l.nkids;

		if (listener_got_term) {
			log_info("Received signal %d; terminating.",
			    (int)listener_got_term);
			break;
		}
		if (listener_got_hup) {
			listener_got_hup = 0;
			listener_reload(d, &l);
		}
		if (listener_got_chld) {
			listener_got_chld = 0;
			listener_reap(&l);
			nk = l.nkids;
		}
		n = 1 + l.nsocks + nk;
		pfds = l.pfds = xreallocarray(l.pfds, n, sizeof(*pfds));
		pfds[0].fd = listener_sigpipe[0];
		pfds[0].events = POLLIN;
		for (i = 0; i < l.nsocks; i++) {
			pfds[1 + i].fd = l.socks[i];
			pfds[1 + i].events = POLLIN;
		}
		for (i = 0; i < nk; i++) {
			pfds[1 + l.nsocks + i].fd = l.kids[i].startup_fd;
			pfds[1 + l.nsocks + i].events = POLLIN;
		}
		if (poll(pfds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (pfds[0].revents & POLLIN) {
			char buf[64];

			while (read(listener_sigpipe[0], buf, sizeof(buf)) > 0)
				;
		}
		/* A connection process reports authentication (or its end)
		 * on its startup pipe: it no longer counts for MaxStartups. */
		for (i = 0; i < nk && i < l.nkids; i++) {
			struct pollfd *p = &pfds[1 + l.nsocks + i];

			if (p->fd >= 0 && p->fd == l.kids[i].startup_fd &&
			    (p->revents & (POLLIN | POLLHUP | POLLERR))) {
				close(l.kids[i].startup_fd);
				l.kids[i].startup_fd = -1;
			}
		}
		for (i = 0; i < l.nsocks; i++) {
			if (pfds[1 + i].revents & POLLIN)
				listener_accept(d, &l, l.socks[i]);
		}
	}
	listener_notify("STOPPING=1");
	free(l.pfds);
	listener_close_socks(&l);
	listener_remove_pidfile(&d->global);
	free(l.spec);
	for (i = 0; i < l.nkids; i++) {
		if (l.kids[i].startup_fd >= 0)
			close(l.kids[i].startup_fd);
	}
	free(l.kids);
	return rc;
}

/*
 * tests/bench/blast.c: the benchmark's TCP load generator and targets.
 *
 * The data source and sink must never be the bottleneck of a 1 GiB
 * transfer through an SSH tunnel, so they are C with 1 MiB buffers and
 * epoll, not python.  Every client mode prints one line of key=value
 * pairs on stdout for bench.py; times are CLOCK_MONOTONIC.  Loopback only.
 *
 *   blast serve sink|echo      listen on 127.0.0.1:0, print "port=N",
 *                              serve any number of connections until
 *                              SIGTERM.  sink: read to EOF, then answer
 *                              the byte count ("N\n") and close, so a
 *                              sender knows everything was delivered.
 *                              echo: send back what arrives; on EOF,
 *                              flush, close.
 *   blast send PORT BYTES      one connection: write BYTES zeros, shut
 *                              down writing, wait for the sink's count;
 *                              fails unless it equals BYTES.
 *   blast par PORT N BYTES     N connections at once, each like send.
 *   blast seq PORT N           N sequential short connections to an echo
 *                              target: connect, write 32 bytes, read them
 *                              back, close.  Latency p50/p99, conn/s.
 *   blast pingpong PORT N      one connection to an echo target, N round
 *                              trips of 1 byte.  p50/p99.
 *   blast hold PORT N          N concurrent connections to an echo target,
 *                              16 bytes echoed on each; then wait for a
 *                              line on stdin and close them all.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BLAST_BUF	(1024 * 1024)
#define BLAST_MSG	32
#define BLAST_HOLD_MSG	16
#define BLAST_MAX_CONNS	100000

struct blast_conn {
	int		 fd;
	uint64_t	 count;		/* bytes read (sink) or left to send */
	uint64_t	 want;		/* bytes a sender must see confirmed */
	char		 reply[32];	/* sink reply / sender's received count */
	size_t		 reply_len;
	size_t		 reply_off;
	int		 state;		/* mode-specific */
	double		 start;
};

static char *blast_buf;
static volatile sig_atomic_t blast_stop;

static void
blast_die(const char *what)
{
	fprintf(stderr, "blast: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double
blast_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
blast_num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0') {
		fprintf(stderr, "blast: bad number '%s'\n", s);
		exit(2);
	}
	return (uint64_t)v;
}

static void
blast_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
blast_nonblock(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		blast_die("fcntl");
	}
}

static int
blast_connect(uint16_t port)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		blast_die("socket");
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static int
blast_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double
blast_pct(const double *v, size_t n, double p)
{
	size_t i;

	if (n == 0) {
		return 0.0;
	}
	i = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (i < 1) {
		i = 1;
	}
	if (i > n) {
		i = n;
	}
	return v[i - 1];
}

/* ---- servers ------------------------------------------------------------ */

static void
blast_on_term(int sig)
{
	(void)sig;
	blast_stop = 1;
}

static void
blast_serve_close(int ep, struct blast_conn *c)
{
	(void)epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
}

/* Sink: state 0 reading, 1 writing the count. */
static void
blast_serve_sink(int ep, struct blast_conn *c)
{
	struct epoll_event ev;
	ssize_t n;

	if (c->state == 0) {
		for (;;) {
			n = read(c->fd, blast_buf, BLAST_BUF);
			if (n > 0) {
				c->count += (uint64_t)n;
				continue;
			}
			if (n == 0) {
				break;
			}
			if (errno == EAGAIN || errno == EINTR) {
				return;
			}
			blast_serve_close(ep, c);
			return;
		}
		c->reply_len = (size_t)snprintf(c->reply, sizeof(c->reply),
		    "%" PRIu64 "\n", c->count);
		c->state = 1;
		ev.events = EPOLLOUT;
		ev.data.ptr = c;
		(void)epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
	}
	n = write(c->fd, c->reply + c->reply_off, c->reply_len - c->reply_off);
	if (n > 0) {
		c->reply_off += (size_t)n;
	}
	if (c->reply_off == c->reply_len ||
	    (n == -1 && errno != EAGAIN && errno != EINTR)) {
		blast_serve_close(ep, c);
	}
}

/*
 * Echo: writes straight back.  The benchmark's echo traffic is tiny
 * (32-byte requests, 1-byte pings), so a full socket is rare enough to
 * wait it out with a short sleep instead of buffering per connection.
 */
static void
blast_serve_echo(int ep, struct blast_conn *c)
{
	char *buf = blast_buf;
	ssize_t n, w;
	size_t off;

	for (;;) {
		n = read(c->fd, buf, 65536);
		if (n == 0) {
			blast_serve_close(ep, c);
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				return;
			}
			blast_serve_close(ep, c);
			return;
		}
		off = 0;
		while (off < (size_t)n) {
			w = write(c->fd, buf + off, (size_t)n - off);
			if (w > 0) {
				off += (size_t)w;
				continue;
			}
			if (w == -1 && errno == EAGAIN) {
				/* Rare for a benchmark: block briefly. */
				struct timespec ts = { 0, 100000 };
				nanosleep(&ts, NULL);
				continue;
			}
			blast_serve_close(ep, c);
			return;
		}
	}
}

static int
blast_serve(const char *mode)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct epoll_event ev, evs[256];
	struct sigaction sa;
	struct blast_conn *c;
	int lfd, ep, n, i, fd, one = 1, echo;

	if (strcmp(mode, "sink") == 0) {
		echo = 0;
	} else if (strcmp(mode, "echo") == 0) {
		echo = 1;
	} else {
		fprintf(stderr, "blast: serve sink|echo\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = blast_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		blast_die("socket");
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 4096) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) == -1) {
		blast_die("listen");
	}
	blast_nonblock(lfd);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		blast_die("epoll_create1");
	}
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) == -1) {
		blast_die("epoll_ctl");
	}
	printf("port=%u\n", (unsigned)ntohs(sin.sin_port));
	fflush(stdout);

	while (!blast_stop) {
		n = epoll_wait(ep, evs, 256, 1000);
		if (n == -1) {
			if (errno == EINTR) {
				continue;
			}
			blast_die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr != NULL) {
				c = evs[i].data.ptr;
				if (echo) {
					blast_serve_echo(ep, c);
				} else {
					blast_serve_sink(ep, c);
				}
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL,
			    SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
				(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY,
				    &one, sizeof(one));
				if ((c = calloc(1, sizeof(*c))) == NULL) {
					blast_die("calloc");
				}
				c->fd = fd;
				ev.events = EPOLLIN;
				ev.data.ptr = c;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
					blast_die("epoll_ctl");
				}
			}
		}
	}
	return 0;
}

/* ---- clients ------------------------------------------------------------ */

/*
 * Senders: state 0 writing data, 1 reading the sink's count, 2 done,
 * 3 failed.  Returns the number of connections that failed.
 */
static size_t
blast_senders(uint16_t port, size_t nconn, uint64_t bytes, double *elapsed)
{
	struct blast_conn *conns;
	struct epoll_event ev, evs[256];
	size_t i, live, failed = 0;
	double t0;
	ssize_t r;
	int ep, n, k;

	if ((conns = calloc(nconn, sizeof(*conns))) == NULL) {
		blast_die("calloc");
	}
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		blast_die("epoll_create1");
	}
	t0 = blast_now();
	for (i = 0; i < nconn; i++) {
		conns[i].fd = blast_connect(port);
		conns[i].count = bytes;
		conns[i].want = bytes;
		if (conns[i].fd == -1) {
			conns[i].state = 3;
			failed++;
			continue;
		}
		blast_nonblock(conns[i].fd);
		ev.events = bytes > 0 ? EPOLLOUT : EPOLLIN;
		ev.data.ptr = &conns[i];
		if (bytes == 0) {
			shutdown(conns[i].fd, SHUT_WR);
			conns[i].state = 1;
		}
		if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) == -1) {
			blast_die("epoll_ctl");
		}
	}
	live = nconn - failed;
	while (live > 0) {
		n = epoll_wait(ep, evs, 256, -1);
		if (n == -1) {
			if (errno == EINTR) {
				continue;
			}
			blast_die("epoll_wait");
		}
		for (k = 0; k < n; k++) {
			struct blast_conn *c = evs[k].data.ptr;

			if (c->state == 0) {
				size_t len = c->count < BLAST_BUF ?
				    (size_t)c->count : BLAST_BUF;

				r = write(c->fd, blast_buf, len);
				if (r > 0) {
					c->count -= (uint64_t)r;
				} else if (r == -1 && errno != EAGAIN &&
				    errno != EINTR) {
					c->state = 3;
				}
				if (c->state == 0 && c->count == 0) {
					shutdown(c->fd, SHUT_WR);
					c->state = 1;
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					(void)epoll_ctl(ep, EPOLL_CTL_MOD,
					    c->fd, &ev);
				}
			} else if (c->state == 1) {
				r = read(c->fd, c->reply + c->reply_len,
				    sizeof(c->reply) - 1 - c->reply_len);
				if (r > 0) {
					c->reply_len += (size_t)r;
					if (c->reply_len < sizeof(c->reply) - 1) {
						continue;
					}
				} else if (r == -1 && (errno == EAGAIN ||
				    errno == EINTR)) {
					continue;
				}
				/* EOF, error or an overlong answer. */
				c->reply[c->reply_len] = '\0';
				if (c->reply_len > 0 &&
				    strtoull(c->reply, NULL, 10) == c->want) {
					c->state = 2;
				} else {
					c->state = 3;
				}
			}
			if (c->state >= 2) {
				if (c->state == 3) {
					failed++;
				}
				(void)epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				c->fd = -1;
				live--;
			}
		}
	}
	*elapsed = blast_now() - t0;
	close(ep);
	free(conns);
	return failed;
}

static int
blast_send(uint16_t port, size_t nconn, uint64_t bytes)
{
	double secs;
	size_t failed;

	failed = blast_senders(port, nconn, bytes, &secs);
	printf("conns=%zu failed=%zu bytes=%" PRIu64 " secs=%.6f mbps=%.3f\n",
	    nconn, failed, (uint64_t)(nconn - failed) * bytes, secs,
	    (double)(nconn - failed) * (double)bytes / secs / 1e6);
	return failed == 0 ? 0 : 1;
}

/* Read exactly len bytes (blocking). */
static int
blast_read_full(int fd, char *buf, size_t len)
{
	size_t off = 0;
	ssize_t r;

	while (off < len) {
		r = read(fd, buf + off, len - off);
		if (r > 0) {
			off += (size_t)r;
		} else if (r == -1 && errno == EINTR) {
			continue;
		} else {
			return -1;
		}
	}
	return 0;
}

static int
blast_write_full(int fd, const char *buf, size_t len)
{
	size_t off = 0;
	ssize_t r;

	while (off < len) {
		r = write(fd, buf + off, len - off);
		if (r > 0) {
			off += (size_t)r;
		} else if (r == -1 && errno == EINTR) {
			continue;
		} else {
			return -1;
		}
	}
	return 0;
}

static void
blast_report_lat(const char *prefix, double *lat, size_t n, size_t failed,
    double secs)
{
	qsort(lat, n, sizeof(*lat), blast_cmp_double);
	printf("%s n=%zu failed=%zu secs=%.6f rate=%.3f p50_ms=%.4f "
	    "p99_ms=%.4f max_ms=%.4f\n", prefix, n, failed, secs,
	    (double)n / secs, blast_pct(lat, n, 50) * 1e3,
	    blast_pct(lat, n, 99) * 1e3, n > 0 ? lat[n - 1] * 1e3 : 0.0);
}

static int
blast_seq(uint16_t port, size_t count)
{
	char msg[BLAST_MSG], back[BLAST_MSG];
	double *lat, t0, t;
	size_t i, n = 0, failed = 0;
	int fd;

	if ((lat = calloc(count, sizeof(*lat))) == NULL) {
		blast_die("calloc");
	}
	memset(msg, 'x', sizeof(msg));
	t0 = blast_now();
	for (i = 0; i < count; i++) {
		t = blast_now();
		if ((fd = blast_connect(port)) == -1) {
			failed++;
			continue;
		}
		if (blast_write_full(fd, msg, sizeof(msg)) != 0 ||
		    blast_read_full(fd, back, sizeof(back)) != 0 ||
		    memcmp(msg, back, sizeof(msg)) != 0) {
			failed++;
			close(fd);
			continue;
		}
		close(fd);
		lat[n++] = blast_now() - t;
	}
	blast_report_lat("seq", lat, n, failed, blast_now() - t0);
	free(lat);
	return failed == 0 ? 0 : 1;
}

static int
blast_pingpong(uint16_t port, size_t count)
{
	double *lat, t0, t;
	size_t i, n = 0, failed = 0;
	char b = 'p', r;
	int fd;

	if ((lat = calloc(count, sizeof(*lat))) == NULL) {
		blast_die("calloc");
	}
	if ((fd = blast_connect(port)) == -1) {
		blast_die("connect");
	}
	/* One warm-up round trip: the channel open is not a ping. */
	if (blast_write_full(fd, &b, 1) != 0 || blast_read_full(fd, &r, 1) != 0) {
		blast_die("warm-up");
	}
	t0 = blast_now();
	for (i = 0; i < count; i++) {
		t = blast_now();
		if (blast_write_full(fd, &b, 1) != 0 ||
		    blast_read_full(fd, &r, 1) != 0 || r != b) {
			failed++;
			break;
		}
		lat[n++] = blast_now() - t;
	}
	blast_report_lat("pingpong", lat, n, failed, blast_now() - t0);
	close(fd);
	free(lat);
	return failed == 0 ? 0 : 1;
}

/*
 * Hold: open N connections at once, exchange 16 bytes on each (so the
 * channel is really open end to end), report, then keep them until a line
 * (or EOF) arrives on stdin.
 */
static int
blast_hold(uint16_t port, size_t count)
{
	char msg[BLAST_HOLD_MSG], back[BLAST_HOLD_MSG], line[16];
	int *fds;
	size_t i, failed = 0;
	double t0, secs;

	if ((fds = calloc(count, sizeof(*fds))) == NULL) {
		blast_die("calloc");
	}
	memset(msg, 'h', sizeof(msg));
	t0 = blast_now();
	for (i = 0; i < count; i++) {
		fds[i] = blast_connect(port);
		if (fds[i] != -1 &&
		    blast_write_full(fds[i], msg, sizeof(msg)) != 0) {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	for (i = 0; i < count; i++) {
		if (fds[i] == -1 ||
		    blast_read_full(fds[i], back, sizeof(back)) != 0 ||
		    memcmp(msg, back, sizeof(msg)) != 0) {
			if (fds[i] != -1) {
				close(fds[i]);
			}
			fds[i] = -1;
			failed++;
		}
	}
	secs = blast_now() - t0;
	printf("hold n=%zu failed=%zu secs=%.6f rate=%.3f\n", count, failed,
	    secs, (double)count / secs);
	fflush(stdout);
	(void)!fgets(line, sizeof(line), stdin);
	for (i = 0; i < count; i++) {
		if (fds[i] != -1) {
			close(fds[i]);
		}
	}
	free(fds);
	return 0;
}

static uint16_t
blast_port(const char *s)
{
	uint64_t v = blast_num(s);

	if (v == 0 || v > 65535) {
		fprintf(stderr, "blast: bad port '%s'\n", s);
		exit(2);
	}
	return (uint16_t)v;
}

static size_t
blast_count(const char *s)
{
	uint64_t v = blast_num(s);

	if (v == 0 || v > BLAST_MAX_CONNS * 1000ULL) {
		fprintf(stderr, "blast: bad count '%s'\n", s);
		exit(2);
	}
	return (size_t)v;
}

static void
blast_usage(void)
{
	fprintf(stderr, "usage: blast serve sink|echo\n"
	    "       blast send PORT BYTES\n"
	    "       blast par PORT N BYTES\n"
	    "       blast seq PORT N\n"
	    "       blast pingpong PORT N\n"
	    "       blast hold PORT N\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	if ((blast_buf = calloc(1, BLAST_BUF)) == NULL) {
		blast_die("calloc");
	}
	signal(SIGPIPE, SIG_IGN);
	blast_nofile();
	if (argc == 3 && strcmp(argv[1], "serve") == 0) {
		return blast_serve(argv[2]);
	}
	if (argc == 4 && strcmp(argv[1], "send") == 0) {
		return blast_send(blast_port(argv[2]), 1, blast_num(argv[3]));
	}
	if (argc == 5 && strcmp(argv[1], "par") == 0) {
		if (blast_count(argv[3]) > BLAST_MAX_CONNS) {
			blast_usage();
		}
		return blast_send(blast_port(argv[2]), blast_count(argv[3]),
		    blast_num(argv[4]));
	}
	if (argc == 4 && strcmp(argv[1], "seq") == 0) {
		return blast_seq(blast_port(argv[2]), blast_count(argv[3]));
	}
	if (argc == 4 && strcmp(argv[1], "pingpong") == 0) {
		return blast_pingpong(blast_port(argv[2]), blast_count(argv[3]));
	}
	if (argc == 4 && strcmp(argv[1], "hold") == 0) {
		if (blast_count(argv[3]) > BLAST_MAX_CONNS) {
			blast_usage();
		}
		return blast_hold(blast_port(argv[2]), blast_count(argv[3]));
	}
	blast_usage();
	return 2;
}

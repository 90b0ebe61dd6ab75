/*
 * Name resolution and connects for forwarding, both bounded in time
 * because they run inside libssh's message callback (the reply must be
 * sent before it returns): only this connection's channels wait, and for
 * at most ForwardLookupTimeout + ForwardConnectWait.
 *
 * Lookups use getaddrinfo_a(); a lookup still running at its deadline is
 * cancelled, or, if glibc cannot cancel it any more, parked on the
 * connection's orphan list and freed once it completes (its memory is
 * glibc's until then).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/fwd_int.h"
#include "sshd/loop.h"

struct fwd_lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char *name;
	char service[8];
	struct fwd_lookup *next;
};

void
fwd_socket_tune(int fd)
{
	int on = 1;

	/* interactive protocols through a tunnel must not wait for Nagle */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

static void
fwd_addrs_fill(struct fwd_addrs *out, const struct addrinfo *res)
{
	const struct addrinfo *ai;
	size_t i;

	for (ai = res; ai != NULL && out->n < FWD_MAX_ADDRS; ai = ai->ai_next) {
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(out->ss[0]))
			continue;
		i = out->n;
		if (addr_from_sockaddr(ai->ai_addr, ai->ai_addrlen,
		    &out->pa[i], NULL) != PC_OK)
			continue;
		memcpy(&out->ss[i], ai->ai_addr, ai->ai_addrlen);
		out->len[i] = ai->ai_addrlen;
		out->n++;
	}
}

static void
fwd_lookup_free(struct fwd_lookup *l)
{
	if (l->cb.ar_result != NULL)
		freeaddrinfo(l->cb.ar_result);
	free(l->name);
	free(l);
}

int
fwd_resolve(struct fwd_state *fs, const char *host, int port, int family,
    bool passive, int timeout_s, struct fwd_addrs *out, char *err,
    size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	struct gaicb *list[1];
	struct fwd_lookup *l;
	struct timespec ts;
	long long deadline, left;
	char service[8];
	int rc, e;

	memset(out, 0, sizeof(*out));
	snprintf(err, errlen, "unknown error");
	if (port < 0 || port > 65535) {
		snprintf(err, errlen, "bad port %d", port);
		return PC_ERR_RANGE;
	}
	snprintf(service, sizeof(service), "%d", port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);

	/* A numeric address needs no lookup (and cannot block). */
	hints.ai_flags |= AI_NUMERICHOST;
	rc = getaddrinfo(host != NULL && *host != '\0' ? host : NULL, service,
	    &hints, &res);
	if (rc == 0) {
		fwd_addrs_fill(out, res);
		freeaddrinfo(res);
		if (out->n == 0) {
			snprintf(err, errlen, "no usable address");
			return PC_ERR_NOTFOUND;
		}
		return PC_OK;
	}
	if (rc != EAI_NONAME || host == NULL || *host == '\0') {
		snprintf(err, errlen, "%s", gai_strerror(rc));
		return PC_ERR_NOTFOUND;
	}
	hints.ai_flags &= ~AI_NUMERICHOST;
	if (timeout_s <= 0) {
		snprintf(err, errlen, "ForwardLookupTimeout 0: names are not "
		    "looked up");
		return PC_ERR_NOTFOUND;
	}

	l = xcalloc(1, sizeof(*l));
	l->name = xstrdup(host);
	memcpy(l->service, service, sizeof(service));
	l->hints = hints;
	l->cb.ar_name = l->name;
	l->cb.ar_service = l->service;
	l->cb.ar_request = &l->hints;
	list[0] = &l->cb;
	if ((rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
		snprintf(err, errlen, "%s", gai_strerror(rc));
		free(l->name);
		free(l);
		return PC_ERR_SYSTEM;
	}
	deadline = sloop_now_ms() + (long long)timeout_s * 1000;
	while ((e = gai_error(&l->cb)) == EAI_INPROGRESS) {
		if ((left = deadline - sloop_now_ms()) <= 0)
			break;
		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000;
		(void)gai_suspend((const struct gaicb *const *)list, 1, &ts);
	}
	if (e == EAI_INPROGRESS) {
		snprintf(err, errlen, "lookup timed out after %d s",
		    timeout_s);
		if (gai_cancel(&l->cb) == EAI_CANCELED) {
			free(l->name);
			free(l);
		} else {
			l->next = fs->orphans;
			fs->orphans = l;
		}
		return PC_ERR_AGAIN;
	}
	if (e != 0) {
		snprintf(err, errlen, "%s", gai_strerror(e));
		fwd_lookup_free(l);
		return PC_ERR_NOTFOUND;
	}
	fwd_addrs_fill(out, l->cb.ar_result);
	fwd_lookup_free(l);
	if (out->n == 0) {
		snprintf(err, errlen, "no usable address");
		return PC_ERR_NOTFOUND;
	}
	return PC_OK;
}

void
fwd_lookup_reap(struct fwd_state *fs, bool cancel)
{
	struct fwd_lookup **pp, *l;

	for (pp = &fs->orphans; (l = *pp) != NULL; ) {
		if (cancel)
			(void)gai_cancel(&l->cb);
		if (gai_error(&l->cb) == EAI_INPROGRESS) {
			/* XXX at connection end a still-running lookup is
			 * left to glibc; the process exits right after */
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		fwd_lookup_free(l);
	}
}

enum fwd_conn_result
fwd_connect_finish(int fd, int *err)
{
	socklen_t sl = sizeof(*err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &sl) != 0)
		*err = errno;
	if (*err == 0)
		return FWD_CONN_OK;
	if (*err == EINPROGRESS || *err == EALREADY)
		return FWD_CONN_PENDING;
	return FWD_CONN_FAIL;
}

/* Connect to a->ss[*next], then the following addresses, within wait_ms
 * in total.  PENDING: *fdp is still connecting (and *next points past
 * it).  FAIL: every address failed; *err is the last errno. */
enum fwd_conn_result
fwd_connect(const struct fwd_addrs *a, size_t *next, int wait_ms, int *fdp,
    int *err)
{
	struct pollfd pfd;
	long long deadline, left;
	size_t i;
	int fd, rc;

	*fdp = -1;
	*err = ECONNREFUSED;
	deadline = sloop_now_ms() + (wait_ms > 0 ? wait_ms : 0);
	while (*next < a->n) {
		i = (*next)++;
		fd = socket(a->ss[i].ss_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			*err = errno;
			continue;
		}
		fwd_socket_tune(fd);
		if (connect(fd, (const struct sockaddr *)&a->ss[i],
		    a->len[i]) == 0) {
			*fdp = fd;
			return FWD_CONN_OK;
		}
		if (errno != EINPROGRESS) {
			*err = errno;
			close(fd);
			continue;
		}
		for (;;) {
			left = deadline - sloop_now_ms();
			if (left < 0)
				left = 0;
			pfd.fd = fd;
			pfd.events = POLLOUT;
			pfd.revents = 0;
			rc = poll(&pfd, 1, (int)left);
			if (rc >= 0 || errno != EINTR)
				break;
		}
		if (rc <= 0) {
			/* still connecting at the deadline (or poll failed:
			 * let the loop find out) */
			*fdp = fd;
			return FWD_CONN_PENDING;
		}
		if (pfd.revents == POLLOUT) {
			/* writable without ERR/HUP: connected (a failed
			 * connect reports POLLERR); no SO_ERROR call */
			*fdp = fd;
			return FWD_CONN_OK;
		}
		switch (fwd_connect_finish(fd, err)) {
		case FWD_CONN_OK:
			*fdp = fd;
			return FWD_CONN_OK;
		case FWD_CONN_PENDING:
			*fdp = fd;
			return FWD_CONN_PENDING;
		case FWD_CONN_FAIL:
			close(fd);
			break;
		}
	}
	return FWD_CONN_FAIL;
}

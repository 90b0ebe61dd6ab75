/*
 * ClientAliveInterval: when nothing came from the client for an interval,
 * send keepalive@openssh.com (want-reply, so a live client answers); after
 * ClientAliveCountMax unanswered intervals end the connection with
 * OpenSSH's log line.  ClientAliveCountMax 0 never disconnects.
 *
 * "Nothing came from the client" is read from the kernel (TCP_INFO's
 * tcpi_last_data_recv): libssh 0.10 does not say when it last received a
 * packet, and any packet, the keepalive reply included, is data.
 */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/err.h"
#include "common/log.h"
#include "sshd/alive.h"
#include "sshd/loop.h"

static struct {
	struct conn *c;
	time_t next;
	int missed;
} alive;

static time_t
alive_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return ts.tv_sec;
}

/* Milliseconds since the client last sent data, or -1 if unknown. */
static long
alive_idle_ms(int sock)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(sock, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return -1;
	return (long)ti.tcpi_last_data_recv;
}

static void
alive_tick(void *arg)
{
	struct conn *c = arg;
	int interval = c->cfg.client_alive_interval;
	time_t now = alive_now();
	long idle;

	if (now < alive.next) {
		sloop_want_timeout(c->loop, (int)(alive.next - now) * 1000);
		return;
	}
	alive.next = now + interval;
	sloop_want_timeout(c->loop, interval * 1000);
	idle = alive_idle_ms(c->sock);
	if (idle >= 0 && idle < (long)interval * 1000) {
		alive.missed = 0;
		return;
	}
	if (c->cfg.client_alive_count_max > 0 &&
	    alive.missed >= c->cfg.client_alive_count_max) {
		log_info("Timeout, client not responding from user %s %s "
		    "port %d", c->user, c->client_addr, c->client_port);
		sloop_stop(c->loop);
		return;
	}
	alive.missed++;
	/*
	 * libssh keeps one keepalive outstanding: a call while the previous
	 * reply is pending sends nothing, and a call after the reply arrived
	 * only collects it.  The second call sends in that case.
	 */
	(void)ssh_send_keepalive(c->session);
	(void)ssh_send_keepalive(c->session);
}

int
alive_init(struct conn *c)
{
	if (c->cfg.client_alive_interval <= 0)
		return PC_OK;
	alive.c = c;
	alive.missed = 0;
	alive.next = alive_now() + c->cfg.client_alive_interval;
	if (sloop_add_tick(c->loop, alive_tick, c) < 0)
		return PC_ERR_SYSTEM;
	sloop_want_timeout(c->loop, c->cfg.client_alive_interval * 1000);
	return PC_OK;
}

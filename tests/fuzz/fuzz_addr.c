#include "config.h"

/*
 * libFuzzer target: address, CIDR, port and host:port parsing
 * (common/addr.c).  Input: one control byte (output buffer sizes, flags),
 * then the text.  Output buffers are exactly as large as the length
 * passed, so ASan sees any write past them.  Checks: a parsed address
 * prints and re-parses to the same bytes, a CIDR block contains its own
 * network address, ports stay in 0..65535, hostport_split's pieces are
 * terminated and fit.
 *
 * fuzz-requires: common/addr.c
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/addr.h"
#include "common/err.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_addr_roundtrip(const struct pc_addr *a)
{
	char buf[INET6_ADDRSTRLEN], *small;
	struct pc_addr b;
	size_t len;

	fuzz_check(a->af == AF_INET || a->af == AF_INET6, "family");
	fuzz_check(addr_ntop(a, buf, sizeof(buf)) != NULL, "addr_ntop");
	fuzz_check(addr_parse(buf, &b) == 0, "addr_ntop output re-parses");
	fuzz_check(b.af == a->af && memcmp(b.u.bytes, a->u.bytes,
	    a->af == AF_INET ? 4 : 16) == 0, "round trip keeps the bytes");
	/* a too-small buffer fails cleanly, never overflows */
	len = strlen(buf);
	small = fuzz_outbuf(len);
	fuzz_check(addr_ntop(a, small, len) == NULL, "short buffer refused");
	free(small);
	(void)addr_is_loopback(a);
}

static void
fuzz_addr_sockaddr(const struct pc_addr *a, int port)
{
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	struct pc_addr b;
	int p = -1;

	if (a->af == AF_INET) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		sin.sin_addr = a->u.v4;
		fuzz_check(addr_from_sockaddr((struct sockaddr *)&sin,
		    sizeof(sin), &b, &p) == 0 && p == port &&
		    b.af == AF_INET && memcmp(b.u.bytes, a->u.bytes, 4) == 0,
		    "addr_from_sockaddr v4");
		fuzz_check(addr_from_sockaddr((struct sockaddr *)&sin,
		    sizeof(sin) - 1, &b, &p) != 0, "short sockaddr refused");
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)port);
		sin6.sin6_addr = a->u.v6;
		fuzz_check(addr_from_sockaddr((struct sockaddr *)&sin6,
		    sizeof(sin6), &b, &p) == 0 && p == port,
		    "addr_from_sockaddr v6");
		/* v4-mapped comes back as IPv4 */
		fuzz_check(b.af == (IN6_IS_ADDR_V4MAPPED(&a->u.v6) ?
		    AF_INET : AF_INET6), "v4-mapped unmapped");
		fuzz_check(addr_in_cidr(&b, a, 128) == 1,
		    "unmapped address inside its mapped /128");
	}
}

static void
fuzz_addr_cidr(const char *s)
{
	struct pc_addr net, a;
	unsigned int masklen = 999;
	int r;

	r = addr_parse_cidr(s, &net, &masklen);
	fuzz_check(r == 0 || r == PC_ERR_INVAL || r == PC_ERR_RANGE,
	    "addr_parse_cidr codes");
	if (r != 0) {
		return;
	}
	fuzz_check(masklen <= (net.af == AF_INET ? 32u : 128u), "masklen");
	fuzz_check(addr_in_cidr(&net, &net, masklen) == 1,
	    "a block contains its network address");
	/* /0 holds every address of its family (a v4-mapped address counts
	 * as IPv4, so it is outside ::/0 by design) */
	if (net.af == AF_INET || !IN6_IS_ADDR_V4MAPPED(&net.u.v6)) {
		fuzz_check(addr_in_cidr(&net, &net, 0) == 1,
		    "/0 contains all");
	}
	fuzz_addr_roundtrip(&net);
	/* the plain address parses the same */
	if (strchr(s, '/') == NULL) {
		fuzz_check(addr_parse(s, &a) == 0 && a.af == net.af,
		    "addr_parse agrees with addr_parse_cidr");
	}
}

static void
fuzz_addr_hostport(const char *s, size_t hostlen, size_t portlen,
    bool slash)
{
	char *host, *port;
	bool had_host = true;
	int r, p;

	host = fuzz_outbuf(hostlen);
	port = fuzz_outbuf(portlen);
	r = hostport_split(s, host, hostlen, port, portlen, slash, &had_host);
	fuzz_check(r == 0 || r == PC_ERR_INVAL || r == PC_ERR_TOOLONG,
	    "hostport_split codes");
	fuzz_check(fuzz_terminated(host, hostlen) &&
	    fuzz_terminated(port, portlen), "pieces are terminated");
	if (r == 0) {
		fuzz_check(strlen(host) + strlen(port) <= strlen(s),
		    "pieces come from the input");
		fuzz_check(had_host || host[0] == '\0', "bare port: no host");
		if (had_host) {
			fuzz_check(port[0] != '\0', "host:port has a port");
		}
		if (port_parse(port, &p, false) == 0) {
			fuzz_check(p >= 0 && p <= 65535, "port range");
		}
	} else {
		fuzz_check(!had_host, "error leaves had_host false");
	}
	free(host);
	free(port);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct fuzz_in in;
	struct pc_addr a;
	size_t hostlen, portlen;
	char *s;
	uint8_t ctl, ctl2;
	int r, p = -1;

	if (!init) {
		fuzz_log_setup();
		init = 1;
	}
	if (size > 1024) {
		return -1;
	}
	fuzz_in_init(&in, data, size);
	ctl = fuzz_byte(&in);
	ctl2 = fuzz_byte(&in);
	s = fuzz_rest(&in);

	if (addr_parse(s, &a) == 0) {
		fuzz_addr_roundtrip(&a);
		fuzz_addr_sockaddr(&a, (ctl << 8) | ctl2);
	}
	fuzz_addr_cidr(s);

	/* services only now and then: getservbyname reads /etc/services */
	r = port_parse(s, &p, (ctl & 0x80) != 0 && (ctl2 & 0x0f) == 0);
	fuzz_check(r == 0 || r == PC_ERR_INVAL || r == PC_ERR_RANGE,
	    "port_parse codes");
	if (r == 0) {
		fuzz_check(p >= 0 && p <= 65535, "port_parse range");
	}

	hostlen = 1 + (ctl & 0x3f) * 5;		/* 1 .. 316 */
	portlen = 1 + (ctl2 & 0x0f);		/* 1 .. 16 */
	fuzz_addr_hostport(s, hostlen, portlen, (ctl & 0x40) != 0);
	fuzz_addr_hostport(s, 256, 64, true);

	free(s);
	return 0;
}

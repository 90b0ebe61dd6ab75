#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "common/err.h"

/* Longest text that can be a numeric address: callers hand us untrusted
 * strings, so anything longer is refused before inet_pton sees it. */
#define ADDR_TEXT_MAX 64

int
addr_parse(const char *s, struct pc_addr *a)
{
	size_t len;

	if (s == NULL || a == NULL) {
		return PC_ERR_INVAL;
	}
	len = strlen(s);
	if (len == 0 || len >= ADDR_TEXT_MAX) {
		return PC_ERR_INVAL;
	}
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->u.v6) == 1) {
		a->af = AF_INET6;
		return 0;
	}
	return PC_ERR_INVAL;
}

static unsigned int
addr_maxlen(int af)
{
	return af == AF_INET ? 32 : 128;
}

/* 1 if every bit of a after the first masklen bits is zero. */
static int
addr_host_bits_zero(const struct pc_addr *a, unsigned int masklen)
{
	unsigned int nbytes = addr_maxlen(a->af) / 8, i;
	unsigned char m;

	for (i = masklen / 8; i < nbytes; i++) {
		m = (unsigned char)(i == masklen / 8 ?
		    0xff >> (masklen % 8) : 0xff);
		if ((a->u.bytes[i] & m) != 0) {
			return 0;
		}
	}
	return 1;
}

/*
 * PC_ERR_INVAL: not an address (callers may fall back to a glob, as
 * OpenSSH's addr_match_list does); PC_ERR_RANGE: an address whose mask is
 * out of range or leaves host bits set ("10.0.0.1/8"), which OpenSSH
 * treats as an error rather than silently widening.
 */
int
addr_parse_cidr(const char *s, struct pc_addr *a, unsigned int *masklen)
{
	char buf[ADDR_TEXT_MAX];
	const char *slash, *mp;
	unsigned long len = 0;
	size_t alen;
	int r;

	if (s == NULL || a == NULL || masklen == NULL) {
		return PC_ERR_INVAL;
	}
	slash = strchr(s, '/');
	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf)) {
		return PC_ERR_INVAL;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if ((r = addr_parse(buf, a)) != 0) {
		return r;
	}
	if (slash == NULL) {
		*masklen = addr_maxlen(a->af);
		return 0;
	}
	mp = slash + 1;
	if (*mp == '\0' || strlen(mp) > 3) {
		return PC_ERR_INVAL;
	}
	for (; *mp != '\0'; mp++) {
		if (!isdigit((unsigned char)*mp)) {
			return PC_ERR_INVAL;
		}
		len = len * 10 + (unsigned long)(*mp - '0');
	}
	if (len > addr_maxlen(a->af)) {
		return PC_ERR_RANGE;
	}
	if (!addr_host_bits_zero(a, (unsigned int)len)) {
		return PC_ERR_RANGE;
	}
	*masklen = (unsigned int)len;
	return 0;
}

static const unsigned char addr_v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* v4-mapped IPv6 (::ffff:a.b.c.d) turned into plain IPv4; others copied. */
static void
addr_unmap(const struct pc_addr *in, struct pc_addr *out)
{
	*out = *in;
	if (in->af == AF_INET6 && memcmp(in->u.bytes, addr_v4mapped_prefix,
	    sizeof(addr_v4mapped_prefix)) == 0) {
		memset(out, 0, sizeof(*out));
		out->af = AF_INET;
		memcpy(out->u.bytes, in->u.bytes + 12, 4);
	}
}

int
addr_in_cidr(const struct pc_addr *a, const struct pc_addr *net,
    unsigned int masklen)
{
	struct pc_addr x, n;
	unsigned int i, full, rest;
	unsigned char m;

	addr_unmap(a, &x);
	n = *net;
	if (net->af == AF_INET6 && masklen >= 96) {
		addr_unmap(net, &n);
		if (n.af == AF_INET) {
			masklen -= 96;
		}
	}
	if (x.af != n.af || masklen > addr_maxlen(n.af)) {
		return 0;
	}
	full = masklen / 8;
	rest = masklen % 8;
	for (i = 0; i < full; i++) {
		if (x.u.bytes[i] != n.u.bytes[i]) {
			return 0;
		}
	}
	if (rest != 0) {
		m = (unsigned char)(0xff << (8 - rest));
		if ((x.u.bytes[full] & m) != (n.u.bytes[full] & m)) {
			return 0;
		}
	}
	return 1;
}

int
addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
    struct pc_addr *a, int *port)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;
	struct pc_addr tmp;

	if (sa == NULL || a == NULL) {
		return PC_ERR_INVAL;
	}
	memset(&tmp, 0, sizeof(tmp));
	switch (sa->sa_family) {
	case AF_INET:
		if (len < (socklen_t)sizeof(*sin)) {
			return PC_ERR_INVAL;
		}
		sin = (const struct sockaddr_in *)(const void *)sa;
		tmp.af = AF_INET;
		tmp.u.v4 = sin->sin_addr;
		if (port != NULL) {
			*port = ntohs(sin->sin_port);
		}
		break;
	case AF_INET6:
		if (len < (socklen_t)sizeof(*sin6)) {
			return PC_ERR_INVAL;
		}
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		tmp.af = AF_INET6;
		tmp.u.v6 = sin6->sin6_addr;
		if (port != NULL) {
			*port = ntohs(sin6->sin6_port);
		}
		break;
	default:
		return PC_ERR_INVAL;
	}
	addr_unmap(&tmp, a);
	return 0;
}

const char *
addr_ntop(const struct pc_addr *a, char *buf, size_t len)
{
	if (a == NULL || buf == NULL || len == 0) {
		return NULL;
	}
	if (len > (size_t)INET6_ADDRSTRLEN) {
		len = INET6_ADDRSTRLEN;
	}
	if (inet_ntop(a->af, a->u.bytes, buf, (socklen_t)len) == NULL) {
		buf[0] = '\0';
		return NULL;
	}
	return buf;
}

bool
addr_is_loopback(const struct pc_addr *a)
{
	struct pc_addr x;

	addr_unmap(a, &x);
	if (x.af == AF_INET) {
		return x.u.bytes[0] == 127;
	}
	if (x.af == AF_INET6) {
		return IN6_IS_ADDR_LOOPBACK(&x.u.v6);
	}
	return false;
}

int
port_parse(const char *s, int *port, bool allow_service)
{
	struct servent *se;
	unsigned long v = 0;
	const char *p;

	if (s == NULL || port == NULL || *s == '\0') {
		return PC_ERR_INVAL;
	}
	if (isdigit((unsigned char)*s)) {
		for (p = s; *p != '\0'; p++) {
			if (!isdigit((unsigned char)*p)) {
				return PC_ERR_INVAL;
			}
			v = v * 10 + (unsigned long)(*p - '0');
			if (v > 65535) {
				/* keep scanning for junk, but the value is
				 * already out of range */
				v = 65536;
			}
		}
		if (v > 65535) {
			return PC_ERR_RANGE;
		}
		*port = (int)v;
		return 0;
	}
	if (!allow_service || strlen(s) > 64) {
		return PC_ERR_INVAL;
	}
	/* service names are letters, digits, '-', '_', '.', '+', '/' */
	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("-_.+/", *p) == NULL) {
			return PC_ERR_INVAL;
		}
	}
	if ((se = getservbyname(s, "tcp")) == NULL) {
		return PC_ERR_INVAL;
	}
	*port = ntohs((unsigned short)se->s_port);
	return 0;
}

static int
addr_copy_bounded(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (dst == NULL) {
		return 0;
	}
	if (n >= dstlen) {
		return PC_ERR_TOOLONG;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/*
 * Same splitting rule as OpenSSH's hpdelim2(): a leading '[' runs to the
 * matching ']', otherwise the host ends at the first ':' (or '/').
 */
int
hostport_split(const char *s, char *host, size_t hostlen, char *port,
    size_t portlen, bool allow_slash, bool *had_host)
{
	const char *h, *hend, *d;
	int r;

	if (s == NULL || host == NULL || port == NULL || hostlen == 0 ||
	    portlen == 0) {
		return PC_ERR_INVAL;
	}
	if (had_host != NULL) {
		*had_host = false;
	}
	host[0] = '\0';
	port[0] = '\0';
	if (*s == '[') {
		h = s + 1;
		if ((hend = strchr(h, ']')) == NULL) {
			return PC_ERR_INVAL;
		}
		d = hend + 1;
		if (*d != ':' && !(allow_slash && *d == '/')) {
			return PC_ERR_INVAL;
		}
	} else {
		h = s;
		d = s + strcspn(s, allow_slash ? ":/" : ":");
		if (*d == '\0') {
			/* bare port */
			return addr_copy_bounded(port, portlen, s, strlen(s));
		}
		hend = d;
	}
	if (d[1] == '\0') {
		return PC_ERR_INVAL;
	}
	if ((r = addr_copy_bounded(host, hostlen, h, (size_t)(hend - h))) != 0) {
		return r;
	}
	if ((r = addr_copy_bounded(port, portlen, d + 1, strlen(d + 1))) != 0) {
		return r;
	}
	if (had_host != NULL) {
		*had_host = true;
	}
	return 0;
}

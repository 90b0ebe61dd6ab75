/* Address, CIDR, host:port and port parsing.  Pure functions; no DNS. */
#ifndef PC_ADDR_H
#define PC_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct pc_addr {
	int af;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		unsigned char bytes[16];
	} u;
};

/* Numeric IPv4 or IPv6 address (IPv6 without brackets, no scope). */
int addr_parse(const char *s, struct pc_addr *a);
/* "ADDR" or "ADDR/LEN"; LEN defaults to the full length. */
int addr_parse_cidr(const char *s, struct pc_addr *a, unsigned int *masklen);
/* 1 if a lies inside net/masklen (same family; v4-mapped v6 compared as v4). */
int addr_in_cidr(const struct pc_addr *a, const struct pc_addr *net,
    unsigned int masklen);
/* From a sockaddr (v4-mapped IPv6 is reported as IPv4). */
int addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
    struct pc_addr *a, int *port);
/* Numeric text form into buf (INET6_ADDRSTRLEN is enough). */
const char *addr_ntop(const struct pc_addr *a, char *buf, size_t len);
bool addr_is_loopback(const struct pc_addr *a);

/* Port: decimal 0..65535; with allow_service a getservbyname("tcp") name.
 * PC_ERR_RANGE for numbers above 65535, PC_ERR_INVAL for junk. */
int port_parse(const char *s, int *port, bool allow_service);

/* Split "host:port", "[v6]:port", "host/port" (when allow_slash) at the
 * delimiter; host is copied without brackets into host (hostlen bytes),
 * the port text into port.  A bare "port" with no delimiter: host "" and
 * *had_host = false.  PC_ERR_INVAL / PC_ERR_TOOLONG on failure. */
int hostport_split(const char *s, char *host, size_t hostlen, char *port,
    size_t portlen, bool allow_slash, bool *had_host);

#endif

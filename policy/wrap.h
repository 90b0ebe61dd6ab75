/* TCP wrappers (libwrap hosts_access, POLICY.md B.3, Decision 8).  Only
 * built with WITH_LIBWRAP (HAVE_LIBWRAP in config.h).  This file defines
 * libwrap's allow_severity/deny_severity: nothing else may. */
#ifndef PC_WRAP_H
#define PC_WRAP_H

#include <stddef.h>

/*
 * Ask hosts_access() whether client_addr (numeric) may reach daemon_name
 * ("portcullisd" for incoming SSH connections, "sshdfwd-PORT" for
 * connections accepted on a forwarded listener).  allow_file / deny_file
 * replace /etc/hosts.allow and /etc/hosts.deny (HostsAllowFile /
 * HostsDenyFile; NULL = those defaults).  The files are re-read on every
 * call.  A missing file counts as empty (libwrap's own rule); a file that
 * exists but cannot be read denies.  No DNS: the client name is given to
 * libwrap as "unknown", so only address patterns (and ALL) can match.
 * 1 allow, 0 deny (also for NULL arguments).
 */
int wrap_check(const char *daemon_name, const char *client_addr,
    const char *allow_file, const char *deny_file);

/* "sshdfwd-PORT" with the decimal listening port (for port 0: the
 * allocated one; never an /etc/services name).  0, PC_ERR_RANGE for a
 * port outside 1..65535, PC_ERR_TOOLONG if buf is too small. */
int wrap_fwd_daemon_name(int port, char *buf, size_t len);

#endif

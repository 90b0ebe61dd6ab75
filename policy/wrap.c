/*
 * libwrap for incoming connections and for connections accepted on
 * forwarded listeners (Decision 8).  The only I/O in policy/: libwrap
 * reads the hosts files itself.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <tcpd.h>

#include "common/err.h"
#include "common/log.h"
#include "policy/wrap.h"

/* libwrap logs through these when a rule asks for it (severity option);
 * the program must define them. */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

#define WRAP_DEFAULT_ALLOW "/etc/hosts.allow"
#define WRAP_DEFAULT_DENY "/etc/hosts.deny"

/* libwrap silently treats a file it cannot open as empty, which would
 * turn an unreadable hosts.deny into "allow everybody".  Missing (ENOENT)
 * is empty as in libwrap; anything else we cannot read denies. */
static int
wrap_file_ok(const char *path)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		if (errno == ENOENT) {
			return 1;
		}
		log_error("hosts file %s: %s: denying", path, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_error("hosts file %s is not a regular file: denying", path);
		close(fd);
		return 0;
	}
	close(fd);
	return 1;
}

int
wrap_check(const char *daemon_name, const char *client_addr,
    const char *allow_file, const char *deny_file)
{
	/* libwrap's API takes char *: private copies, no casts */
	char daemon[128], addr[64], allow[PATH_MAX], deny[PATH_MAX];
	char unk_name[] = STRING_UNKNOWN, unk_user[] = STRING_UNKNOWN;
	char *saved_allow, *saved_deny;
	int ok;

	if (daemon_name == NULL || client_addr == NULL) {
		return 0;
	}
	if (allow_file == NULL) {
		allow_file = WRAP_DEFAULT_ALLOW;
	}
	if (deny_file == NULL) {
		deny_file = WRAP_DEFAULT_DENY;
	}
	if ((size_t)snprintf(daemon, sizeof(daemon), "%s", daemon_name) >=
	    sizeof(daemon) ||
	    (size_t)snprintf(addr, sizeof(addr), "%s", client_addr) >=
	    sizeof(addr) ||
	    (size_t)snprintf(allow, sizeof(allow), "%s", allow_file) >=
	    sizeof(allow) ||
	    (size_t)snprintf(deny, sizeof(deny), "%s", deny_file) >=
	    sizeof(deny)) {
		log_error("tcp wrappers: argument too long: denying");
		return 0;
	}
	if (!wrap_file_ok(allow) || !wrap_file_ok(deny)) {
		return 0;
	}
	saved_allow = hosts_allow_table;
	saved_deny = hosts_deny_table;
	hosts_allow_table = allow;
	hosts_deny_table = deny;
	ok = hosts_ctl(daemon, unk_name, addr, unk_user);
	hosts_allow_table = saved_allow;
	hosts_deny_table = saved_deny;
	return ok ? 1 : 0;
}

int
wrap_fwd_daemon_name(int port, char *buf, size_t len)
{
	int w;

	if (buf == NULL || len == 0) {
		return PC_ERR_INVAL;
	}
	buf[0] = '\0';
	if (port < 1 || port > 65535) {
		return PC_ERR_RANGE;
	}
	w = snprintf(buf, len, "sshdfwd-%d", port);
	if (w < 0 || (size_t)w >= len) {
		buf[0] = '\0';
		return PC_ERR_TOOLONG;
	}
	return 0;
}

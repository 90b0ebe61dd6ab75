#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"

#define LOG_LINE_MAX 1024

static const char *log_ident = "portcullisd";
static enum log_level log_level_cur = LOG_LEVEL_INFO;
static int log_facility_cur = LOG_AUTH;
static int log_to_stderr;
static int log_fd = -1;
static int log_syslog_open;

static const struct {
	const char *name;
	enum log_level level;
} log_levels[] = {
	{ "QUIET", LOG_LEVEL_QUIET },
	{ "FATAL", LOG_LEVEL_FATAL },
	{ "ERROR", LOG_LEVEL_ERROR },
	{ "INFO", LOG_LEVEL_INFO },
	{ "VERBOSE", LOG_LEVEL_VERBOSE },
	{ "DEBUG", LOG_LEVEL_DEBUG1 },
	{ "DEBUG1", LOG_LEVEL_DEBUG1 },
	{ "DEBUG2", LOG_LEVEL_DEBUG2 },
	{ "DEBUG3", LOG_LEVEL_DEBUG3 },
};

static const struct {
	const char *name;
	int facility;
} log_facilities[] = {
	{ "DAEMON", LOG_DAEMON },
	{ "USER", LOG_USER },
	{ "AUTH", LOG_AUTH },
	{ "AUTHPRIV", LOG_AUTHPRIV },
	{ "LOCAL0", LOG_LOCAL0 },
	{ "LOCAL1", LOG_LOCAL1 },
	{ "LOCAL2", LOG_LOCAL2 },
	{ "LOCAL3", LOG_LOCAL3 },
	{ "LOCAL4", LOG_LOCAL4 },
	{ "LOCAL5", LOG_LOCAL5 },
	{ "LOCAL6", LOG_LOCAL6 },
	{ "LOCAL7", LOG_LOCAL7 },
};

int
log_level_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++) {
		if (strcasecmp(name, log_levels[i].name) == 0)
			return (int)log_levels[i].level;
	}
	return -1;
}

const char *
log_level_name(enum log_level level)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++) {
		/* "DEBUG" and "DEBUG1" share a level: print OpenSSH's -T name. */
		if (log_levels[i].level == level &&
		    strcmp(log_levels[i].name, "DEBUG") != 0)
			return log_levels[i].name;
	}
	return "UNKNOWN";
}

int
log_facility_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(log_facilities) / sizeof(log_facilities[0]); i++) {
		if (strcasecmp(name, log_facilities[i].name) == 0)
			return log_facilities[i].facility;
	}
	return -1;
}

const char *
log_facility_name(int facility)
{
	size_t i;

	for (i = 0; i < sizeof(log_facilities) / sizeof(log_facilities[0]); i++) {
		if (log_facilities[i].facility == facility)
			return log_facilities[i].name;
	}
	return "UNKNOWN";
}

void
log_init(const char *ident, enum log_level level, int facility, int on_stderr)
{
	if (ident != NULL)
		log_ident = ident;
	log_level_cur = level;
	log_facility_cur = facility;
	log_to_stderr = on_stderr;
	if (log_syslog_open) {
		closelog();
		log_syslog_open = 0;
	}
}

void
log_set_level(enum log_level level)
{
	log_level_cur = level;
}

enum log_level
log_get_level(void)
{
	return log_level_cur;
}

int
log_set_file(const char *path)
{
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return PC_ERR_SYSTEM;
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	return PC_OK;
}

void
log_reopen(void)
{
	if (log_syslog_open) {
		closelog();
		log_syslog_open = 0;
	}
}

static int
log_syslog_priority(enum log_level level)
{
	switch (level) {
	case LOG_LEVEL_FATAL:
		return LOG_CRIT;
	case LOG_LEVEL_ERROR:
		return LOG_ERR;
	case LOG_LEVEL_INFO:
	case LOG_LEVEL_VERBOSE:
		return LOG_INFO;
	default:
		return LOG_DEBUG;
	}
}

/* Make untrusted text safe for one log line: control bytes and bytes
 * >= 0x80 (C1 controls such as 0x9b CSI on 8-bit terminals, invalid
 * UTF-8 from a garbage banner) become \ooo, as OpenSSH's strnvis. */
static void
log_sanitize(char *dst, size_t dstlen, const char *src)
{
	size_t o = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)src; *p != '\0' && o + 5 < dstlen; p++) {
		if (*p < 0x20 || *p >= 0x7f) {
			o += (size_t)snprintf(dst + o, dstlen - o, "\\%03o", *p);
		} else {
			dst[o++] = (char)*p;
		}
	}
	dst[o] = '\0';
}

void
log_vmsg(enum log_level level, const char *func, const char *fmt, va_list ap)
{
	char raw[LOG_LINE_MAX], line[LOG_LINE_MAX * 2], out[LOG_LINE_MAX * 3];
	int saved_errno = errno;
	ssize_t wr;

	if (level > log_level_cur || log_level_cur == LOG_LEVEL_QUIET)
		goto out;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_sanitize(line, sizeof(line), raw);
	if (level >= LOG_LEVEL_DEBUG1 && func != NULL) {
		snprintf(out, sizeof(out), "debug%d: %s: %s",
		    (int)level - (int)LOG_LEVEL_DEBUG1 + 1, func, line);
	} else if (level == LOG_LEVEL_FATAL) {
		snprintf(out, sizeof(out), "fatal: %s", line);
	} else if (level == LOG_LEVEL_ERROR) {
		snprintf(out, sizeof(out), "error: %s", line);
	} else {
		snprintf(out, sizeof(out), "%s", line);
	}

	if (log_fd >= 0) {
		char stamp[64], host[256], full[sizeof(out) + 400];
		time_t now = time(NULL);
		struct tm tm;
		int n;

		if (localtime_r(&now, &tm) == NULL ||
		    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm) == 0)
			snprintf(stamp, sizeof(stamp), "-");
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		n = snprintf(full, sizeof(full), "%s %s %s[%ld]: %s\n", stamp,
		    host, log_ident, (long)getpid(), out);
		if (n > 0) {
			if ((size_t)n >= sizeof(full))
				n = (int)sizeof(full) - 1;
			wr = write(log_fd, full, (size_t)n);
			(void)wr;
		}
	} else if (log_to_stderr) {
		size_t len = strlen(out);

		out[len] = '\n';
		wr = write(STDERR_FILENO, out, len + 1);
		(void)wr;
		out[len] = '\0';
	} else {
		if (!log_syslog_open) {
			openlog(log_ident, LOG_PID | LOG_NDELAY, log_facility_cur);
			log_syslog_open = 1;
		}
		syslog(log_syslog_priority(level), "%s", out);
	}
out:
	errno = saved_errno;
}

void
log_msg(enum log_level level, const char *func, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, func, fmt, ap);
	va_end(ap);
}

void
log_die(const char *func, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_FATAL, func, fmt, ap);
	va_end(ap);
	exit(255);
}

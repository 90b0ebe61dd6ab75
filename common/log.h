/* Logging with OpenSSH's levels and facilities: syslog by default,
 * stderr with -e (plain lines), or a file with -E (syslog-like lines). */
#ifndef PC_LOG_H
#define PC_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_NOT_SET = -1,
	LOG_LEVEL_QUIET = 0,
	LOG_LEVEL_FATAL,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_INFO,
	LOG_LEVEL_VERBOSE,
	LOG_LEVEL_DEBUG1,
	LOG_LEVEL_DEBUG2,
	LOG_LEVEL_DEBUG3,
};

/* ident: "portcullisd"; facility: a LOG_* syslog facility value. */
void log_init(const char *ident, enum log_level level, int facility,
    int on_stderr);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Append to this file instead of syslog/stderr (-E); 0 or PC_ERR_*. */
int log_set_file(const char *path);
/* Re-open syslog after fork/chroot-like changes; harmless otherwise. */
void log_reopen(void);

/* Parse OpenSSH names (QUIET ... DEBUG3, DEBUG = DEBUG1); -1 if unknown. */
int log_level_parse(const char *name);
const char *log_level_name(enum log_level level);
/* AUTH, AUTHPRIV, DAEMON, USER, LOCAL0..LOCAL7; -1 if unknown. */
int log_facility_parse(const char *name);
const char *log_facility_name(int facility);

void log_msg(enum log_level level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level level, const char *func, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));
void log_die(const char *func, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#define log_fatal(...) log_die(__func__, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __func__, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __func__, __VA_ARGS__)
#define log_verbose(...) log_msg(LOG_LEVEL_VERBOSE, __func__, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG1, __func__, __VA_ARGS__)
#define log_debug2(...) log_msg(LOG_LEVEL_DEBUG2, __func__, __VA_ARGS__)
#define log_debug3(...) log_msg(LOG_LEVEL_DEBUG3, __func__, __VA_ARGS__)

#endif

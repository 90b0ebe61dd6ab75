/*
 * Signal names of RFC 4254 6.10 (without the "SIG" prefix): the "signal"
 * channel request names one, and "exit-signal" reports one.  Only these
 * standard names are delivered, as OpenSSH does (its name2sig/sig2name).
 */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "sshd/session_int.h"

static const struct {
	const char *name;
	int sig;
} session_sig_table[] = {
	{ "ABRT", SIGABRT },
	{ "ALRM", SIGALRM },
	{ "FPE", SIGFPE },
	{ "HUP", SIGHUP },
	{ "ILL", SIGILL },
	{ "INT", SIGINT },
	{ "KILL", SIGKILL },
	{ "PIPE", SIGPIPE },
	{ "QUIT", SIGQUIT },
	{ "SEGV", SIGSEGV },
	{ "TERM", SIGTERM },
	{ "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
};

#define SESSION_SIG_N (sizeof(session_sig_table) / sizeof(session_sig_table[0]))

int
session_sig_from_name(const char *name)
{
	size_t i;

	if (name == NULL) {
		return -1;
	}
	for (i = 0; i < SESSION_SIG_N; i++) {
		if (strcmp(name, session_sig_table[i].name) == 0) {
			return session_sig_table[i].sig;
		}
	}
	return -1;
}

const char *
session_sig_name(int sig)
{
	size_t i;

	for (i = 0; i < SESSION_SIG_N; i++) {
		if (session_sig_table[i].sig == sig) {
			return session_sig_table[i].name;
		}
	}
	return "SIG@openssh.com";
}

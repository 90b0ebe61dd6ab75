# sshd/session.mk: sources of this part of the daemon (sshd_portcullisd_SOURCES += ...)
sshd_portcullisd_SOURCES += \
	sshd/session.c sshd/session.h sshd/session_int.h \
	sshd/session_env.c \
	sshd/session_exec.c \
	sshd/session_pty.c \
	sshd/session_start.c \
	sshd/session_sig.c

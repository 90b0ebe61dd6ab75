# sshd/fwd.mk: the forwarding engine and the event loop + relay it shares
# with the session channels (DESIGN.md 'Forwarding').
sshd_portcullisd_SOURCES += \
	sshd/loop.c sshd/loop.h \
	sshd/relay.c sshd/relay.h sshd/relay_int.h sshd/relay_io.c \
	sshd/forward.c sshd/forward.h sshd/fwd_int.h \
	sshd/fwd_connect.c \
	sshd/fwd_local.c \
	sshd/fwd_remote.c

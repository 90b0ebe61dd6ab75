# sshd/auth.mk: authentication (users, authorized_keys, PAM).
sshd_portcullisd_SOURCES += \
	sshd/auth.c sshd/auth.h sshd/auth_int.h \
	sshd/auth_user.c \
	sshd/auth_keys.c
if WITH_PAM
sshd_portcullisd_SOURCES += sshd/pam.c sshd/pam.h
endif

# tests/pam/pam_pc_test.so: a PAM module for the integration tests (two
# keyboard-interactive prompts, expired accounts, a session log).  Built
# as a check program linked with -shared: no libtool needed.
if WITH_PAM
check_PROGRAMS += tests/pam/pam_pc_test.so
tests_pam_pam_pc_test_so_SOURCES = tests/pam/pam_pc_test.c
tests_pam_pam_pc_test_so_CFLAGS = $(AM_CFLAGS) -fPIC
tests_pam_pam_pc_test_so_LDFLAGS = $(AM_LDFLAGS) -shared
tests_pam_pam_pc_test_so_LDADD = -lpam
endif

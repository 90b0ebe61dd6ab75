# sshd/auth.mk: authentication (users, authorized_keys, PAM).
sshd_portcullisd_SOURCES += \
	sshd/auth.c sshd/auth.h sshd/auth_int.h \
	sshd/auth_user.c \
	sshd/auth_keys.c
if WITH_PAM
sshd_portcullisd_SOURCES += sshd/pam.c sshd/pam.h
endif

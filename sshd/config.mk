# sshd/config.mk: the sshd_config parser (sshd/config*.c).
config_sources = \
	sshd/config.c sshd/config.h sshd/config_keywords.h sshd/config_int.h \
	sshd/config_apply.c \
	sshd/config_table.c \
	sshd/config_check.c \
	sshd/config_value.c \
	sshd/config_match.c \
	sshd/config_dump.c
sshd_portcullisd_SOURCES += $(config_sources)

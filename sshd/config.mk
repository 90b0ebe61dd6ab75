# sshd/config.mk: sources of this part of the daemon (sshd_portcullisd_SOURCES += ...)
sshd_portcullisd_SOURCES += sshd/config.h sshd/config_keywords.h

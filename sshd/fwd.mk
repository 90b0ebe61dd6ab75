# sshd/fwd.mk: sources of this part of the daemon (sshd_portcullisd_SOURCES += ...)

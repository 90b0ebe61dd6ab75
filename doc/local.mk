# doc/local.mk: man pages.  tests/integration/t_harness_docs.sh checks them
# against sshd/config_keywords.h and the getopt string of sshd/main.c.
dist_man_MANS = doc/portcullisd.8 doc/portcullisd_config.5

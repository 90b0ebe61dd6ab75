# tests/unit/readahead.mk: sshd/readahead.c (the transport read-ahead that
# stands in for libssh's recv() and poll()) against a real libssh server
# session bound to a socketpair.
check_PROGRAMS += tests/unit/test_readahead
TESTS += tests/unit/test_readahead

tests_unit_test_readahead_SOURCES = tests/unit/test_readahead.c \
	sshd/readahead.c sshd/readahead.h
tests_unit_test_readahead_CFLAGS = $(unit_cflags) $(LIBSSH_CFLAGS)
tests_unit_test_readahead_LDADD = $(unit_ldadd) $(LIBSSH_LIBS)

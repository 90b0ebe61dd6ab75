# tests/unit/session.mk: the session part's pure code (sshd/session_env.c,
# sshd/session_sig.c): environment order and precedence, AcceptEnv, the
# ~/.ssh/environment reader, signal names.  No libssh needed.
check_PROGRAMS += tests/unit/test_session_env
TESTS += tests/unit/test_session_env

tests_unit_test_session_env_SOURCES = tests/unit/test_session_env.c \
	sshd/session_env.c sshd/session_sig.c sshd/session_int.h
tests_unit_test_session_env_CFLAGS = $(unit_cflags)
tests_unit_test_session_env_LDADD = $(unit_ldadd)

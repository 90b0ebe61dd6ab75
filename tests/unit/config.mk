# tests/unit/config.mk: the sshd_config parser.  The test builds the
# parser's own sources (no libssh needed) and links the policy validators.
check_PROGRAMS += tests/unit/test_config
TESTS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c $(config_sources)
tests_unit_test_config_CFLAGS = $(unit_cflags)
tests_unit_test_config_LDADD = $(unit_ldadd)

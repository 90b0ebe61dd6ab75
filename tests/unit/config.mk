# tests/unit/config.mk: the sshd_config parser.  The tests build the
# parser's own sources (no libssh needed) and link the policy validators.
config_test_sources = tests/unit/test_config_util.c \
	tests/unit/test_config_util.h $(config_sources)
check_PROGRAMS += tests/unit/test_config tests/unit/test_config_match
TESTS += tests/unit/test_config tests/unit/test_config_match
tests_unit_test_config_SOURCES = tests/unit/test_config.c \
	$(config_test_sources)
tests_unit_test_config_CFLAGS = $(unit_cflags)
tests_unit_test_config_LDADD = $(unit_ldadd)
tests_unit_test_config_match_SOURCES = tests/unit/test_config_match.c \
	$(config_test_sources)
tests_unit_test_config_match_CFLAGS = $(unit_cflags)
tests_unit_test_config_match_LDADD = $(unit_ldadd)

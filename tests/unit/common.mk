# tests/unit/common.mk: common/match.c and common/addr.c (owned by the
# policy work).  The programs name the sources they test instead of
# linking libcommon.a, so they do not depend on the rest of common/.
check_PROGRAMS += tests/unit/test_match tests/unit/test_addr
TESTS += tests/unit/test_match tests/unit/test_addr

tests_unit_test_match_SOURCES = tests/unit/test_match.c \
	common/match.c common/addr.c common/err.c
tests_unit_test_match_CFLAGS = $(unit_cflags)
tests_unit_test_match_LDADD = $(CMOCKA_LIBS)

tests_unit_test_addr_SOURCES = tests/unit/test_addr.c \
	common/addr.c common/err.c
tests_unit_test_addr_CFLAGS = $(unit_cflags)
tests_unit_test_addr_LDADD = $(CMOCKA_LIBS)

# tests/unit/policy.mk: policy/ (pattern, policy_decide, explain, wrap).
check_PROGRAMS += tests/unit/test_pattern
TESTS += tests/unit/test_pattern

tests_unit_test_pattern_SOURCES = tests/unit/test_pattern.c
tests_unit_test_pattern_CFLAGS = $(unit_cflags)
tests_unit_test_pattern_LDADD = policy/libpolicy.a \
	common/libcommon.a $(CMOCKA_LIBS)

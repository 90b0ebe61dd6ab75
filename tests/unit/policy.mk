# tests/unit/policy.mk: policy/ (pattern, policy_decide, explain, wrap).
check_PROGRAMS += tests/unit/test_pattern tests/unit/test_policy
TESTS += tests/unit/test_pattern tests/unit/test_policy

policy_unit_ldadd = policy/libpolicy.a common/libcommon.a $(CMOCKA_LIBS)

tests_unit_test_pattern_SOURCES = tests/unit/test_pattern.c
tests_unit_test_pattern_CFLAGS = $(unit_cflags)
tests_unit_test_pattern_LDADD = $(policy_unit_ldadd)

tests_unit_test_policy_SOURCES = tests/unit/test_policy.c \
	tests/unit/test_policy_util.c tests/unit/test_policy_util.h
tests_unit_test_policy_CFLAGS = $(unit_cflags)
tests_unit_test_policy_LDADD = $(policy_unit_ldadd)

check_PROGRAMS += tests/unit/test_policy_ext
TESTS += tests/unit/test_policy_ext
tests_unit_test_policy_ext_SOURCES = tests/unit/test_policy_ext.c \
	tests/unit/test_policy_util.c tests/unit/test_policy_util.h
tests_unit_test_policy_ext_CFLAGS = $(unit_cflags)
tests_unit_test_policy_ext_LDADD = $(policy_unit_ldadd)

check_PROGRAMS += tests/unit/test_policy_explain
TESTS += tests/unit/test_policy_explain
tests_unit_test_policy_explain_SOURCES = tests/unit/test_policy_explain.c \
	tests/unit/test_policy_util.c tests/unit/test_policy_util.h
tests_unit_test_policy_explain_CFLAGS = $(unit_cflags)
tests_unit_test_policy_explain_LDADD = $(policy_unit_ldadd)

if WITH_LIBWRAP
check_PROGRAMS += tests/unit/test_policy_wrap
TESTS += tests/unit/test_policy_wrap
tests_unit_test_policy_wrap_SOURCES = tests/unit/test_policy_wrap.c
tests_unit_test_policy_wrap_CFLAGS = $(unit_cflags)
tests_unit_test_policy_wrap_LDADD = $(policy_unit_ldadd) $(WRAP_LIBS)
endif

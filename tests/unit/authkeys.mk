# tests/unit/authkeys.mk: authorized_keys parser (common/authkeys.c).
# Links libcommon.a only: common/ must not depend on policy/.
check_PROGRAMS += tests/unit/test_authkeys
TESTS += tests/unit/test_authkeys
tests_unit_test_authkeys_SOURCES = tests/unit/test_authkeys.c
tests_unit_test_authkeys_CFLAGS = $(unit_cflags)
tests_unit_test_authkeys_LDADD = common/libcommon.a $(CMOCKA_LIBS)

# tests/unit/authkeys.mk: authorized_keys parser (common/authkeys.c).
# Links libcommon.a only: common/ must not depend on policy/.
check_PROGRAMS += tests/unit/test_authkeys
TESTS += tests/unit/test_authkeys
tests_unit_test_authkeys_SOURCES = tests/unit/test_authkeys.c
tests_unit_test_authkeys_CFLAGS = $(unit_cflags)
tests_unit_test_authkeys_LDADD = common/libcommon.a $(CMOCKA_LIBS)

# sshd/auth_keys.c + sshd/auth_user.c (authorized_keys files, StrictModes,
# user checks), linked directly with libssh.
check_PROGRAMS += tests/unit/test_auth_keys
TESTS += tests/unit/test_auth_keys
tests_unit_test_auth_keys_SOURCES = tests/unit/test_auth_keys.c \
	sshd/auth_keys.c sshd/auth_user.c
tests_unit_test_auth_keys_CFLAGS = $(unit_cflags) $(LIBSSH_CFLAGS)
tests_unit_test_auth_keys_LDADD = common/libcommon.a $(LIBSSH_LIBS) \
	$(CMOCKA_LIBS)

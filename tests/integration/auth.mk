# tests/integration/auth.mk: the auth area's integration tests.
# t_auth_pam.sh needs tests/pam/pam_pc_test.so (built by make check WITH_PAM).
integration_tests += \
	tests/integration/t_auth_pubkey.sh \
	tests/integration/t_auth_users.sh \
	tests/integration/t_auth_pam.sh
integration_tests += tests/integration/t_auth_fail2ban.sh

# tests/integration/auth.mk: the auth area's integration tests, one per line:
#integration_tests += tests/integration/t_auth_example.sh

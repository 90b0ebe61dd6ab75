# tests/integration/session.mk: the session area's integration tests, one per line:
#integration_tests += tests/integration/t_session_example.sh

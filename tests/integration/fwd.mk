# tests/integration/fwd.mk: the fwd area's integration tests, one per line:
#integration_tests += tests/integration/t_fwd_example.sh

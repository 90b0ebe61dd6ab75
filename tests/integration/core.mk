# tests/integration/core.mk: the core area's integration tests, one per line:
#integration_tests += tests/integration/t_core_example.sh

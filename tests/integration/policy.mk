# tests/integration/policy.mk: the policy area's integration tests, one per line:
#integration_tests += tests/integration/t_policy_example.sh

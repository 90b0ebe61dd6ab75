# tests/integration/ops.mk: the operations area's integration tests
# (reload under traffic, interoperability with other clients, ssh-audit).
integration_tests += \
	tests/integration/t_ops_audit.sh

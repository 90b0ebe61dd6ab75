# tests/integration/ops.mk: the operations area's integration tests
# (reload under traffic, interoperability with other clients, ssh-audit).
integration_tests +=

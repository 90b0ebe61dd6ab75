# tests/integration/ops.mk: the operations area's integration tests
# (reload under traffic, interoperability with other clients, ssh-audit).
# OPS_RELOAD_MB (default 1024) sizes t_ops_reload.sh's transfer.
integration_tests += \
	tests/integration/t_ops_reload.sh \
	tests/integration/t_ops_paramiko.sh \
	tests/integration/t_ops_plink.sh \
	tests/integration/t_ops_audit.sh
EXTRA_DIST += tests/integration/ops_tcp.py tests/integration/ops_paramiko.py

# tests/integration/policy.mk: the policy area's integration tests (the
# forwarding-policy acceptance matrices; helpers in policy_lib.sh and
# policy_run.py).
integration_tests += \
	tests/integration/t_policy_fwdcontrol.sh \
	tests/integration/t_policy_cfgmatch.sh \
	tests/integration/t_policy_users.sh \
	tests/integration/t_policy_ports.sh \
	tests/integration/t_policy_dest.sh \
	tests/integration/t_policy_wrap.sh \
	tests/integration/t_policy_openssh.sh
EXTRA_DIST += tests/integration/policy_lib.sh \
	tests/integration/policy_run.py \
	tests/integration/policy_raw.py

# Daemon core: command line, configuration checking, listener, login.
integration_tests += \
	tests/integration/t_core_config.sh \
	tests/integration/t_core_login.sh \
	tests/integration/t_core_lifecycle.sh \
	tests/integration/t_core_nonroot.sh \
	tests/integration/t_core_privsep.sh \
	tests/integration/t_core_usedns.sh
EXTRA_DIST += tests/integration/core_idle.py

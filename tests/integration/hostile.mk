# tests/integration/hostile.mk: hostile-client and fault tests that fit
# in `make check` (each well under a minute).
integration_tests += \
	tests/integration/t_hostile_closereq.sh \
	tests/integration/t_hostile_wire.sh \
	tests/integration/t_hostile_flood.sh \
	tests/integration/t_hostile_session.sh \
	tests/integration/t_fault_reset.sh \
	tests/integration/t_fault_sigterm.sh
EXTRA_DIST += tests/integration/hostile_client.py \
	tests/integration/hostile_lib.sh \
	tests/integration/fault_tcp.py

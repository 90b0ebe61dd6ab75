# tests/integration/hostile.mk: hostile-client and fault tests that fit
# in `make check` (each well under a minute).
integration_tests += \
	tests/integration/t_hostile_closereq.sh \
	tests/integration/t_hostile_wire.sh \
	tests/integration/t_fault_reset.sh
EXTRA_DIST += tests/integration/hostile_client.py \
	tests/integration/fault_tcp.py

# tests/integration/fwd.mk: the forwarding area's integration tests.
# FWD_BIG_MB (default 64) sizes the bulk transfers of t_fwd_bulk.sh; the
# 1 GiB runs belong to a longer target (make check-fwd-long).
integration_tests += \
	tests/integration/t_fwd_local.sh \
	tests/integration/t_fwd_remote.sh
EXTRA_DIST += tests/integration/fwd_lib.sh tests/integration/fwd_tcp.py

# tests/integration/fwd.mk: the forwarding area's integration tests.
# FWD_BIG_MB (default 64) sizes the bulk transfers of t_fwd_bulk.sh;
# `make check-fwd-long` runs them with 1 GiB.
integration_tests += \
	tests/integration/t_fwd_local.sh \
	tests/integration/t_fwd_remote.sh \
	tests/integration/t_fwd_bulk.sh \
	tests/integration/t_fwd_many.sh \
	tests/integration/t_fwd_backpressure.sh \
	tests/integration/t_fwd_kill.sh \
	tests/integration/t_fwd_gateway.sh \
	tests/integration/t_fwd_interop.sh \
	tests/integration/t_fwd_limits.sh \
	tests/integration/t_fwd_connect.sh \
	tests/integration/t_fwd_wrap.sh
EXTRA_DIST += tests/integration/fwd_lib.sh tests/integration/fwd_tcp.py

check-fwd-long: sshd/portcullisd
	FWD_BIG_MB=1024 abs_top_builddir='$(abs_top_builddir)' \
	    abs_top_srcdir='$(abs_top_srcdir)' \
	    bash $(srcdir)/tests/integration/t_fwd_bulk.sh
.PHONY: check-fwd-long

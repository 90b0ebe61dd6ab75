# tests/integration/local.mk: integration tests (bash + the real OpenSSH
# client against sshd/portcullisd), run by `make check`.
#
# Each area owns one fragment below and lists its scripts there, one per
# line, by appending to integration_tests, e.g. in fwd.mk:
#	integration_tests += tests/integration/t_fwd_local.sh
# The scripts are added to TESTS and to the distribution from here; data
# files a test reads go to EXTRA_DIST in the same fragment.  Tests source
# tests/integration/lib.sh (its header documents the harness).

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = bash
AM_TESTS_ENVIRONMENT = \
	abs_top_builddir='$(abs_top_builddir)'; \
	abs_top_srcdir='$(abs_top_srcdir)'; \
	export abs_top_builddir abs_top_srcdir;

integration_tests = \
	tests/integration/t_harness_basic.sh \
	tests/integration/t_harness_openssh.sh \
	tests/integration/t_harness_docs.sh \
	tests/integration/t_harness_etc.sh

include tests/integration/core.mk
include tests/integration/auth.mk
include tests/integration/session.mk
include tests/integration/fwd.mk
include tests/integration/policy.mk
include tests/integration/ops.mk
include tests/integration/hostile.mk

TESTS += $(integration_tests)
EXTRA_DIST += $(integration_tests) \
	tests/integration/lib.sh \
	tests/integration/pc_tcp.py

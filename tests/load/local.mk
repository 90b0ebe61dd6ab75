# tests/load/local.mk: load tests too long for `make check`; run by
# `make check-load` and by `./dev.sh ci-extra` (step "load").
#
# Each l_*.sh sources tests/load/load_lib.sh (which sources the integration
# harness tests/integration/lib.sh) and prints its figures as
# "FIGURE name value" lines.  check-load runs them one after the other
# (they measure the daemon under load: running them in parallel would only
# measure each other), each under `timeout $(LOAD_TEST_TIMEOUT)`, writes
# tests/load/NAME.log and tests/load/figures.txt in the build tree, and
# fails if any test failed.  Exit status 77 is a skip (not root, ...).
#
#   make check-load                       all of them
#   make check-load LOAD_TESTS=tests/load/l_slowloris.sh
#   LD_SESSIONS=50 make check-load        smaller (see each script's header)

LOAD_TESTS = \
	tests/load/l_sessions.sh \
	tests/load/l_channels.sh \
	tests/load/l_slowloris.sh

LOAD_TEST_TIMEOUT = 300

EXTRA_DIST += $(LOAD_TESTS) \
	tests/load/load_lib.sh \
	tests/load/load_tool.py \
	tests/load/README.md

check-load: sshd/portcullisd$(EXEEXT)
	@mkdir -p tests/load; \
	fig=tests/load/figures.txt; : >$$fig; fail=0; start=$$(date +%s); \
	for t in $(LOAD_TESTS); do \
		n=$$(basename $$t .sh); log=tests/load/$$n.log; \
		echo "== $$n (log: $(abs_top_builddir)/$$log)"; \
		t0=$$(date +%s); \
		abs_top_builddir='$(abs_top_builddir)' \
		abs_top_srcdir='$(abs_top_srcdir)' \
		timeout -k 10 $(LOAD_TEST_TIMEOUT) \
			bash $(abs_top_srcdir)/$$t >$$log 2>&1; rc=$$?; \
		case $$rc in \
		0) res=PASS ;; \
		77) res=SKIP ;; \
		124) res="FAIL (timeout $(LOAD_TEST_TIMEOUT)s)"; fail=1 ;; \
		*) res="FAIL (status $$rc)"; fail=1 ;; \
		esac; \
		sed -n "s/^FIGURE /$$n /p" $$log | tee -a $$fig; \
		grep -E '^(FAIL|SKIP):' $$log || true; \
		echo "$$res: $$n ($$(($$(date +%s) - t0))s)"; \
		if [ "$$res" != PASS ] && [ "$$res" != SKIP ]; then \
			echo "---- last 30 lines of $$log ----"; tail -n 30 $$log; \
		fi; \
	done; \
	echo "check-load: $$(($$(date +%s) - start))s, figures in $(abs_top_builddir)/$$fig"; \
	exit $$fail

.PHONY: check-load

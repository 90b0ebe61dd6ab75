# tests/bench/local.mk: the benchmark, portcullisd against Debian's OpenSSH
# sshd in the same run (ratios).  Not part of `make check`; see the header
# of tests/bench/bench.py for the method.
#
#   make bench         full run (BENCH_REPS, BENCH_SIZE, BENCH_SERVERS,
#                      BENCH_WORKLOADS, BENCH_OUT from the environment)
#   make bench-quick   tiny sizes: proves the harness works (CI, < 3 min)
#
# blast is the C data source/sink; it is a check program so that it is
# built (and cleaned) like the other test programs but only on demand.

check_PROGRAMS += tests/bench/blast
tests_bench_blast_SOURCES = tests/bench/blast.c

EXTRA_DIST += tests/bench/bench.py tests/bench/benchlib.py tests/bench/bench.sh \
	tests/bench/chanclient.py \
	tests/bench/README.md

BENCH_ENV = \
	PORTCULLISD='$(abs_top_builddir)/sshd/portcullisd$(EXEEXT)' \
	BENCH_BLAST='$(abs_top_builddir)/tests/bench/blast$(EXEEXT)' \
	BENCH_RESULTS_DIR='$(abs_top_builddir)/tests/bench'

bench: sshd/portcullisd$(EXEEXT) tests/bench/blast$(EXEEXT)
	$(BENCH_ENV) $(SHELL) $(abs_top_srcdir)/tests/bench/bench.sh

bench-quick: sshd/portcullisd$(EXEEXT) tests/bench/blast$(EXEEXT)
	$(BENCH_ENV) BENCH_QUICK=1 $(SHELL) $(abs_top_srcdir)/tests/bench/bench.sh

.PHONY: bench bench-quick

# tests/fuzz/local.mk: the libFuzzer targets are built and run by
# tests/fuzz/run.sh with clang straight from the sources (they need
# -fsanitize=fuzzer, which the autotools build does not use); the long CI
# checks live in tests/ci/.  Here: ship them, and offer make shortcuts.
EXTRA_DIST += tests/fuzz tests/ci

.PHONY: fuzz-smoke
# FUZZ_SECONDS, FUZZ_JOBS, ... as documented in tests/fuzz/run.sh
fuzz-smoke:
	FUZZ_BUILDDIR="$${FUZZ_BUILDDIR:-$(abs_top_builddir)/fuzz}" \
		$(abs_top_srcdir)/tests/fuzz/run.sh

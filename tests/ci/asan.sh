#!/bin/bash
# tests/ci/asan.sh: the whole `make check` (unit + integration) on an
# ASan+UBSan build (configure --enable-sanitizers, gcc) in its own build
# directory.  Any sanitizer report fails the run: the unit tests abort on
# the first one, and the integration harness (tests/integration/lib.sh)
# fails a test whose daemon log shows one; this script also scans every
# test log afterwards, so nothing printed and ignored slips through.
#
# Usage: tests/ci/asan.sh [TEST...]   (TEST: e.g. tests/integration/t_core_login.sh;
#                                     default: the whole suite)
# Environment:
#   ASAN_BUILDDIR   build directory (default: build-asan in the source tree,
#                   git-ignored); configured once, rebuilt incrementally
#   JOBS            make -j (default 2)
#   CONFIGURE_FLAGS extra configure arguments
#   PC_BUILD_LOCK   lock file for autoreconf/make (flock), as dev.sh
#   ASAN_TIMEOUT    seconds for make check before it is stopped (default
#                   2400); 61 tests: 26 min and still not done at 1500 s on
#                   2 cores at load 20-80 (2026-11-24), less when idle
#
# Sanitizer settings (exported, so the daemon the harness starts gets them;
# also PC_SANITIZER=asan+ubsan for the tests, see below):
#   ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:verify_asan_link_order=0:
#   quarantine_size_mb=32
#   (below), LSAN_OPTIONS with tests/ci/lsan.supp, UBSAN_OPTIONS=
#   print_stacktrace=1:halt_on_error=1 (the build already has
#   -fno-sanitize-recover).  Each can be overridden from the environment.
#
# LD_PRELOAD and ASan (verify_asan_link_order): the harness runs the
# daemon with LD_PRELOAD of the cwrap libraries (nss_wrapper, pam_wrapper).
# A preloaded library comes before the executable's own DT_NEEDED ones, so
# libasan is not first and ASan aborts at start with "ASan runtime does not
# come first in initial library list".
#  - pc_start_daemon (lib.sh) puts the daemon's own libasan first in
#    LD_PRELOAD: every daemon the suite starts that way passes the check.
#  - A daemon run through pc_nss (LD_PRELOAD=$PC_PRELOAD only), e.g.
#    t_policy_cfgmatch.sh's "pc_nss $PORTCULLISD -T ...", aborts.
# So verify_asan_link_order=0 IS needed, for those runs only, and is set
# below.  It costs little: the wrappers interpose no allocator or string
# function, so every check on our code stays; only ASan's interceptors of
# the functions nss_wrapper itself defines (getpwnam, getaddrinfo, ...) are
# bypassed in those runs (fewer checks, never false reports).  Once lib.sh's
# pc_nss also puts libasan first, it can go.
#
# The daemon's sessions get an environment built from nothing (no
# LD_PRELOAD, no ASAN_OPTIONS), so shells and sftp-server run unsanitized.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${ASAN_BUILDDIR:-$SRC/build-asan}
case "$B" in
/*) ;;
*) B=$PWD/$B ;;
esac
JOBS=${JOBS:-2}
ASAN_TIMEOUT=${ASAN_TIMEOUT:-2400}
START=$SECONDS

say() {
	printf 'asan: %s\n' "$*"
}

finish() {
	# $1 status word, $2... details
	local st=$1
	shift
	echo "asan: $st: $* ($((SECONDS - START)) s, $B)"
}

locked() {
	if [ -n "${PC_BUILD_LOCK:-}" ] && command -v flock >/dev/null; then
		flock "$PC_BUILD_LOCK" "$@"
	else
		"$@"
	fi
}

# ---- configure -----------------------------------------------------------------
if [ ! -x "$SRC/configure" ] || [ ! -f "$SRC/Makefile.in" ]; then
	say "autoreconf -fi"
	(cd "$SRC" && locked autoreconf -fi) || {
		finish FAILED "autoreconf failed"
		exit 1
	}
fi
mkdir -p "$B"
if [ ! -f "$B/Makefile" ] || ! grep -q '^SAN_CFLAGS = -fsanitize=' "$B/Makefile"; then
	say "configure --enable-sanitizers in $B"
	# shellcheck disable=SC2086
	(cd "$B" && "$SRC/configure" --enable-sanitizers --enable-werror \
		${CONFIGURE_FLAGS:-}) >"$B/configure.out" 2>&1 || {
		tail -n 30 "$B/configure.out"
		finish FAILED "configure failed (see $B/configure.out)"
		exit 1
	}
fi

# ---- build (the daemon, libraries and every check program) -------------------------
say "make -j$JOBS (with check programs)"
if ! locked make -C "$B" -j"$JOBS" all >"$B/build.out" 2>&1 ||
	! locked make -C "$B" -j"$JOBS" check TESTS= >>"$B/build.out" 2>&1; then
	tail -n 40 "$B/build.out"
	finish FAILED "build failed (see $B/build.out)"
	exit 1
fi

# ---- make check ---------------------------------------------------------------------
# quarantine_size_mb=32: ASan keeps freed memory for use-after-free
# detection up to this size (default 256 MB); with the default a flood of
# 10,000 small requests grew a connection process to ~300 MB, hiding any
# real growth under the hostile tests' memory bound.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:verify_asan_link_order=0:quarantine_size_mb=32}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -f "$SRC/tests/ci/lsan.supp" ] && [ -z "${LSAN_OPTIONS:-}" ]; then
	export LSAN_OPTIONS=suppressions=$SRC/tests/ci/lsan.supp:print_suppressions=0
fi
# an ASan daemon starts and answers more slowly: give every wait more room
# (90 s as under PC_DAEMON_WRAPPER: at 60 s t_fwd_many's 100 parallel 1 MiB
# transfers timed out at load 86; a wait that succeeds costs no more)
export PC_TIMEOUT=${PC_TIMEOUT:-90}
# Tells a test that the daemon is a sanitizer build, for the few assertions
# that mean nothing there (RSS bounds: quarantine, redzones, shadow).  The
# tests also look at the binary itself (libasan in ldd, __asan_init in
# nm -D), so a run by hand is detected the same way.
export PC_SANITIZER=asan+ubsan

tests=()
if [ $# -gt 0 ]; then
	tests=("TESTS=$*")
fi
rm -f "$B/test-suite.log"
say "make check (ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS)"
rc=0
timeout --kill-after=30 "$ASAN_TIMEOUT" \
	make -C "$B" -j"$JOBS" check "${tests[@]}" >"$B/check.out" 2>&1 || rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	tail -n 20 "$B/check.out"
	finish FAILED "make check did not finish within ${ASAN_TIMEOUT}s"
	exit 1
fi

# ---- verdict ----------------------------------------------------------------------
# automake's summary of this run
pass=$(awk '/^# PASS:/ { print $3 }' "$B/check.out")
fail=$(awk '/^# (FAIL|ERROR|XPASS):/ { n += $3 } END { print n + 0 }' "$B/check.out")
skip=$(awk '/^# (SKIP|XFAIL):/ { n += $3 } END { print n + 0 }' "$B/check.out")

# every report in any test log, even from a test that passed
reports=$(find "$B/tests" -name '*.log' -newer "$B/build.out" -print0 2>/dev/null |
	xargs -0 -r grep -l -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|AddressSanitizer:DEADLYSIGNAL' \
		2>/dev/null || true)

if [ "$rc" -ne 0 ] || [ -n "$reports" ]; then
	grep -E '^(FAIL|ERROR|XPASS):' "$B/check.out" || true
	if [ -n "$reports" ]; then
		echo "sanitizer reports in:"
		# shellcheck disable=SC2086
		for f in $reports; do
			echo "  $f"
			grep -m 3 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY:' "$f" |
				sed 's/^/    /'
		done
	fi
	[ ! -f "$B/test-suite.log" ] || echo "details: $B/test-suite.log"
	finish FAILED "${pass:-0} passed, $fail failed, $skip skipped; sanitizer reports in $(echo "$reports" | grep -c . || true) log(s)"
	exit 1
fi
finish PASS "${pass:-0} passed, $fail failed, $skip skipped, no sanitizer report"

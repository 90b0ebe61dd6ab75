#!/bin/bash
# tests/ci/valgrind.sh: a subset of the integration tests with the daemon
# under valgrind memcheck (PC_DAEMON_WRAPPER, see tests/integration/lib.sh):
# invalid reads/writes, uninitialised values and definite/indirect leaks in
# the listener, every connection process and every session process fail
# the test (the harness scans the daemon log for valgrind's reports).
#
# Usage: tests/ci/valgrind.sh [TEST...]   (names like t_core_login.sh;
#                                         default: the subset below)
# Environment:
#   VALGRIND_BUILDDIR  a plain (no sanitizers) build; default: dev.sh's
#                      ${BUILD_DIR:-build}; configured and built if needed
#   VALGRIND_JOBS      tests run at the same time (default 2)
#   JOBS               make -j (default 2)
#   PC_BUILD_LOCK      lock file for autoreconf/make (flock), as dev.sh
#   VALGRIND_TIMEOUT   seconds one test may take (default 900: at load 40
#                      t_auth_users.sh took 576 s)
#   VALGRIND_EXTRA     more valgrind options (e.g. --track-origins=yes)
#
# The subset: the tests that exercise the most daemon code per second in
# each area: config (-t/-T), authentication (publickey, PAM, user lists),
# session channels (exec, sftp, pty), local and remote forwarding with the
# policy.  About 10 minutes on 2 busy cores (budget: 15).
#
# valgrind options and why:
#   --trace-children=yes            the daemon is followed through fork()
#                                   anyway; this also follows exec() of our
#                                   own binary (re-exec), but
#   --trace-children-skip=/bin/*,/usr/*,/sbin/*,/lib*
#                                   not into the user's shell, sftp-server
#                                   or other system programs: their leaks
#                                   are not ours and they would be slow
#   --leak-check=full --show-leak-kinds=definite,indirect
#   --errors-for-leak-kinds=definite,indirect
#                                   "possibly lost" blocks are interior
#                                   pointers held at exit (OpenSSL/libssh
#                                   caches), not leaks; definite/indirect are
#   --error-exitcode=1              the daemon's exit status shows it too
#   not --quiet                     lib.sh finds errors by the per-process
#                                   "ERROR SUMMARY: N" and "definitely lost:"
#                                   lines, which --quiet suppresses
#   --vgdb=no                       no gdbserver FIFOs in /tmp (a process
#                                   that dropped root cannot unlink them)
#   --suppressions=tests/ci/valgrind.supp  only provably libc/libssh/
#                                   OpenSSL-internal reports, each commented
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${VALGRIND_BUILDDIR:-${BUILD_DIR:-build}}
case "$B" in
/*) ;;
*) B=$SRC/$B ;;
esac
JOBS=${JOBS:-2}
VJOBS=${VALGRIND_JOBS:-2}
VALGRIND_TIMEOUT=${VALGRIND_TIMEOUT:-900}
START=$SECONDS

SUBSET=(
	t_core_config.sh
	t_core_login.sh
	t_core_lifecycle.sh
	t_auth_pubkey.sh
	t_auth_pam.sh
	t_auth_users.sh
	t_session_exec.sh
	t_session_sftp.sh
	t_session_pty.sh
	t_fwd_local.sh
	t_fwd_remote.sh
)
# t_core_login.sh and t_core_lifecycle.sh scale their LoginGraceTime when
# PC_DAEMON_WRAPPER runs valgrind (2 -> 30 s, 30 -> 120 s: a login under
# valgrind on a busy machine took longer than 2 s), and t_core_lifecycle.sh
# waits for a refused connection's process (still in valgrind's exit-time
# leak check, holding the only MaxStartups slot) to be gone before the next
# login; what they check is unchanged.
# Known valgrind artifact: t_session_exec.sh's check of the shell's signal
# mask once saw valgrind's own host mask (SigBlk:fffffffe7ffbfeff) on a
# machine with load 13 (valgrind's execve wrapper has a documented race
# when a signal arrives while it restores the client's mask); 0 in 30
# tries on an idle machine, never without valgrind.

say() {
	printf 'valgrind: %s\n' "$*"
}

finish() {
	local st=$1
	shift
	echo "valgrind: $st: $* ($((SECONDS - START)) s)"
}

locked() {
	if [ -n "${PC_BUILD_LOCK:-}" ] && command -v flock >/dev/null; then
		flock "$PC_BUILD_LOCK" "$@"
	else
		"$@"
	fi
}

command -v valgrind >/dev/null || {
	finish FAILED "valgrind not found (apt-get install valgrind)"
	exit 1
}

# ---- a plain build ----------------------------------------------------------------
if [ ! -x "$SRC/configure" ] || [ ! -f "$SRC/Makefile.in" ]; then
	say "autoreconf -fi"
	(cd "$SRC" && locked autoreconf -fi)
fi
mkdir -p "$B"
if [ ! -f "$B/Makefile" ]; then
	say "configure in $B"
	(cd "$B" && "$SRC/configure" --enable-werror) >"$B/configure.out" 2>&1 || {
		tail -n 30 "$B/configure.out"
		finish FAILED "configure failed (see $B/configure.out)"
		exit 1
	}
fi
if grep -q '^SAN_CFLAGS = -fsanitize=' "$B/Makefile"; then
	finish FAILED "$B is a sanitizer build; valgrind needs a plain one (VALGRIND_BUILDDIR)"
	exit 1
fi
# the check programs too: some tests need test modules (tests/pam/...)
say "make -j$JOBS in $B"
if ! locked make -C "$B" -j"$JOBS" all >"$B/valgrind-build.out" 2>&1 ||
	! locked make -C "$B" -j"$JOBS" check TESTS= >>"$B/valgrind-build.out" 2>&1; then
	tail -n 40 "$B/valgrind-build.out"
	finish FAILED "build failed (see $B/valgrind-build.out)"
	exit 1
fi

# ---- the tests ----------------------------------------------------------------------
if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=("${SUBSET[@]}")
fi
L=$B/valgrind-logs
mkdir -p "$L"
rm -f "$L"/*.log "$L"/*.rc

WRAPPER="valgrind --vgdb=no --trace-children=yes"
WRAPPER+=" --trace-children-skip=/bin/*,/usr/*,/sbin/*,/lib*"
WRAPPER+=" --leak-check=full --show-leak-kinds=definite,indirect"
WRAPPER+=" --errors-for-leak-kinds=definite,indirect --error-exitcode=1"
WRAPPER+=" --num-callers=30 --suppressions=$SRC/tests/ci/valgrind.supp"
WRAPPER+=" ${VALGRIND_EXTRA:-}"

run_test() {
	local t=$1 rc=0 t0=$SECONDS
	(
		cd "$B"
		export abs_top_builddir=$B abs_top_srcdir=$SRC
		export PC_DAEMON_WRAPPER=$WRAPPER
		timeout --kill-after=30 "$VALGRIND_TIMEOUT" \
			bash "$SRC/tests/integration/$t"
	) >"$L/$t.log" 2>&1 || rc=$?
	echo "$rc $((SECONDS - t0))" >"$L/$t.rc"
}

declare -A PID_OF
ran=()
missing=()
for t in "${tests[@]}"; do
	t=$(basename "$t")
	if [ ! -f "$SRC/tests/integration/$t" ]; then
		missing+=("$t")
		say "$t: not in the tree yet, skipped"
		continue
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$VJOBS" ]; do
		wait -n || true
	done
	say "start $t"
	run_test "$t" &
	PID_OF[$t]=$!
	ran+=("$t")
done

pass=0 fail=0 skip=0 failed=()
for t in "${ran[@]}"; do
	wait "${PID_OF[$t]}" 2>/dev/null || true
	read -r rc secs <"$L/$t.rc" || { rc=missing; secs='?'; }
	case "$rc" in
	0)
		pass=$((pass + 1))
		say "$t: PASS (${secs}s)"
		;;
	77)
		skip=$((skip + 1))
		say "$t: SKIP (${secs}s): $(grep -m 1 '^SKIP' "$L/$t.log" || true)"
		;;
	*)
		fail=$((fail + 1))
		failed+=("$t")
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			say "$t: FAILED: timed out after ${VALGRIND_TIMEOUT}s; log: $L/$t.log"
		else
			say "$t: FAILED (exit $rc, ${secs}s); log: $L/$t.log"
		fi
		{ grep -E '^FAIL|==[0-9]+== (Invalid|Conditional|Use of|Syscall param|[0-9,]+ bytes in)|ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]' \
			"$L/$t.log" || true; } | head -n 15 | sed 's/^/    /'
		;;
	esac
done

if [ "$fail" -gt 0 ]; then
	finish FAILED "$pass passed, $fail failed (${failed[*]}), $skip skipped${missing:+, ${#missing[@]} not present}"
	exit 1
fi
finish PASS "$pass passed, $fail failed, $skip skipped${missing:+, ${#missing[@]} not present}; no valgrind errors"

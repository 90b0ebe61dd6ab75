#!/usr/bin/env bash
# dev.sh: the one entry point for developers and CI.
#
#   ./dev.sh deps       install the Debian (bookworm) packages we need
#   ./dev.sh build      autoreconf if needed, configure in build/, make
#   ./dev.sh run        deps + build, then run the daemon on 127.0.0.1:2222
#                       in the foreground with a development config in .dev/
#   ./dev.sh test       deps + build + `make check` (unit + integration)
#   ./dev.sh ci-extra [STEP...]
#                       the longer checks (all steps, or the named ones)
#   ./dev.sh clean      remove build/, build-asan/ and .dev/
#
# Environment: BUILD_DIR (default build), CONFIGURE_FLAGS (extra configure
# arguments), JOBS (default 2), PC_BUILD_LOCK (a lock file: autoreconf and
# make run under flock(1) when it is set and flock exists).  CI=true needs no
# terminal; nothing here reads standard input.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in
/*) B=$BUILD_DIR ;;
*) B=$ROOT/$BUILD_DIR ;;
esac
JOBS=${JOBS:-2}
DEV=$ROOT/.dev
DEV_PORT=2222
export DEBIAN_FRONTEND=noninteractive

# Everything the build, the tests and ci-extra use (Debian bookworm names).
DEPS=(
	build-essential autoconf automake pkg-config
	libssh-dev libssl-dev libpam0g-dev libwrap0-dev libsystemd-dev
	libcmocka-dev
	libnss-wrapper libpam-wrapper libuid-wrapper libsocket-wrapper
	libpamtest0-dev
	openssh-client openssh-server openssh-sftp-server putty-tools
	python3 python3-paramiko
	curl iproute2 procps psmisc util-linux socat
	valgrind clang libfuzzer-14-dev libclang-rt-14-dev
	fail2ban ssh-audit nftables
	debhelper devscripts fakeroot dpkg-dev
)

say() {
	printf '==> %s\n' "$*"
}

die() {
	printf 'dev.sh: %s\n' "$*" >&2
	exit 1
}

# Run a build command, under flock when PC_BUILD_LOCK names a lock file
# (several builds sharing one source tree regenerate the same files).
locked() {
	if [ -n "${PC_BUILD_LOCK:-}" ] && command -v flock >/dev/null; then
		flock "$PC_BUILD_LOCK" "$@"
	else
		"$@"
	fi
}

cmd_deps() {
	local p missing=() st
	for p in "${DEPS[@]}"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || st=
		[ "$st" = installed ] || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "deps: all ${#DEPS[@]} packages installed"
		return 0
	fi
	say "deps: installing ${missing[*]}"
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null ||
			die "missing packages (${missing[*]}) and not root"
		sudo=(sudo -n)
	fi
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

cmd_build() {
	if [ ! -x "$ROOT/configure" ] || [ ! -f "$ROOT/Makefile.in" ]; then
		say "autoreconf -fi"
		locked autoreconf -fi
	fi
	mkdir -p "$B"
	if [ ! -f "$B/Makefile" ]; then
		say "configure in $B"
		# shellcheck disable=SC2086
		(cd "$B" && "$ROOT/configure" --enable-werror ${CONFIGURE_FLAGS:-})
	fi
	say "make -j$JOBS in $B"
	locked make -C "$B" -j"$JOBS"
}

# The development setup: keys and a config in .dev/ (git-ignored).
dev_setup() {
	local user hostpub
	user=$(id -un)
	mkdir -p "$DEV"
	chmod 700 "$DEV"
	[ -f "$DEV/ssh_host_ed25519_key" ] ||
		ssh-keygen -q -t ed25519 -N '' -C portcullis-dev-host \
			-f "$DEV/ssh_host_ed25519_key" </dev/null
	[ -f "$DEV/id_ed25519" ] ||
		ssh-keygen -q -t ed25519 -N '' -C "$user@portcullis-dev" \
			-f "$DEV/id_ed25519" </dev/null
	hostpub=$(cut -d' ' -f1,2 "$DEV/ssh_host_ed25519_key.pub")
	printf '[localhost]:%s %s\n[127.0.0.1]:%s %s\n' \
		"$DEV_PORT" "$hostpub" "$DEV_PORT" "$hostpub" >"$DEV/known_hosts"
	cp "$DEV/id_ed25519.pub" "$DEV/authorized_keys"
	chmod 600 "$DEV/authorized_keys"
	cat >"$DEV/sshd_config" <<EOF
# Development configuration written by ./dev.sh run (regenerated each run).
ListenAddress 127.0.0.1
Port $DEV_PORT
HostKey $DEV/ssh_host_ed25519_key
PidFile $DEV/portcullisd.pid
# Any user who logs in uses this file; it holds .dev/id_ed25519.pub.
AuthorizedKeysFile $DEV/authorized_keys
StrictModes no
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
}

cmd_run() {
	cmd_deps
	cmd_build
	dev_setup
	cat <<EOF

portcullisd runs in the foreground on 127.0.0.1:$DEV_PORT (Ctrl-C stops it).
In another terminal, from $ROOT:

    ssh -p 2222 -i .dev/id_ed25519 -o UserKnownHostsFile=.dev/known_hosts -o StrictHostKeyChecking=accept-new localhost

EOF
	exec "$B/sshd/portcullisd" -D -e -f "$DEV/sshd_config"
}

# One line a CI reader understands: "tests: N passed, N failed, N skipped".
test_summary() {
	local log=$1 pass fail skip
	[ -f "$log" ] || return 0
	pass=$(awk '/^# PASS:/ { print $3 }' "$log")
	fail=$(awk '/^# (FAIL|ERROR|XPASS):/ { n += $3 } END { print n + 0 }' "$log")
	skip=$(awk '/^# (SKIP|XFAIL):/ { n += $3 } END { print n + 0 }' "$log")
	echo "tests: ${pass:-0} passed, $fail failed, $skip skipped"
}

cmd_test() {
	local rc=0
	cmd_deps
	cmd_build
	# Build the test programs under the lock, run the tests outside it.
	locked make -C "$B" -j"$JOBS" check TESTS=
	say "make check"
	make -C "$B" -j"$JOBS" check || rc=$?
	if [ "$rc" -ne 0 ] && [ -f "$B/test-suite.log" ]; then
		echo "==== $B/test-suite.log ===="
		cat "$B/test-suite.log"
	fi
	test_summary "$B/test-suite.log" | tee "$B/test-summary.txt"
	return "$rc"
}

# ---- ci-extra: named steps, each a function ci_<name> -----------------------
# Add a step: write ci_<name> (return non-zero on failure) and list it here.
# Budget for the whole list: about 60 minutes on 2 cores (.ci/run also runs
# the test suite first, and CI stops at 90).  The sanitizer runs come last:
# asan (the whole suite under ASan+UBSan) and valgrind (a subset with the
# daemon under memcheck) are the longest.
CI_STEPS=(install distcheck deb fuzz load bench asan valgrind)

# Run a script of the repository if it exists yet (steps whose script is
# still being written are skipped, and say so).
ci_script() {
	local f=$ROOT/$1
	shift
	if [ ! -f "$f" ]; then
		echo "skipped: ${f#"$ROOT/"} does not exist yet"
		return 0
	fi
	bash "$f" "$@"
}

# ASan+UBSan build and the whole suite (tests/ci/asan.sh).
ci_asan() {
	ci_script tests/ci/asan.sh
}

# A subset of the integration tests with the daemon under valgrind.
ci_valgrind() {
	VALGRIND_BUILDDIR=$B ci_script tests/ci/valgrind.sh
}

# Load tests too long for `make check` (tests/load/: `make check-load`).
ci_load() {
	if ! grep -q '^check-load:' "$B/Makefile" 2>/dev/null; then
		echo "skipped: no check-load target yet"
		return 0
	fi
	make -C "$B" check-load
}

# libFuzzer smoke run of every target (tests/fuzz/run.sh).
ci_fuzz() {
	FUZZ_SECONDS=${FUZZ_SECONDS:-30} FUZZ_BUILDDIR=$B/fuzz \
		ci_script tests/fuzz/run.sh
}

# The benchmark harness on tiny sizes (proves it works; asserts nothing).
ci_bench() {
	if ! grep -q '^bench-quick:' "$B/Makefile" 2>/dev/null; then
		echo "skipped: no bench-quick target yet"
		return 0
	fi
	make -C "$B" bench-quick
}

# A scratch directory under build/, emptied first.
ci_scratch() {
	rm -rf "$B/ci-$1"
	mkdir -p "$B/ci-$1"
	echo "$B/ci-$1"
}

# `make install` into a staging dir (with the configured prefix): the
# expected files are there, and the systemd units pass `systemd-analyze
# verify` against the staged binary.
ci_install() {
	local d f unitdir
	d=$(ci_scratch install)
	locked make -C "$B" install DESTDIR="$d/root" >/dev/null
	for f in sbin/portcullisd etc/portcullis/sshd_config etc/pam.d/portcullis \
		systemd/system/portcullis.service systemd/system/portcullis.socket \
		man8/portcullisd.8 man5/portcullisd_config.5 \
		portcullis/hosts.allow.example; do
		[ -n "$(find "$d/root" -path "*/$f")" ] ||
			{ echo "not installed: .../$f"; return 1; }
	done
	unitdir=$(dirname "$(find "$d/root" -path '*/systemd/system/portcullis.service')")
	ci_verify_units "$d/root" "${unitdir#"$d/root"}"
}

# systemd-analyze verify ROOT UNITDIR: the units in ROOT/UNITDIR, with
# the system's targets copied into ROOT; any message is a failure.
ci_verify_units() {
	local root=$1 unitdir=$2 out
	command -v systemd-analyze >/dev/null ||
		{ echo "systemd-analyze not found: units not verified"; return 0; }
	mkdir -p "$root/lib/systemd/system"
	cp -n /lib/systemd/system/*.target "$root/lib/systemd/system/" 2>/dev/null || true
	out=$(systemd-analyze verify --man=no --root="$root" \
		"$unitdir/portcullis.service" "$unitdir/portcullis.socket" 2>&1) || {
		echo "$out"
		return 1
	}
	[ -z "$out" ] || { echo "$out"; return 1; }
	echo "systemd-analyze verify: $unitdir/portcullis.{service,socket} OK"
}

# The .deb, built from the distribution tarball (never in this tree), then
# its contents and units checked.
ci_deb() {
	local d deb
	d=$(ci_scratch deb)
	locked make -C "$B" dist-gzip >/dev/null
	tar -C "$d" -xzf "$B"/portcullis-*.tar.gz
	(cd "$d"/portcullis-*/ && CI=true DEB_BUILD_OPTIONS="parallel=$JOBS" \
		dpkg-buildpackage -us -uc -b) >"$d/build.log" 2>&1 || {
		tail -n 60 "$d/build.log"
		return 1
	}
	deb=$(ls "$d"/portcullis_*.deb)
	echo "built $(basename "$deb")"
	dpkg-deb -c "$deb" >"$d/contents"
	for f in usr/sbin/portcullisd etc/portcullis/sshd_config \
		etc/pam.d/portcullis lib/systemd/system/portcullis.service \
		lib/systemd/system/portcullis.socket \
		usr/share/man/man8/portcullisd.8.gz; do
		grep -q " \./$f\$" "$d/contents" ||
			{ echo "$f missing from $deb"; return 1; }
	done
	dpkg-deb -f "$deb" Depends
	dpkg-deb -x "$deb" "$d/root"
	ci_verify_units "$d/root" /lib/systemd/system
}

# The tarball: every file git tracks is in it (but .ci/ and .gitignore
# files), then distcheck (build, unit tests, install, uninstall, clean from
# the tarball).  The integration suite already ran in `./dev.sh test` and
# skips here (PC_SKIP_INTEGRATION); the file list catches a test script or
# helper missing from EXTRA_DIST.  Only `make dist` touches the source
# tree; distcheck works in its own copy, outside the build lock.
ci_distcheck() {
	local tarball missing
	locked make -C "$B" dist-gzip >/dev/null
	tarball=$(ls -t "$B"/portcullis-*.tar.gz | head -n 1)
	if [ -d "$ROOT/.git" ] && command -v git >/dev/null; then
		missing=$(comm -23 \
			<(git -C "$ROOT" ls-files | grep -v -e '^\.ci/' -e '\.gitignore$' | sort) \
			<(tar tzf "$tarball" | sed 's|^[^/]*/||' | sort))
		if [ -n "$missing" ]; then
			echo "tracked files missing from $(basename "$tarball") (add them to EXTRA_DIST):"
			echo "$missing"
			return 1
		fi
		echo "$(basename "$tarball"): every tracked file is in it"
	fi
	PC_SKIP_INTEGRATION=1 make -C "$B" -j"$JOBS" distcheck \
		DISTCHECK_CONFIGURE_FLAGS="--enable-werror"
}

cmd_ci_extra() {
	local steps=("$@") s failed=() t0
	[ ${#steps[@]} -gt 0 ] || steps=("${CI_STEPS[@]}")
	cmd_deps
	cmd_build
	for s in "${steps[@]}"; do
		declare -F "ci_$s" >/dev/null || die "no ci-extra step '$s' (have: ${CI_STEPS[*]})"
	done
	for s in "${steps[@]}"; do
		echo
		echo "==================== ci-extra: $s ===================="
		t0=$SECONDS
		if "ci_$s"; then
			echo "==== ci-extra: $s passed ($((SECONDS - t0)) s)"
		else
			echo "==== ci-extra: $s FAILED ($((SECONDS - t0)) s)"
			failed+=("$s")
		fi
	done
	echo
	echo "ci-extra: $((${#steps[@]} - ${#failed[@]})) of ${#steps[@]} steps passed${failed:+; failed: ${failed[*]}}"
	[ ${#failed[@]} -eq 0 ]
}

cmd_clean() {
	say "removing $B, $ROOT/build-asan and $DEV"
	rm -rf "$B" "$ROOT/build-asan" "$DEV"
}

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit "${1:-0}"
}

[ $# -ge 1 ] || usage 1
cmd=$1
shift
case "$cmd" in
deps) cmd_deps ;;
build) cmd_build ;;
run) cmd_run ;;
test) cmd_test ;;
ci-extra) cmd_ci_extra "$@" ;;
clean) cmd_clean ;;
-h | --help | help) usage 0 ;;
*) usage 1 ;;
esac

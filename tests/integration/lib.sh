# shellcheck shell=bash
# tests/integration/lib.sh: the shared harness of the integration tests.
#
# A test is a bash script tests/integration/t_<area>_<what>.sh run by
# `make check` (or by hand: `bash tests/integration/t_x.sh` from a build
# dir, or with PORTCULLISD=/path/to/portcullisd).  It starts with
#
#	. "$(dirname "$0")/lib.sh"
#	pc_init
#
# and ends with pc_pass.  Everything lives in a private temp dir $T that is
# removed on exit (PC_KEEP=1 keeps it and prints where).  The harness needs
# root: the daemon switches to the fake users' real uids after login.
#
# ---- Setup ---------------------------------------------------------------
# pc_init              strict mode (set -euo pipefail), stdin from /dev/null,
#                      $T (mode 755), EXIT trap (stops every process the test
#                      started, by PID, and their descendants; then rm $T),
#                      nss_wrapper users, host key, one client key per user.
#   Users (nss_wrapper, $T/passwd and $T/group; homes $T/home/USER owned by
#   the user, mode 755, ~/.ssh mode 700, shell /bin/sh):
#     root 0, alice 20001, bob 20002, carol 20003 (primary groups of the same
#     name and gid), group fwdusers 20010 = alice,carol, staff2 20011 = bob.
#   Variables: T, PC_SRCDIR, PC_BUILDDIR, PORTCULLISD, PC_PRELOAD (the
#   LD_PRELOAD given to the daemon, never to the clients), PC_PYTHON
#   (a python3 that has paramiko when the system has it), PC_TIMEOUT
#   (seconds for every wait, default 20, 90 under PC_DAEMON_WRAPPER).
#   PC_SKIP_INTEGRATION=1 makes every integration test skip (exit 77).
# pc_nss CMD...        run CMD with the wrapper LD_PRELOAD (e.g. getent).
# pc_use_pam [USER:PASSWORD...]
#                      PAM through pam_wrapper: service 'portcullis' in
#                      $T/pam.d using pam_matrix.so with passdb $T/passdb
#                      (lines USER:PASSWORD:portcullis); adds libpam_wrapper
#                      to PC_PRELOAD and makes pc_config write UsePAM yes.
# pc_hostkey rsa|ecdsa another host key ($T/hostkey_TYPE), added to the
#                      HostKey lines and known_hosts (call before pc_config).
# pc_userkey USER TYPE [NAME]
#                      new client key $T/keys/NAME (NAME defaults to USER,
#                      which replaces that user's default key).
# pc_authorize [-k NAME] USER [OPTIONS]
#                      append the public key $T/keys/NAME (default USER) to
#                      $T/home/USER/.ssh/authorized_keys (600, owned by USER),
#                      prefixed by OPTIONS (e.g. 'permitopen="x:1",no-pty').
# pc_free_port         print a free TCP port on 127.0.0.1 (10000-32767,
#                      never 2222, never one this test already got).
# pc_config            write $T/sshd_config: the base below plus the lines
#                      on stdin (heredoc).  A keyword given on stdin before
#                      any Match replaces the base line(s) of that keyword
#                      (OpenSSH keeps the first value, so appending would
#                      not override); for repeatable keywords (HostKey,
#                      ListenAddress, Subsystem) the test's lines replace
#                      all the base ones.
#                      Picks PORT (pc_free_port) unless set; writes
#                      $T/known_hosts for [127.0.0.1]:PORT.  Base:
#                        Port PORT, ListenAddress 127.0.0.1,
#                        HostKey $T/hostkey (+ pc_hostkey ones),
#                        PidFile $T/pid, LogLevel $PC_LOGLEVEL (VERBOSE),
#                        AuthorizedKeysFile .ssh/authorized_keys,
#                        StrictModes yes, UsePAM no (yes after pc_use_pam),
#                        Subsystem sftp /usr/lib/openssh/sftp-server
#
# ---- The daemon ------------------------------------------------------------
# pc_start_daemon [ARGS...]
#                      run "$PC_DAEMON_WRAPPER $PORTCULLISD -D -e
#                      -f $T/sshd_config -p $PORT ARGS" as root with
#                      PC_PRELOAD; stdout+stderr appended to $T/daemon.log
#                      ($PC_LOG); waits until it listens on PORT (fails with
#                      the log if it exits first).  Sets PC_DAEMON_PID.
#                      PC_DAEMON_WRAPPER e.g. "valgrind --leak-check=full
#                      --error-exitcode=1".  Runs pc_config if not done.
#                      (Started with & from a script, the daemon inherits
#                      SIGINT and SIGQUIT ignored, as every bash background
#                      job does; use SIGTERM/SIGHUP.)
# pc_stop_daemon       SIGTERM, wait (deadline), SIGKILL if needed; sets
#                      PC_DAEMON_STATUS.  Also kills the daemon's children.
# pc_check_sanitizers  fail if the daemon log shows ASan/UBSan/valgrind
#                      errors (also run automatically at exit).
#
# Sessions: a shell the daemon starts sees the fake users only if the
# daemon passes LD_PRELOAD and NSS_WRAPPER_* on to it (OpenSSH's sshd cleans
# them out; t_harness_openssh.sh hands them back with SetEnv).
#
# ---- Clients -----------------------------------------------------------------
# pc_ssh USER [SSH ARGS...] [COMMAND...]
#                      OpenSSH's ssh to 127.0.0.1 -p PORT as USER with
#                      -F /dev/null, -i $T/keys/USER (unless ARGS has -i),
#                      known_hosts $T/known_hosts, StrictHostKeyChecking=yes,
#                      BatchMode=yes, ConnectTimeout, IdentitiesOnly=yes,
#                      LogLevel=ERROR.  Options in ARGS come first, so they
#                      win (ssh keeps the first value).  No wrapper preload.
# pc_sftp USER [SFTP ARGS...]   the same for sftp (e.g. -b batchfile).
# pc_ssh_opts USER     print those options one per line (for scp, etc.).
# pc_listening PORT [PID]  succeed if a TCP socket listens on PORT (owned by
#                      PID); makes no connection.  E.g. after "pc_bg pc_ssh
#                      alice -N -L P:..": pc_wait_for pc_listening P.
# pc_bg CMD...         run CMD in the background, record its PID for
#                      cleanup, set PC_BG_PID (e.g. pc_bg pc_ssh alice -N -L..)
# pc_kill PID...       stop processes (TERM, deadline, KILL) and reap them.
#
# ---- Waiting and verdicts ------------------------------------------------------
# pc_wait_for CMD...   run CMD until it succeeds or PC_TIMEOUT passes;
#                      returns 1 on timeout (no sleep-and-hope anywhere).
# pc_wait_log [-F] [-n COUNT] PATTERN
#                      wait until the daemon log has COUNT (1) lines matching
#                      PATTERN (grep -E; -F fixed string); fails on timeout.
# pc_expect_log [-F] PATTERN      fail now unless the log matches.
# pc_expect_no_log [-F] PATTERN   fail now if the log matches.
# pc_log_count [-F] PATTERN       print how many log lines match.
# pc_expect_eq EXPECTED ACTUAL WHAT   fail, saying both, unless equal.
# pc_fail MSG          print FAIL: MSG (+ the daemon log tail), exit 1.
# pc_skip MSG          print SKIP: MSG, exit 77.
# pc_pass              print PASS, exit 0.
#
# ---- TCP helpers (tests/integration/pc_tcp.py) ---------------------------------
# Each server runs in the background, its PID is recorded, and the function
# sets PC_TCP_PORT (the port it listens on) and PC_TCP_PID.  Servers listen on
# 127.0.0.1 unless BIND=ADDR is given, and stop by themselves after 300 s.
# pc_tcp_echo          echo server (any number of connections).
# pc_tcp_sink OUTFILE  accept one connection, read to EOF, write
#                      "SHA256HEX BYTES" to OUTFILE, exit.
# pc_tcp_blackhole     accept connections and never read from them.
# pc_tcp_source HOST PORT BYTES
#                      connect, send BYTES random bytes, shut down writing,
#                      print "SHA256HEX BYTES" of what was sent.
# pc_tcp_echo_check HOST PORT BYTES
#                      send BYTES random bytes and read them back; succeeds
#                      only if what came back is identical.
# pc_tcp_probe HOST PORT  succeed if a TCP connect succeeds.
# pc_tcp ARGS...       run pc_tcp.py directly (see its --help).

# ---------------------------------------------------------------------------

PC_USERS=(alice bob carol)
declare -A PC_UID=([root]=0 [alice]=20001 [bob]=20002 [carol]=20003)
PC_PIDS=()
PC_HOSTKEYS=()
PC_DAEMON_PID=
PC_DAEMON_STATUS=
PC_PAM=no
PC_CONFIGURED=no

# Time in microseconds, without starting a process (bash 5).
pc__now() {
	echo "${EPOCHREALTIME/./}"
}

# pc__deadline_passed START SECONDS (START from pc__now; SECONDS may have
# a fraction, e.g. 0.2)
pc__deadline_passed() {
	local whole=${2%%.*} frac=000000
	[ -n "$whole" ] || whole=0
	if [[ "$2" == *.* ]]; then
		frac=${2#*.}000000
		frac=${frac:0:6}
	fi
	(( ${EPOCHREALTIME/./} - $1 > whole * 1000000 + 10#$frac ))
}

# Is PID running (not a zombie)?  No process started.
pc__alive() {
	local line st
	[ -r "/proc/$1/stat" ] || return 1
	read -r line <"/proc/$1/stat" 2>/dev/null || return 1
	st=${line##*) }
	st=${st%% *}
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Every descendant of the given PIDs (children are found before their
# parent is killed: once it is gone they belong to init).
pc__descendants() {
	local out
	out=$(ps -e -o pid=,ppid= 2>/dev/null) || return 0
	awk -v roots="$*" '
		{ kids[$2] = kids[$2] " " $1 }
		END {
			n = split(roots, q, " ")
			for (i = 1; i <= n; i++) {
				split(kids[q[i]], c, " ")
				for (j in c) {
					if (c[j] != "" && !(c[j] in seen)) {
						seen[c[j]] = 1; print c[j]; q[++n] = c[j]
					}
				}
			}
		}' <<<"$out"
}

# Drop PIDs from the cleanup list once they have been stopped.
pc__forget() {
	local keep=() p q gone
	for p in "${PC_PIDS[@]}"; do
		gone=no
		for q in "$@"; do
			[ "$p" != "$q" ] || gone=yes
		done
		[ "$gone" = yes ] || keep+=("$p")
	done
	PC_PIDS=("${keep[@]}")
}

pc_kill() {
	local pids=() p start
	[ $# -gt 0 ] || return 0
	# shellcheck disable=SC2207
	pids=("$@" $(pc__descendants "$@"))
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	start=$(pc__now)
	for p in "${pids[@]}"; do
		while pc__alive "$p"; do
			if pc__deadline_passed "$start" 5; then
				kill -KILL "$p" 2>/dev/null || true
			fi
			sleep 0.05
		done
	done
	for p in "$@"; do
		wait "$p" 2>/dev/null || true
	done
	pc__forget "$@"
}

pc__log_tail() {
	if [ -n "${PC_LOG:-}" ] && [ -s "$PC_LOG" ]; then
		echo "---- last 40 lines of $PC_LOG ----" >&2
		tail -n 40 "$PC_LOG" >&2
		echo "----" >&2
	fi
}

pc_fail() {
	echo "FAIL: ${PC_TEST_NAME:-test}: $*" >&2
	if [ -n "${T:-}" ] && [ ! -d "$T" ]; then
		echo "NOTE: the test directory $T is gone: something outside the test removed it" >&2
	fi
	pc__log_tail
	exit 1
}

pc_skip() {
	echo "SKIP: ${PC_TEST_NAME:-test}: $*" >&2
	exit 77
}

pc_pass() {
	echo "PASS: ${PC_TEST_NAME:-test}"
	exit 0
}

pc_expect_eq() {
	[ "$1" = "$2" ] || pc_fail "$3: expected '$1', got '$2'"
}

pc__sanitizer_report() {
	[ -n "${PC_LOG:-}" ] && [ -f "$PC_LOG" ] || return 1
	grep -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]' \
		"$PC_LOG"
}

pc_check_sanitizers() {
	local r
	if r=$(pc__sanitizer_report); then
		pc_fail "sanitizer/valgrind errors in the daemon log: $r"
	fi
}

pc__cleanup() {
	local rc=$? r
	set +e
	trap - EXIT INT TERM HUP
	if [ "${#PC_PIDS[@]}" -gt 0 ]; then
		pc_kill "${PC_PIDS[@]}"
	fi
	if [ "$rc" -eq 0 ] && r=$(pc__sanitizer_report); then
		echo "FAIL: ${PC_TEST_NAME:-test}: sanitizer/valgrind errors" \
			"in the daemon log:" >&2
		echo "$r" >&2
		rc=1
	fi
	if [ "$rc" -ne 0 ] && [ -n "${T:-}" ] && [ ! -d "$T" ]; then
		echo "NOTE: the test directory $T is gone: something outside the test removed it" >&2
	fi
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		if [ "${PC_KEEP:-0}" = 1 ]; then
			echo "PC_KEEP=1: test files kept in $T" >&2
		else
			rm -rf "$T"
		fi
	fi
	exit "$rc"
}

pc__find_builddir() {
	if [ -n "${abs_top_builddir:-}" ]; then
		echo "$abs_top_builddir"
	elif [ -x "$PWD/sshd/portcullisd" ] || [ -f "$PWD/config.status" ]; then
		echo "$PWD"
	else
		echo "$PC_SRCDIR"
	fi
}

pc__write_passwd() {
	local u
	{
		echo "root:x:0:0:root:$T/home/root:/bin/sh"
		for u in "${PC_USERS[@]}"; do
			echo "$u:x:${PC_UID[$u]}:${PC_UID[$u]}:$u:$T/home/$u:/bin/sh"
		done
		# OpenSSH's sshd (used by t_harness_openssh.sh) needs its
		# privilege separation user.
		echo "sshd:x:${PC_SSHD_UID}:65534::/run/sshd:/usr/sbin/nologin"
	} >"$T/passwd"
	{
		echo "root:x:0:"
		for u in "${PC_USERS[@]}"; do
			echo "$u:x:${PC_UID[$u]}:"
		done
		echo "fwdusers:x:20010:alice,carol"
		echo "staff2:x:20011:bob"
		echo "nogroup:x:65534:"
	} >"$T/group"
}

pc__make_home() {
	local u=$1 uid=${PC_UID[$1]}
	mkdir -p "$T/home/$u/.ssh"
	chown "$uid:$uid" "$T/home/$u" "$T/home/$u/.ssh"
	chmod 755 "$T/home/$u"
	chmod 700 "$T/home/$u/.ssh"
}

pc__keygen() {
	# $1 type, $2 file
	local bits=()
	case "$1" in
	rsa) bits=(-b 3072) ;;
	ecdsa) bits=(-b 256) ;;
	ed25519) ;;
	*) pc_fail "unknown key type '$1'" ;;
	esac
	rm -f "$2" "$2.pub"
	ssh-keygen -q -t "$1" "${bits[@]}" -N '' -C "pc-test-$1" -f "$2" \
		</dev/null >/dev/null || pc_fail "ssh-keygen -t $1 failed"
}

pc_init() {
	local lib
	set -euo pipefail
	umask 022
	exec </dev/null
	PC_TEST_NAME=$(basename "$0" .sh)
	PC_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	PC_BUILDDIR=$(pc__find_builddir)
	: "${PORTCULLISD:=$PC_BUILDDIR/sshd/portcullisd}"
	if [ -n "${PC_DAEMON_WRAPPER:-}" ]; then
		: "${PC_TIMEOUT:=90}"
	else
		: "${PC_TIMEOUT:=20}"
	fi
	: "${PC_LOGLEVEL:=VERBOSE}"
	if [ -x /usr/bin/python3 ]; then
		: "${PC_PYTHON:=/usr/bin/python3}"
	else
		: "${PC_PYTHON:=python3}"
	fi
	PC_TCP_PY=$PC_SRCDIR/tests/integration/pc_tcp.py
	export PORTCULLISD PC_PYTHON PC_TIMEOUT

	[ -z "${PC_SKIP_INTEGRATION:-}" ] ||
		pc_skip "PC_SKIP_INTEGRATION is set (e.g. a package build)"
	[ "$(id -u)" -eq 0 ] ||
		pc_skip "the integration tests run as root (the daemon switches to the test users)"
	for lib in ssh ssh-keygen pkg-config ss ps; do
		command -v "$lib" >/dev/null || {
			echo "ERROR: $lib not found (./dev.sh deps)" >&2
			exit 99
		}
	done
	lib=$(pkg-config --libs nss_wrapper 2>/dev/null | awk '{print $1}')
	[ -n "$lib" ] && [ -f "$lib" ] || {
		echo "ERROR: nss_wrapper not found (apt-get install libnss-wrapper)" >&2
		exit 99
	}
	PC_PRELOAD=$lib

	T=$(mktemp -d "/tmp/pc-$PC_TEST_NAME.XXXXXX")
	chmod 755 "$T"
	trap pc__cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	PC_LOG=$T/daemon.log
	: >"$PC_LOG"

	PC_SSHD_UID=$(getent passwd sshd 2>/dev/null | cut -d: -f3) || true
	: "${PC_SSHD_UID:=65534}"
	pc__write_passwd
	export NSS_WRAPPER_PASSWD=$T/passwd NSS_WRAPPER_GROUP=$T/group
	mkdir -p "$T/home" "$T/keys"
	chmod 755 "$T/home"
	chmod 700 "$T/keys"
	mkdir -p "$T/home/root"
	chmod 700 "$T/home/root"
	for lib in "${PC_USERS[@]}"; do
		pc__make_home "$lib"
		pc__keygen ed25519 "$T/keys/$lib"
	done
	pc__keygen ed25519 "$T/hostkey"
	PC_HOSTKEYS=("$T/hostkey")
}

pc_nss() {
	env LD_PRELOAD="$PC_PRELOAD" "$@"
}

pc_use_pam() {
	local lib mod u
	lib=$(pkg-config --libs pam_wrapper 2>/dev/null | awk '{print $1}')
	mod=$(pkg-config --variable=modules pam_wrapper 2>/dev/null)/pam_matrix.so
	[ -n "$lib" ] && [ -f "$lib" ] && [ -f "$mod" ] ||
		pc_fail "pam_wrapper/pam_matrix not found (apt-get install libpam-wrapper)"
	mkdir -p "$T/pam.d"
	: >"$T/passdb"
	for u in "$@"; do
		echo "$u:portcullis" >>"$T/passdb"
	done
	chmod 600 "$T/passdb"
	{
		echo "auth	required	$mod passdb=$T/passdb"
		echo "account	required	$mod passdb=$T/passdb"
		echo "password	required	$mod passdb=$T/passdb"
		echo "session	required	$mod passdb=$T/passdb"
	} >"$T/pam.d/portcullis"
	# Without an 'other' service pam_wrapper complains on every start.
	{
		echo "auth	required	$mod passdb=$T/passdb"
		echo "account	required	$mod passdb=$T/passdb"
	} >"$T/pam.d/other"
	export PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR=$T/pam.d
	case ":$PC_PRELOAD:" in
	*":$lib:"*) ;;
	*) PC_PRELOAD=$PC_PRELOAD:$lib ;;
	esac
	PC_PAM=yes
}

pc_hostkey() {
	case "$1" in
	rsa | ecdsa) ;;
	*) pc_fail "pc_hostkey: rsa or ecdsa, not '$1'" ;;
	esac
	pc__keygen "$1" "$T/hostkey_$1"
	PC_HOSTKEYS+=("$T/hostkey_$1")
	if [ -n "${PORT:-}" ]; then
		pc__write_known_hosts
	fi
}

pc_userkey() {
	local u=$1 type=$2 name=${3:-$1}
	[ -n "${PC_UID[$u]:-}" ] || pc_fail "pc_userkey: unknown user '$u'"
	pc__keygen "$type" "$T/keys/$name"
}

pc_authorize() {
	local name= u opts ak
	if [ "${1:-}" = -k ]; then
		name=$2
		shift 2
	fi
	u=$1
	opts=${2:-}
	name=${name:-$u}
	[ -n "${PC_UID[$u]:-}" ] || pc_fail "pc_authorize: unknown user '$u'"
	[ -f "$T/keys/$name.pub" ] || pc_fail "pc_authorize: no key $T/keys/$name"
	ak=$T/home/$u/.ssh/authorized_keys
	if [ -n "$opts" ]; then
		printf '%s %s\n' "$opts" "$(cat "$T/keys/$name.pub")" >>"$ak"
	else
		cat "$T/keys/$name.pub" >>"$ak"
	fi
	chown "${PC_UID[$u]}:${PC_UID[$u]}" "$ak"
	chmod 600 "$ak"
}

pc_tcp() {
	"$PC_PYTHON" "$PC_TCP_PY" "$@"
}

# Ports handed out are remembered in a file: pc_free_port usually runs in
# a $(...) subshell, where a variable would be lost.
pc_free_port() {
	local p ex
	ex="2222 $(cat "$T/used_ports" 2>/dev/null | tr '\n' ' ')"
	p=$(pc_tcp freeport --exclude "$ex") ||
		pc_fail "pc_free_port: no free port found"
	echo "$p" >>"$T/used_ports"
	echo "$p"
}

pc__write_known_hosts() {
	local k
	: >"$T/known_hosts"
	for k in "${PC_HOSTKEYS[@]}"; do
		printf '[127.0.0.1]:%s %s\n' "$PORT" \
			"$(cut -d' ' -f1,2 "$k.pub")" >>"$T/known_hosts"
	done
}

pc_config() {
	local extra kw line k base=()
	local -A over=()
	extra=$(cat)
	if [ -z "${PORT:-}" ]; then
		PORT=$(pc_free_port)
	fi
	# Keywords the test sets in its global section replace the base's.
	while IFS= read -r line; do
		read -r kw _ <<<"$line" || true
		kw=${kw,,}
		case "$kw" in
		match) break ;;
		'' | '#'*) ;;
		*) over[$kw]=1 ;;
		esac
	done <<<"$extra"
	base+=("Port $PORT" "ListenAddress 127.0.0.1")
	for k in "${PC_HOSTKEYS[@]}"; do
		base+=("HostKey $k")
	done
	base+=("PidFile $T/pid" "LogLevel $PC_LOGLEVEL"
		"AuthorizedKeysFile .ssh/authorized_keys" "StrictModes yes"
		"UsePAM $PC_PAM" "Subsystem sftp /usr/lib/openssh/sftp-server")
	{
		echo "# written by tests/integration/lib.sh for $PC_TEST_NAME"
		for line in "${base[@]}"; do
			read -r kw _ <<<"$line"
			kw=${kw,,}
			# HostKey may repeat in the base: the test's own
			# HostKey lines replace all of them.
			[ -n "${over[$kw]:-}" ] || echo "$line"
		done
		if [ -n "$extra" ]; then
			echo "# ---- test-specific ----"
			echo "$extra"
		fi
	} >"$T/sshd_config"
	pc__write_known_hosts
	PC_CONFIGURED=yes
}

# Is something listening on TCP port $1 (owned by PID $2 if given and ss
# shows owners)?  No connection is made, so the daemon logs nothing.
pc_listening() {
	local out
	out=$(ss -Hltnp "sport = :$1" 2>/dev/null) || return 1
	[ -n "$out" ] || return 1
	[ -n "${2:-}" ] || return 0
	case "$out" in
	*"pid="*) grep -q "pid=$2," <<<"$out" ;;
	*) return 0 ;;
	esac
}

pc_start_daemon() {
	local preload=$PC_PRELOAD asan wrapper=() start
	[ "$PC_CONFIGURED" = yes ] || pc_config </dev/null
	[ -x "$PORTCULLISD" ] ||
		pc_fail "daemon not found: $PORTCULLISD (build it, or set PORTCULLISD)"
	# An ASan build must have its runtime first in the library list.
	asan=$(ldd "$PORTCULLISD" 2>/dev/null | awk '/libasan/ { print $3 }')
	if [ -n "$asan" ]; then
		preload=$asan:$preload
	fi
	if [ -n "${PC_DAEMON_WRAPPER:-}" ]; then
		read -r -a wrapper <<<"$PC_DAEMON_WRAPPER"
	fi
	echo "==== $(date '+%T') start: ${wrapper[*]} $PORTCULLISD -D -e -f $T/sshd_config -p $PORT $*" >>"$PC_LOG"
	env LD_PRELOAD="$preload" "${wrapper[@]}" "$PORTCULLISD" -D -e \
		-f "$T/sshd_config" -p "$PORT" "$@" >>"$PC_LOG" 2>&1 &
	PC_DAEMON_PID=$!
	PC_PIDS+=("$PC_DAEMON_PID")
	start=$(pc__now)
	until pc_listening "$PORT" "$PC_DAEMON_PID"; do
		if ! pc__alive "$PC_DAEMON_PID"; then
			wait "$PC_DAEMON_PID" 2>/dev/null && PC_DAEMON_STATUS=0 ||
				PC_DAEMON_STATUS=$?
			pc_fail "the daemon exited (status $PC_DAEMON_STATUS) before listening on port $PORT"
		fi
		if pc__deadline_passed "$start" "$PC_TIMEOUT"; then
			pc_fail "the daemon did not listen on port $PORT within ${PC_TIMEOUT}s"
		fi
		sleep 0.05
	done
}

pc_stop_daemon() {
	local pid=$PC_DAEMON_PID kids start
	[ -n "$pid" ] || return 0
	kids=$(pc__descendants "$pid")
	kill -TERM "$pid" 2>/dev/null || true
	start=$(pc__now)
	while pc__alive "$pid"; do
		if pc__deadline_passed "$start" "$PC_TIMEOUT"; then
			echo "pc_stop_daemon: $pid ignored SIGTERM, sending SIGKILL" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
		sleep 0.05
	done
	if wait "$pid" 2>/dev/null; then
		PC_DAEMON_STATUS=0
	else
		PC_DAEMON_STATUS=$?
	fi
	# shellcheck disable=SC2086
	[ -z "$kids" ] || pc_kill $kids
	pc__forget "$pid"
	PC_DAEMON_PID=
	echo "==== $(date '+%T') stopped: status $PC_DAEMON_STATUS" >>"$PC_LOG"
}

pc_bg() {
	"$@" &
	PC_BG_PID=$!
	PC_PIDS+=("$PC_BG_PID")
}

# Split pc_ssh's arguments into ssh options and the rest (host is ours).
pc__split_ssh_args() {
	PC__OPTS=()
	PC__REST=()
	PC__HAS_I=no
	while [ $# -gt 0 ]; do
		case "$1" in
		--)
			shift
			break
			;;
		-[BbcDEeFIiJLlmOoPpQRSWw])
			[ "$1" = -i ] && PC__HAS_I=yes
			[ $# -ge 2 ] || pc_fail "pc_ssh: $1 needs an argument"
			PC__OPTS+=("$1" "$2")
			shift 2
			;;
		-i?*)
			PC__HAS_I=yes
			PC__OPTS+=("$1")
			shift
			;;
		-?*)
			PC__OPTS+=("$1")
			shift
			;;
		*) break ;;
		esac
	done
	PC__REST=("$@")
}

pc_ssh_opts() {
	local u=$1
	printf '%s\n' -F /dev/null \
		-o "UserKnownHostsFile=$T/known_hosts" \
		-o GlobalKnownHostsFile=/dev/null \
		-o StrictHostKeyChecking=yes -o BatchMode=yes \
		-o "ConnectTimeout=${PC_TIMEOUT}" -o IdentitiesOnly=yes \
		-o LogLevel=ERROR -o "User=$u"
	if [ -n "$u" ]; then
		printf '%s\n' -i "$T/keys/$u"
	fi
}

pc__client_env() {
	env -u LD_PRELOAD -u NSS_WRAPPER_PASSWD -u NSS_WRAPPER_GROUP \
		-u PAM_WRAPPER -u PAM_WRAPPER_SERVICE_DIR "$@"
}

pc_ssh() {
	local u=$1 def=()
	shift
	[ -n "${PORT:-}" ] || pc_fail "pc_ssh: no PORT (pc_config first)"
	pc__split_ssh_args "$@"
	mapfile -t def < <(pc_ssh_opts "$u")
	if [ "$PC__HAS_I" = yes ]; then
		def=("${def[@]:0:${#def[@]}-2}")
	fi
	pc__client_env "${PC_SSH:-ssh}" "${PC__OPTS[@]}" "${def[@]}" \
		-p "$PORT" 127.0.0.1 "${PC__REST[@]}"
}

pc_sftp() {
	local u=$1 def=()
	shift
	mapfile -t def < <(pc_ssh_opts "$u")
	pc__client_env sftp "$@" "${def[@]}" -P "$PORT" 127.0.0.1
}

pc_wait_for() {
	local start
	start=$(pc__now)
	until "$@"; do
		if pc__deadline_passed "$start" "$PC_TIMEOUT"; then
			return 1
		fi
		sleep 0.05
	done
}

# Parses [-F] [-n COUNT] PATTERN into PC__GREP (array) and PC__COUNT.
pc__log_args() {
	PC__GREP=(-E)
	PC__COUNT=1
	while [ $# -gt 1 ]; do
		case "$1" in
		-F) PC__GREP=(-F); shift ;;
		-n) PC__COUNT=$2; shift 2 ;;
		*) break ;;
		esac
	done
	[ $# -eq 1 ] || pc_fail "log check: expected one pattern, got: $*"
	PC__PAT=$1
}

pc_log_count() {
	pc__log_args "$@"
	grep -c "${PC__GREP[@]}" -e "$PC__PAT" "$PC_LOG" 2>/dev/null || true
}

pc__log_has() {
	local n
	n=$(grep -c "${PC__GREP[@]}" -e "$PC__PAT" "$PC_LOG" 2>/dev/null) || n=0
	[ "$n" -ge "$PC__COUNT" ]
}

pc_wait_log() {
	pc__log_args "$@"
	pc_wait_for pc__log_has ||
		pc_fail "no $PC__COUNT line(s) matching '$PC__PAT' in the daemon log within ${PC_TIMEOUT}s"
}

pc_expect_log() {
	pc__log_args "$@"
	pc__log_has || pc_fail "the daemon log has no line matching '$PC__PAT'"
}

pc_expect_no_log() {
	local hits
	pc__log_args "$@"
	if hits=$(grep "${PC__GREP[@]}" -e "$PC__PAT" "$PC_LOG"); then
		pc_fail "the daemon log should not match '$PC__PAT' but has: $hits"
	fi
}

# True once the port file exists, or once the server has died (no wait).
pc__started() {
	[ -s "$1" ] || ! pc__alive "$2"
}

# Start a pc_tcp.py server in the background; sets PC_TCP_PORT/PC_TCP_PID.
pc__tcp_server() {
	local pf
	pf=$(mktemp "$T/tcpport.XXXXXX")
	rm -f "$pf"
	pc_tcp "$@" --bind "${BIND:-127.0.0.1}" --port-file "$pf" &
	PC_TCP_PID=$!
	PC_PIDS+=("$PC_TCP_PID")
	pc_wait_for pc__started "$pf" "$PC_TCP_PID" ||
		pc_fail "pc_tcp.py $1 did not start listening"
	[ -s "$pf" ] || pc_fail "pc_tcp.py $1 exited before listening"
	PC_TCP_PORT=$(cat "$pf")
}

pc_tcp_echo() {
	pc__tcp_server echo
}

pc_tcp_sink() {
	[ $# -eq 1 ] || pc_fail "pc_tcp_sink OUTFILE"
	pc__tcp_server sink --out "$1"
}

pc_tcp_blackhole() {
	pc__tcp_server blackhole
}

pc_tcp_source() {
	pc_tcp source --host "$1" --port "$2" --bytes "$3" \
		--timeout "$PC_TIMEOUT"
}

pc_tcp_echo_check() {
	pc_tcp source --host "$1" --port "$2" --bytes "$3" --echo \
		--timeout "$PC_TIMEOUT" >/dev/null
}

pc_tcp_probe() {
	pc_tcp probe --host "$1" --port "$2" --timeout 5
}

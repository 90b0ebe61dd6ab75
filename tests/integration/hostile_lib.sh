# shellcheck shell=bash
# tests/integration/hostile_lib.sh: set-up shared by t_hostile_wire.sh and
# t_hostile_flood.sh (source lib.sh, pc_init, then this).
#
# Starts the daemon (AcceptEnv LC_HOSTILE_*; bob: MaxForwardChannels 50,
# MaxSessions 5, MaxForwardListeners 20), an echo target ($echo_port) and the legitimate
# client: alice's ssh -N -L $lport -> echo target, held throughout.
# run_case NAME [ARGS...]  run hostile_client.py's case NAME in the
#                          background; meanwhile (and while it holds what it
#                          got, --hold) legit_check: traffic through the -L
#                          and a fresh login of carol; then fail unless the
#                          case passed and the listener lives.
# hostile_end              the final checks (sanitizers, no crash, no
#                          control bytes in the log), stop the daemon.

"$PC_PYTHON" -c 'import paramiko' 2>/dev/null || pc_skip "no paramiko"
pc_authorize alice
pc_authorize bob
pc_authorize carol
pc_config <<'CFG'
LoginGraceTime 30
AcceptEnv LC_HOSTILE_*
Match User bob
	MaxForwardChannels 50
	MaxSessions 5
	MaxForwardListeners 20
CFG
pc_start_daemon
pc_tcp_echo
echo_port=$PC_TCP_PORT

# The legitimate client: one -L held through every attack.
lport=$(pc_free_port)
pc_bg pc_ssh alice -N -o ExitOnForwardFailure=yes \
	-L "127.0.0.1:$lport:127.0.0.1:$echo_port"
legit_pid=$PC_BG_PID
pc_wait_for pc_listening "$lport" || pc_fail "ssh -L did not listen on $lport"

# The connection's memory bound: 64 MB (a plain build peaks at 4-10 MB).
# A sanitizer build holds freed memory in ASan's quarantine (tests/ci/asan.sh
# caps it at 32 MB), with redzones and shadow on top: 160 MB there, still
# far below what an unbounded flood reaches.
hostile_rss_mb=64
if [ -n "${PC_SANITIZER:-}" ] ||
	ldd "$PORTCULLISD" 2>/dev/null | grep -E 'lib(asan|ubsan)\.so' >/dev/null; then
	hostile_rss_mb=160
	echo "NOTE: sanitizer build: memory bound $hostile_rss_mb MB instead of 64"
fi

hostile() {
	"$PC_PYTHON" "$PC_SRCDIR/tests/integration/hostile_client.py" \
		--port "$PORT" --daemon-pid "$PC_DAEMON_PID" \
		--timeout "$PC_TIMEOUT" --rss-limit-mb "$hostile_rss_mb" "$@"
}

# Legitimate traffic while an attack runs: the -L echoes, a fresh login.
# (legit_check WHAT nologin: the -L only.)
legit_check() {
	pc__alive "$legit_pid" || pc_fail "the legitimate ssh -L died ($1)"
	pc_tcp_echo_check 127.0.0.1 "$lport" 200000 ||
		pc_fail "traffic through the legitimate -L failed ($1)"
	[ "${2:-}" = nologin ] || [ "$(pc_ssh carol echo fresh)" = fresh ] ||
		pc_fail "a fresh login failed ($1)"
}

held_or_done() {
	[ -e "$T/hold.ready" ] || ! pc__alive "$1"
}

# Run one case in the background, check the legitimate client while it
# runs (and while it holds what it got, with --hold), then collect it.
run_case() {
	local name=$1 pid
	shift
	rm -f "$T/hold" "$T/hold.ready"
	hostile --hold "$T/hold" "$@" "$name" >"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	PC_PIDS+=("$pid")
	# a case that holds gets the fresh login while it holds
	case " $* " in
	*" --user "*) legit_check "during $name" nologin ;;
	*) legit_check "during $name" ;;
	esac
	pc_wait_for held_or_done "$pid" || true
	if [ -e "$T/hold.ready" ]; then
		legit_check "while $name holds"
	fi
	touch "$T/hold"
	rc=0
	wait "$pid" || rc=$?
	pc__forget "$pid"
	cat "$T/$name.out"
	[ "$rc" -eq 0 ] || {
		cat "$T/$name.err" >&2
		pc_fail "case $name: $(cat "$T/$name.out")"
	}
	pc__alive "$PC_DAEMON_PID" || pc_fail "the listener died in $name"
}

hostile_end() {
	legit_check "after all cases"
	pc_check_sanitizers
	pc_expect_no_log "Segmentation|SIGSEGV|core dumped"
	if LC_ALL=C grep -a -q -P '[^\t\x20-\x7e]' "$PC_LOG"; then
		pc_fail "control bytes in the log"
	fi
	pc_stop_daemon
}

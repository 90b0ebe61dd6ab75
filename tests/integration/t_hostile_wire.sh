#!/usr/bin/env bash
# Hostile input on the wire: garbage and oversized banners, noise after the
# banner, packet lengths of 0x7fffffff / 0xffffffff / 256 KiB+1 / 1 MiB, a
# 300 KiB packet after key exchange, 10,000 global requests (want-reply
# and not) on an authenticated connection, channel-open floods beyond
# MaxForwardChannels (direct-tcpip) and MaxSessions (session), and
# tcpip-forward beyond MaxForwardListeners.  For each case
# (hostile_client.py): the listener stays up, the connection's process
# peaks under 64 MB (VmHWM, printed), the attacker is dropped or refused
# as expected with a log line, and meanwhile a legitimate OpenSSH client
# (an open ssh -L carrying traffic, and fresh logins) is unaffected.
. "$(dirname "$0")/lib.sh"
pc_init

"$PC_PYTHON" -c 'import paramiko' 2>/dev/null || pc_skip "no paramiko"
pc_authorize alice
pc_authorize bob
pc_authorize carol
pc_config <<'CFG'
LoginGraceTime 30
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

hostile() {
	"$PC_PYTHON" "$PC_SRCDIR/tests/integration/hostile_client.py" \
		--port "$PORT" --daemon-pid "$PC_DAEMON_PID" \
		--timeout "$PC_TIMEOUT" --rss-limit-mb 64 "$@"
}

# Legitimate traffic while an attack runs: the -L echoes, a fresh login.
legit_check() {
	pc__alive "$legit_pid" || pc_fail "the legitimate ssh -L died ($1)"
	pc_tcp_echo_check 127.0.0.1 "$lport" 200000 ||
		pc_fail "traffic through the legitimate -L failed ($1)"
	[ "$(pc_ssh carol echo fresh)" = fresh ] ||
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
	legit_check "during $name"
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

# ---- unauthenticated: the wire ----
for c in garbage-banner bad-version long-banner random-after-banner len-7fffffff \
	len-ffffffff len-256k1 len-1m len-max-kexinit; do
	run_case "$c"
done
pc_wait_log -n 9 "Connection closed by 127.0.0.1 port [0-9]+ \[preauth\]: "
pc_expect_log -F "[preauth]: read_packet(): Packet len too high(2147483647 7fffffff)"
pc_expect_log -F "[preauth]: Receiving banner: too large banner"
pc_expect_log -F '(banner: SSH-1.5-\033[2J\007evil)'
# what the client sent reaches the log escaped: no control bytes
if LC_ALL=C grep -a -n -P '[^\t\x20-\x7e]' "$PC_LOG" >"$T/ctl"; then
	pc_fail "control bytes in the log: $(head -c 300 "$T/ctl" | cat -v)"
fi

# ---- authenticated ----
run_case big-packet --user alice --key "$T/keys/alice"
pc_wait_log "Connection of user alice 127.0.0.1 port [0-9]+ ended by an error: read_packet\(\): Packet len too high"
run_case global-flood --user alice --key "$T/keys/alice" --count 10000
run_case direct-flood --user bob --key "$T/keys/bob" --count 150 \
	--expect-open 50 --target-port "$echo_port"
pc_wait_log -F "MaxForwardChannels 50 reached"
run_case session-flood --user bob --key "$T/keys/bob" --count 40 \
	--expect-open 5
pc_wait_log -F "MaxSessions 5 reached"
run_case listen-flood --user bob --key "$T/keys/bob" --count 200 \
	--expect-open 20
pc_wait_log -F "MaxForwardListeners 20 reached"

legit_check "after all cases"
pc_check_sanitizers
pc_expect_no_log "Segmentation|SIGSEGV|core dumped"
LC_ALL=C grep -a -q -P '[^\t\x20-\x7e]' "$PC_LOG" && pc_fail "control bytes in the log"
pc_stop_daemon
pc_pass

#!/usr/bin/env bash
# MaxSessions: 0 refuses every session channel while forwarding still
# works; 1 allows one session at a time on a multiplexed connection.
. "$(dirname "$0")/lib.sh"
pc_init

pc_authorize alice
pc_authorize bob
pc_config <<'CFG'
Match User alice
	MaxSessions 0
Match User bob
	MaxSessions 1
CFG
pc_start_daemon

# ---- MaxSessions 0 ----
rc=0
pc_ssh alice true 2>"$T/a.err" || rc=$?
[ "$rc" -ne 0 ] || pc_fail "alice got a session with MaxSessions 0"
pc_wait_log -F "session channel refused for alice from 127.0.0.1"
pc_tcp_echo
lport=$(pc_free_port)
pc_bg pc_ssh alice -N -o ExitOnForwardFailure=yes \
	-L "127.0.0.1:$lport:127.0.0.1:$PC_TCP_PORT"
pc_wait_for pc_listening "$lport" ||
	pc_fail "ssh -N -L did not listen on $lport"
pc_tcp_echo_check 127.0.0.1 "$lport" 100000 ||
	pc_fail "forwarding with MaxSessions 0"
pc_kill "$PC_BG_PID"

# ---- MaxSessions 1, two sessions over one connection ----
ctl=$T/ctl
pc_bg pc_ssh bob -N -o ControlMaster=yes -o "ControlPath=$ctl"
pc_wait_for test -S "$ctl" || pc_fail "no control socket"
mkfifo "$T/fifo"
# The first session holds its channel until we write to the fifo.
pc_ssh bob -o "ControlPath=$ctl" 'echo first; read x; echo done' \
	<"$T/fifo" >"$T/first.out" 2>&1 &
first=$!
PC_PIDS+=("$first")
exec 3>"$T/fifo"
pc_wait_for grep -q first "$T/first.out" || pc_fail "first session: $(cat "$T/first.out")"
# When the master refuses, ssh falls back to a connection of its own:
# ProxyCommand=false makes that fail, so only the shared connection counts.
pc_ssh bob -o "ControlPath=$ctl" -o ProxyCommand=false 'echo second' \
	>"$T/second.out" 2>&1 || true
if grep -q second "$T/second.out" ||
	! grep -q "Session open refused" "$T/second.out"; then
	pc_fail "a second session with MaxSessions 1: $(cat "$T/second.out")"
fi
pc_wait_log -F "session channel refused for bob from 127.0.0.1"
echo go >&3
exec 3>&-
wait "$first" || pc_fail "the first session failed: $(cat "$T/first.out")"
pc_expect_eq "first done" "$(tr '\n' ' ' <"$T/first.out" | sed 's/ $//')" \
	"first session output"
# Its channel is gone: a new session is allowed again.
pc_expect_eq third "$(pc_ssh bob -o "ControlPath=$ctl" 'echo third')" \
	"a session after the first one ended"

pc_stop_daemon
pc_pass

#!/usr/bin/env bash
# SIGTERM to the listener while connections are up: it logs, exits 0,
# removes its pid file and stops listening.  As with OpenSSH's sshd (and
# KillMode=process in contrib/portcullis.service) the established
# connection carries on: its -L still moves data and a session still
# runs; a connection still in authentication is cut at LoginGraceTime.
# Once the client leaves, every process the listener had started is gone.
# (t_core_lifecycle.sh checks SIGTERM of an idle daemon; pc_stop_daemon
# kills leftover children, so this test stops the daemon by hand.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
grace=4
[ -z "${PC_DAEMON_WRAPPER:-}" ] || grace=30
pc_config <<CFG
LoginGraceTime $grace
CFG
pc_start_daemon
pc_wait_for test -s "$T/pid" || pc_fail "no pid file"
listener=$PC_DAEMON_PID

pc_tcp_echo
echo4=$PC_TCP_PORT
l_echo=$(pc_free_port)
ctl=$T/ctl
fwd_ssh_bg alice -o ControlMaster=yes -o "ControlPath=$ctl" \
	-o ExitOnForwardFailure=yes -L "$l_echo:127.0.0.1:$echo4"
client=$FWD_SSH_PID
fwd_wait_fwd "$l_echo"
spid=$(fwd_wait_user_pid alice)
# a connection that never authenticates
n0=$(pc_log_count "Connection from 127\.0\.0\.1 port")
pc_bg "$PC_PYTHON" "$PC_SRCDIR/tests/integration/core_idle.py" --port "$PORT" \
	--timeout "$PC_TIMEOUT"
idle=$PC_BG_PID
pc_wait_log -n $((n0 + 1)) "Connection from 127\.0\.0\.1 port"
# traffic in flight on the forward when the signal comes
pc_bg pc_tcp_echo_check 127.0.0.1 "$l_echo" $((16 * 1024 * 1024))
bulk=$PC_BG_PID
kids=$(pc__descendants "$listener")
[ -n "$kids" ] || pc_fail "no connection processes"

kill -TERM "$listener"
gone() { ! pc__alive "$1"; }
pc_wait_for gone "$listener" || pc_fail "the listener ignored SIGTERM"
status=0
wait "$listener" 2>/dev/null || status=$?
pc__forget "$listener"
PC_DAEMON_PID=
pc_expect_eq 0 "$status" "exit status after SIGTERM"
pc_expect_log -F "Received signal 15; terminating."
[ ! -e "$T/pid" ] || pc_fail "pid file left behind after SIGTERM"
pc_listening "$PORT" && pc_fail "port $PORT still listening after SIGTERM"
pc_tcp_probe 127.0.0.1 "$PORT" 2>/dev/null && pc_fail "port $PORT still accepts connections"

# the established connection is untouched
wait "$bulk" || pc_fail "the transfer through -L broke at SIGTERM"
pc__forget "$bulk"
pc_tcp_echo_check 127.0.0.1 "$l_echo" 100000 || pc_fail "-L after SIGTERM"
[ "$(pc_ssh alice -o "ControlPath=$ctl" echo alive)" = alive ] ||
	pc_fail "no session on the connection after SIGTERM"
# the unauthenticated one is cut by LoginGraceTime
wait "$idle" || pc_fail "the pending connection was not closed (LoginGraceTime)"
pc__forget "$idle"
pc_wait_log -F "Timeout before authentication for 127.0.0.1"

# the client leaves: nothing the listener started stays behind
pc_kill "$client"
none_left() {
	local p
	for p in $kids; do
		pc__alive "$p" && return 1
	done
	return 0
}
pc_wait_for none_left ||
	pc_fail "processes left after the client left: $(for p in $kids; do pc__alive "$p" && ps -o pid=,user=,args= -p "$p"; done)"
gone "$spid" || pc_fail "the session process $spid is still there"
pc_check_sanitizers
pc_pass

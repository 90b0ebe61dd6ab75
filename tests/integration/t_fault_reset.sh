#!/usr/bin/env bash
# A forward target that resets the connection (SO_LINGER 0: RST, not FIN)
# in the middle of a transfer, in either direction, 10 times each: every
# such channel closes (the local client sees the end; a reset that beats
# the daemon's connect check refuses the channel instead), while the SSH
# connection, its other forward (an echo transfer running throughout) and
# a session multiplexed on it keep working; the session process neither
# leaks fds nor grows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_config </dev/null
pc_start_daemon

fault_tcp() {
	"$PC_PYTHON" "$PC_SRCDIR/tests/integration/fault_tcp.py" "$@"
}
rst_server() {
	local pf=$T/rst.${1#--}
	fault_tcp rst-server --port-file "$pf" "$@" &
	PC_PIDS+=("$!")
	pc_wait_for test -s "$pf" || pc_fail "fault_tcp.py rst-server did not start"
	RST_PORT=$(cat "$pf")
}
rst_server --after-read 300000	# upload: reset after 300 kB arrived
rst_up=$RST_PORT
rst_server --after-send 300000	# download: reset after 300 kB sent
rst_down=$RST_PORT
pc_tcp_echo
echo4=$PC_TCP_PORT

l_up=$(pc_free_port)
l_down=$(pc_free_port)
l_echo=$(pc_free_port)
ctl=$T/ctl
fwd_ssh_bg alice -o ControlMaster=yes -o "ControlPath=$ctl" \
	-o ExitOnForwardFailure=yes -L "$l_up:127.0.0.1:$rst_up" \
	-L "$l_down:127.0.0.1:$rst_down" -L "$l_echo:127.0.0.1:$echo4"
client=$FWD_SSH_PID
fwd_wait_fwd "$l_echo"
spid=$(fwd_wait_user_pid alice)
fds0=$(fwd_nfds "$spid")

# the other forward carries traffic during all the resets
pc_bg pc_tcp_echo_check 127.0.0.1 "$l_echo" $((8 * 1024 * 1024))
bulk=$PC_BG_PID

rounds=10
for i in $(seq "$rounds"); do
	out=$(fault_tcp push --port "$l_up" --bytes $((64 * 1024 * 1024)) \
		--timeout "$PC_TIMEOUT") || pc_fail "upload $i: $out"
	case $out in
	closed\ *) ;;
	*) pc_fail "upload $i through a resetting target did not end: $out" ;;
	esac
	out=$(fault_tcp pull --port "$l_down" --timeout "$PC_TIMEOUT") ||
		pc_fail "download $i through a resetting target did not end: $out"
	pc__alive "$client" || pc_fail "ssh died after reset $i: $(cat "$FWD_SSH_ERR")"
done
# Every channel to a resetting target ended: closed after the reset, or
# (the reset won the race with the daemon's connect check) refused.
ended() {
	local n
	n=$(( $(pc_log_count -F "forward close: user=alice to=127.0.0.1:$1 ") +
		$(pc_log_count -F "forward open failed: user=alice to=127.0.0.1:$1: connect: Connection reset by peer") ))
	[ "$n" -eq "$rounds" ]
}
for p in "$rst_up" "$rst_down"; do
	pc_wait_for ended "$p" ||
		pc_fail "channels to $p: $(pc_log_count -F "to=127.0.0.1:$p ") close, $(pc_log_count -F "to=127.0.0.1:$p: connect: ") refused of $rounds"
done

wait "$bulk" || pc_fail "the echo transfer on the other forward failed during the resets"
pc__forget "$bulk"
pc_tcp_echo_check 127.0.0.1 "$l_echo" 100000 ||
	pc_fail "the other forward does not work after the resets"
[ "$(pc_ssh alice -o "ControlPath=$ctl" echo alive)" = alive ] ||
	pc_fail "no session on the connection after the resets"
pc__alive "$spid" || pc_fail "the session process is gone"
fds1=$(fwd_nfds "$spid")
echo "session process: fds $fds0 -> $fds1, VmRSS $(fwd_rss_kb "$spid") kB," \
	"VmHWM $(awk '/^VmHWM:/ { print $2 }' "/proc/$spid/status") kB," \
	"$((2 * rounds)) resets"
[ "$fds1" -le "$fds0" ] || pc_fail "fds of the session process grew: $fds0 -> $fds1"
pc_check_sanitizers
pc_stop_daemon
pc_pass

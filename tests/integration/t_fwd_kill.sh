#!/usr/bin/env bash
# kill -9 of the client in the middle of forwarded traffic: within 2 s the
# -R listening port is free and the connection's processes are gone; the
# daemon keeps serving.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
# "Within 2 s": a process that notices the dead client exits at once.  A
# sanitizer build (LeakSanitizer scans the heap at exit) or a daemon under
# valgrind (leak check at exit) takes longer to be gone on a busy machine,
# so the allowance is scaled there; a process that lingers (no EOF seen)
# still fails.
gone_s=2
libs=$(ldd "$PORTCULLISD" 2>/dev/null || true)
if [ -n "${PC_DAEMON_WRAPPER:-}${PC_SANITIZER:-}" ] ||
	grep -qE 'lib(asan|ubsan)\.so' <<<"$libs"; then
	gone_s=15
	echo "NOTE: sanitizer build or wrapped daemon: exit allowance scaled from 2 to $gone_s s"
fi
pc_authorize alice
pc_config </dev/null
pc_start_daemon

pc_tcp_echo
echo4=$PC_TCP_PORT
pc_tcp_blackhole
hole=$PC_TCP_PORT
l1=$(pc_free_port)
r1=$(pc_free_port)
fwd_ssh_bg alice -o ExitOnForwardFailure=yes -L "$l1:127.0.0.1:$hole" \
	-R "$r1:127.0.0.1:$echo4"
fwd_wait_listen "$r1" "127.0.0.1:$r1 [::1]:$r1"
fwd_wait_listen "$l1"
spid=$(fwd_wait_user_pid alice)
conn_pids=$(pc__descendants "$PC_DAEMON_PID")

# traffic in flight: a stuck upload through -L, an open -R channel
pc_bg pc_tcp_source 127.0.0.1 "$l1" $((256 * 1024 * 1024)) >/dev/null 2>&1
exec 7<>"/dev/tcp/127.0.0.1/$r1"
echo hello >&7
read -r -t "$PC_TIMEOUT" line <&7 || pc_fail "no echo through -R before the kill"
pc_expect_eq hello "$line" "echo through -R"

client=$(fwd_client_pid "$FWD_SSH_PID") || pc_fail "no ssh process found"
kill -9 "$client"
conn_gone() {
	local p
	for p in $conn_pids; do
		pc__alive "$p" && return 1
	done
	return 0
}
PC_TIMEOUT=$gone_s pc_wait_for conn_gone ||
	pc_fail "connection processes still alive $gone_s s after kill -9 of the client: $(for p in $conn_pids; do pc__alive "$p" && ps -o pid=,user=,args= -p "$p"; done)"
fwd_wait_free "$r1" "$gone_s"
exec 7>&-

# the daemon carries on: a new connection forwards the same port again
fwd_ssh_bg alice -o ExitOnForwardFailure=yes -R "$r1:127.0.0.1:$echo4"
fwd_wait_listen "$r1" "127.0.0.1:$r1 [::1]:$r1"
pc_tcp_echo_check 127.0.0.1 "$r1" 10000 || pc_fail "-R after the kill failed"
pc__alive "$spid" && pc_fail "the old session process $spid is still there"
pc_pass

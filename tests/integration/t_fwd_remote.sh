#!/usr/bin/env bash
# ssh -R through the daemon: a fixed port, port 0 ("Allocated port N" and
# data through N), half-close, -R on ::1, -O forward/cancel through a
# ControlMaster, the same port again right after a disconnect, and a taken
# port (ExitOnForwardFailure exits 255; without it the connection carries
# on).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_config </dev/null
pc_start_daemon

pc_tcp_echo
echo4=$PC_TCP_PORT
fwd_server eofecho
eofe=$FWD_PORT

# ---- fixed port: "localhost" binds 127.0.0.1 and ::1 (GatewayPorts no) --
r1=$(pc_free_port)
r_eof=$(pc_free_port)
r_v6=$(pc_free_port)
fwd_ssh_bg alice -o ExitOnForwardFailure=yes -R "$r1:127.0.0.1:$echo4" \
	-R "$r_eof:127.0.0.1:$eofe" -R "[::1]:$r_v6:127.0.0.1:$echo4"
ssh1=$FWD_SSH_PID
fwd_wait_listen "$r1" "127.0.0.1:$r1 [::1]:$r1"
fwd_wait_listen "$r_v6" "[::1]:$r_v6"
pc_tcp_echo_check 127.0.0.1 "$r1" 1000000 ||
	pc_fail "1 MB echoed through -R came back different"
pc_tcp_echo_check ::1 "$r1" 100000 ||
	pc_fail "echo through -R via ::1 failed"
pc_tcp_echo_check ::1 "$r_v6" 100000 ||
	pc_fail "echo through -R [::1]:$r_v6 failed"
pc_wait_log "forward listen allowed: user=alice from=127\.0\.0\.1 port=[0-9]+ listen=localhost:$r1 rule=\"default\"$"
pc_wait_log -F "forward listen allowed: user=alice from=127.0.0.1"
pc_wait_log -F "listen=::1:$r_v6 rule=\"default\""
pc_wait_log "forward close: user=alice listen=localhost:$r1 sent=1000000 received=1000000 duration=[0-9]+\.[0-9]{3}$"
fwd_tcp halfclose --port "$r_eof" --bytes 300000 ||
	pc_fail "half-close through -R: the reply after EOF did not arrive intact"

# ---- a taken port: ExitOnForwardFailure=yes exits 255 ----
rc=0
pc_ssh alice -N -o ExitOnForwardFailure=yes -R "127.0.0.1:$r1:127.0.0.1:$echo4" \
	2>"$T/taken.err" || rc=$?
pc_expect_eq 255 "$rc" "ssh exit status for a taken -R port"
grep -q "remote port forwarding failed for listen port $r1" "$T/taken.err" ||
	pc_fail "ssh did not report the failed forward: $(cat "$T/taken.err")"
pc_wait_log -F "bind [127.0.0.1]:$r1: Address already in use"
pc_wait_log -F "forward listen failed: user=alice listen=127.0.0.1:$r1"
# ... and without it the connection carries on (-L still works)
l_ok=$(pc_free_port)
fwd_ssh_bg alice -o ExitOnForwardFailure=no -R "127.0.0.1:$r1:127.0.0.1:$echo4" \
	-L "$l_ok:127.0.0.1:$echo4"
ssh_taken=$FWD_SSH_PID
fwd_wait_listen "$l_ok"
pc_wait_log -n 2 -F "forward listen failed: user=alice listen=127.0.0.1:$r1"
pc_tcp_echo_check 127.0.0.1 "$l_ok" 10000 ||
	pc_fail "-L failed on the connection whose -R was refused"
pc_kill "$ssh_taken"
# the first connection's listener is untouched
pc_tcp_echo_check 127.0.0.1 "$r1" 1000 || pc_fail "-R $r1 broke"

# ---- the same port again right after a disconnect ----
pc_kill "$ssh1"
fwd_wait_free "$r1"
fwd_ssh_bg alice -o ExitOnForwardFailure=yes -R "$r1:127.0.0.1:$echo4"
ssh1=$FWD_SSH_PID
fwd_wait_listen "$r1" "127.0.0.1:$r1 [::1]:$r1"
pc_tcp_echo_check 127.0.0.1 "$r1" 10000 ||
	pc_fail "-R $r1 after reconnecting failed"
pc_kill "$ssh1"
fwd_wait_free "$r1"

# ---- port 0: the client prints the port, data flows through it ----
fwd_ssh_bg alice -o ExitOnForwardFailure=yes -o LogLevel=INFO \
	-R "0:127.0.0.1:$echo4"
pc_wait_for grep -q "Allocated port" "$FWD_SSH_ERR" ||
	pc_fail "ssh printed no 'Allocated port': $(cat "$FWD_SSH_ERR")"
alloc=$(sed -n 's/.*Allocated port \([0-9]*\) for remote forward.*/\1/p' "$FWD_SSH_ERR")
[ -n "$alloc" ] && [ "$alloc" -gt 0 ] || pc_fail "bad allocated port '$alloc'"
fwd_wait_listen "$alloc" "127.0.0.1:$alloc [::1]:$alloc"
pc_tcp_echo_check 127.0.0.1 "$alloc" 100000 ||
	pc_fail "echo through the allocated port $alloc failed"
pc_wait_log -F "listen=localhost:$alloc rule=\"default\""
pc_kill "$FWD_SSH_PID"
fwd_wait_free "$alloc"

# ---- -O forward / -O cancel through a ControlMaster ----
ctl=$T/ctl
fwd_ssh_bg alice -M -S "$ctl"
master=$FWD_SSH_PID
pc_wait_for test -S "$ctl" || pc_fail "no control socket: $(cat "$FWD_SSH_ERR")"
r2=$(pc_free_port)
pc_ssh alice -S "$ctl" -O forward -R "$r2:127.0.0.1:$echo4" 2>"$T/ofwd.err" ||
	pc_fail "ssh -O forward failed: $(cat "$T/ofwd.err")"
fwd_wait_listen "$r2" "127.0.0.1:$r2 [::1]:$r2"
pc_tcp_echo_check 127.0.0.1 "$r2" 10000 || pc_fail "echo through -O forward -R failed"
pc_ssh alice -S "$ctl" -O cancel -R "$r2:127.0.0.1:$echo4" 2>"$T/ocancel.err" ||
	pc_fail "ssh -O cancel failed: $(cat "$T/ocancel.err")"
fwd_wait_free "$r2"
pc_wait_log -F "forward cancel: user=alice listen=localhost:$r2"
pc__alive "$master" || pc_fail "the master exited: $(cat "$FWD_SSH_ERR")"
# forward it again on the same master: the cancelled port is free to use
pc_ssh alice -S "$ctl" -O forward -R "$r2:127.0.0.1:$echo4" 2>"$T/ofwd2.err" ||
	pc_fail "ssh -O forward (again) failed: $(cat "$T/ofwd2.err")"
fwd_wait_listen "$r2" "127.0.0.1:$r2 [::1]:$r2"
pc_tcp_echo_check 127.0.0.1 "$r2" 10000 || pc_fail "echo after re-forwarding failed"
pc_ssh alice -S "$ctl" -O exit 2>/dev/null || true
fwd_wait_free "$r2"
pc_pass

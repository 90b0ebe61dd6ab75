#!/usr/bin/env bash
# ssh -L through the daemon: data both ways, half-close, IPv6 and name
# targets, a refused and an unresolvable target (refused channel, log says
# why), and the INFO lines (decision, close with byte counts).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_config </dev/null
pc_start_daemon

pc_tcp_echo
echo4=$PC_TCP_PORT
BIND=::1 pc_tcp_echo
echo6=$PC_TCP_PORT
fwd_server eofecho
eofe=$FWD_PORT
dead=$(pc_free_port)		# nothing listens there
l_echo=$(pc_free_port)
l_eof=$(pc_free_port)
l_v6=$(pc_free_port)
l_dead=$(pc_free_port)
l_name=$(pc_free_port)
l_nx=$(pc_free_port)

fwd_ssh_bg alice -o ExitOnForwardFailure=yes \
	-L "$l_echo:127.0.0.1:$echo4" -L "$l_eof:127.0.0.1:$eofe" \
	-L "$l_v6:[::1]:$echo6" -L "$l_dead:127.0.0.1:$dead" \
	-L "$l_name:localhost:$echo4" -L "$l_nx:no-such-host.invalid:80"
fwd_wait_listen "$l_nx"

# ---- data both ways, and the audit lines ----
pc_tcp_echo_check 127.0.0.1 "$l_echo" 1000000 ||
	pc_fail "1 MB echoed through -L came back different"
pc_wait_log "forward open allowed: user=alice from=127\.0\.0\.1 port=[0-9]+ to=127\.0\.0\.1:$echo4 rule=\"default\"$"
pc_wait_log "forward close: user=alice to=127\.0\.0\.1:$echo4 sent=1000000 received=1000000 duration=[0-9]+\.[0-9]{3}$"

# ---- half-close: the reply is only sent after our EOF reached it ----
fwd_tcp halfclose --port "$l_eof" --bytes 300000 ||
	pc_fail "half-close through -L: the reply after EOF did not arrive intact"

# ---- IPv6 literal target, and a name (resolved once, then connected) ----
pc_tcp_echo_check 127.0.0.1 "$l_v6" 100000 ||
	pc_fail "echo through -L to [::1] failed"
pc_wait_log -F "to=::1:$echo6 rule=\"default\""
pc_tcp_echo_check 127.0.0.1 "$l_name" 100000 ||
	pc_fail "echo through -L to localhost failed"
pc_wait_log -F "to=localhost:$echo4 rule=\"default\""

# ---- refused target: the channel is refused, the log says it was the
# connect (not the policy) ----
if fwd_tcp halfclose --port "$l_dead" --bytes 10 --timeout 10 2>/dev/null; then
	pc_fail "a -L to a closed port carried data"
fi
pc_wait_log -F "forward open allowed: user=alice from=127.0.0.1"
pc_wait_log -F "forward open failed: user=alice to=127.0.0.1:$dead: connect: Connection refused (channel refused)"
pc_wait_log -F "connect_to 127.0.0.1 port $dead: failed."

# ---- a name that does not resolve ----
if fwd_tcp halfclose --port "$l_nx" --bytes 10 --timeout 10 2>/dev/null; then
	pc_fail "a -L to an unresolvable name carried data"
fi
pc_wait_log -F "forward open failed: user=alice to=no-such-host.invalid:80: lookup: "

# ---- the connection is still fine after the failures ----
pc_tcp_echo_check 127.0.0.1 "$l_echo" 10000 ||
	pc_fail "-L stopped working after refused channels"
pc__alive "$FWD_SSH_PID" || pc_fail "ssh exited: $(cat "$FWD_SSH_ERR")"
pc_pass

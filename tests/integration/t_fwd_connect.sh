#!/usr/bin/env bash
# direct-tcpip connects that outlast ForwardConnectWait (DESIGN.md
# 'Forwarding'): the channel is accepted while the connect is in progress
# and finished in the loop.  Bytes the client sends meanwhile arrive once
# it connects; a connect that then fails closes the channel cleanly; other
# channels of the connection never wait for it.  And a name lookup that
# never answers is cut at ForwardLookupTimeout (channel refused).
#
# Runs in private network and mount namespaces (unshare -n -m): an
# nftables rule drops the SYNs to one port, so a connect stays pending
# until the rule goes (the kernel retransmits the SYN), and
# /etc/resolv.conf points at a local DNS "server" that never answers.
if [ -z "${FWD_IN_NETNS:-}" ]; then
	if ! command -v nft >/dev/null || ! unshare -n -m true 2>/dev/null; then
		echo "SKIP: $(basename "$0" .sh): needs unshare -n -m and nft" >&2
		exit 77
	fi
	FWD_IN_NETNS=1 exec unshare -n -m bash "$0" "$@"
fi
ip link set lo up || exit 99
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_config <<'CFG'
ForwardConnectWait 250
ForwardLookupTimeout 1
CFG
pc_start_daemon

fwd_server eofecho
slow=$FWD_PORT
pc_tcp_echo
echo4=$PC_TCP_PORT
dead=$(pc_free_port)

# SYNs to $slow and $dead vanish until the table is changed
nft add table inet fwdtest
nft add chain inet fwdtest in '{ type filter hook input priority 0; }'
nft add rule inet fwdtest in tcp dport "{ $slow, $dead }" tcp flags syn drop

l_slow=$(pc_free_port)
l_dead=$(pc_free_port)
l_echo=$(pc_free_port)
fwd_ssh_bg alice -L "$l_slow:127.0.0.1:$slow" -L "$l_dead:127.0.0.1:$dead" \
	-L "$l_echo:127.0.0.1:$echo4"
fwd_wait_listen "$l_echo"

# ---- pending, then connected: the bytes sent meanwhile arrive ----
pc_bg fwd_tcp halfclose --port "$l_slow" --bytes 200000 --timeout "$PC_TIMEOUT"
halfclose=$PC_BG_PID
pc_wait_log -F "forward open: user=alice to=127.0.0.1:$slow: still connecting after 250 ms, channel accepted"
# meanwhile another channel of the same connection works
pc_tcp_echo_check 127.0.0.1 "$l_echo" 100000 ||
	pc_fail "a channel stalled while another one was connecting"
nft delete rule inet fwdtest in handle \
	"$(nft -a list chain inet fwdtest in | sed -n 's/.*syn drop # handle \([0-9]*\)/\1/p')"
nft add rule inet fwdtest in tcp dport "$dead" tcp flags syn drop
wait "$halfclose" || pc_fail "the bytes sent during the pending connect did not come back intact"
pc_expect_log -F "forward open: user=alice to=127.0.0.1:$slow: connected after the channel was accepted"
pc_wait_log -F "forward close: user=alice to=127.0.0.1:$slow sent=200000 received=200000"

# ---- pending, then refused: the channel is closed, the log says why ----
pc_bg fwd_tcp halfclose --port "$l_dead" --bytes 1000 --timeout "$PC_TIMEOUT"
dead_client=$PC_BG_PID
pc_wait_log -F "forward open: user=alice to=127.0.0.1:$dead: still connecting after 250 ms, channel accepted"
# from now on the retransmitted SYN is answered with a reset
nft flush chain inet fwdtest in
nft add rule inet fwdtest in tcp dport "$dead" tcp flags syn reject with tcp reset
if wait "$dead_client"; then
	pc_fail "a channel whose connect failed carried data"
fi
pc_wait_log -F "forward open failed: user=alice to=127.0.0.1:$dead: connect: Connection refused (channel closed)"
pc_wait_log -F "forward close: user=alice to=127.0.0.1:$dead sent=0 received=0"
pc_tcp_echo_check 127.0.0.1 "$l_echo" 1000 || pc_fail "-L broke after a failed pending connect"

# ---- a lookup that never answers: cut at ForwardLookupTimeout ----
pc_bg "$PC_PYTHON" -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
time.sleep(300)'
dns_up() {
	[ -n "$(ss -Hlun 'sport = :53' 2>/dev/null)" ]
}
pc_wait_for dns_up || pc_fail "the silent DNS server did not start"
echo "nameserver 127.0.0.1" >"$T/resolv.conf"
mount --bind "$T/resolv.conf" /etc/resolv.conf ||
	pc_skip "cannot bind-mount /etc/resolv.conf in the private mount namespace"
l_nx=$(pc_free_port)
l_echo2=$(pc_free_port)
fwd_ssh_bg alice -L "$l_nx:unanswered.test:80" -L "$l_echo2:127.0.0.1:$echo4"
fwd_wait_listen "$l_echo2"
for i in 1 2; do
	if fwd_tcp halfclose --port "$l_nx" --bytes 10 --timeout "$PC_TIMEOUT" 2>/dev/null; then
		pc_fail "a -L to a name that never resolves carried data"
	fi
	pc_wait_log -n "$i" -F "forward open failed: user=alice to=unanswered.test:80: lookup: lookup timed out after 1 s (channel refused)"
done
pc_tcp_echo_check 127.0.0.1 "$l_echo2" 10000 ||
	pc_fail "-L broke after lookups timed out"
pc__alive "$FWD_SSH_PID" || pc_fail "ssh exited: $(cat "$FWD_SSH_ERR")"
pc_pass

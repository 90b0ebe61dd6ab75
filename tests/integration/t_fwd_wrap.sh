#!/usr/bin/env bash
# TCP wrappers on forwarded listeners (POLICY.md B.3, Decision 8): each
# connection accepted on a -R listener is checked with daemon name
# sshdfwd-PORT; a denied one is closed without a forwarded-tcpip channel
# and logged, the listener stays, other ports are unaffected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
if ! ldd "$PORTCULLISD" | grep libwrap >/dev/null; then
	pc_skip "portcullisd built without libwrap"
fi
pc_authorize alice
pc_tcp_echo
echo4=$PC_TCP_PORT
denied=$(pc_free_port)
allowed=$(pc_free_port)
: >"$T/hosts.allow"
echo "sshdfwd-$denied: ALL" >"$T/hosts.deny"
pc_config <<CFG
HostsAllowFile $T/hosts.allow
HostsDenyFile $T/hosts.deny
CFG
pc_start_daemon

fwd_ssh_bg alice -o ExitOnForwardFailure=yes -R "$denied:127.0.0.1:$echo4" \
	-R "$allowed:127.0.0.1:$echo4"
fwd_wait_listen "$denied" "127.0.0.1:$denied [::1]:$denied"
fwd_wait_listen "$allowed"

for i in 1 2; do
	if fwd_tcp halfclose --port "$denied" --bytes 10 --timeout 10 2>/dev/null; then
		pc_fail "a connection to a port hosts.deny lists was forwarded"
	fi
	pc_wait_log -n "$i" -F "Fwd connection from 127.0.0.1 to local port $denied refused by tcp_wrappers."
	# the listener stays
	pc_expect_eq "127.0.0.1:$denied [::1]:$denied" "$(fwd_listen_addrs "$denied")" \
		"listeners after a refused connection"
done
pc_expect_no_log -F "listen=localhost:$denied: connection from"
pc_tcp_echo_check 127.0.0.1 "$allowed" 10000 ||
	pc_fail "a port hosts.deny does not list was refused"
pc_wait_log -F "forward close: user=alice listen=localhost:$allowed sent=10000 received=10000"
pc_pass

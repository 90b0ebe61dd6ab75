#!/usr/bin/env bash
# Limits, a slow connect, and how refusals are logged:
#  - MaxForwardChannels / MaxForwardListeners refuse (and log) the excess;
#  - policy denials log the decision line with rule and FILE:LINE, plus
#    OpenSSH's own line (POLICY.md A.11);
#  - -R 0 whose allocated port a port rule denies: refused, nothing left
#    listening (Decision 4).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_authorize bob
pc_authorize carol
pc_tcp_echo
echo4=$PC_TCP_PORT
other=$(pc_free_port)
pc_config <<CFG
MaxForwardChannels 3
MaxForwardListeners 2
Match User bob
	PermitOpen 127.0.0.1:$echo4
	AllowTcpForwarding local
Match User carol
	DenyForwardingPort >1024
CFG
pc_start_daemon

# ---- MaxForwardChannels 3 ----
l1=$(pc_free_port)
r1=$(pc_free_port)
r2=$(pc_free_port)
r3=$(pc_free_port)
fwd_ssh_bg alice -L "$l1:127.0.0.1:$echo4" -R "$r1:127.0.0.1:$echo4" \
	-R "$r2:127.0.0.1:$echo4" -R "$r3:127.0.0.1:$echo4"
alice_ssh=$FWD_SSH_PID
fwd_wait_listen "$l1"
fwd_wait_listen "$r2"
mkfifo "$T/hold.in"
fwd_tcp hold --port "$l1" --conns 5 --timeout 10 <"$T/hold.in" >"$T/hold.out" &
holder=$!
PC_PIDS+=("$holder")
exec 8>"$T/hold.in"
pc_wait_for test -s "$T/hold.out" || pc_fail "the holder did not finish opening"
pc_expect_eq "3 2" "$(cat "$T/hold.out")" "connections echoed / refused with MaxForwardChannels 3"
pc_wait_log -n 2 -F "forward open refused: user=alice from=127.0.0.1 port="
pc_expect_log -F "to=127.0.0.1:$echo4: MaxForwardChannels 3 reached"
exec 8>&-
wait "$holder" 2>/dev/null || true
pc_wait_log -n 3 -F "forward close: user=alice to=127.0.0.1:$echo4"
pc_tcp_echo_check 127.0.0.1 "$l1" 1000 || pc_fail "no channel after the held ones closed"

# ---- MaxForwardListeners 2: the third -R was refused ----
pc_wait_log -F "MaxForwardListeners 2 reached"
n=0
for p in "$r1" "$r2" "$r3"; do
	[ -n "$(fwd_listen_addrs "$p")" ] && n=$((n + 1))
done
pc_expect_eq 2 "$n" "listeners with MaxForwardListeners 2"

pc_kill "$alice_ssh"

# ---- policy denials: the decision line and OpenSSH's line ----
lb=$(pc_free_port)
rb=$(pc_free_port)
fwd_ssh_bg bob -o ExitOnForwardFailure=no -L "$lb:127.0.0.1:$other" \
	-R "$rb:127.0.0.1:$echo4"
fwd_wait_listen "$lb"
if fwd_tcp halfclose --port "$lb" --bytes 10 --timeout 10 2>/dev/null; then
	pc_fail "bob's -L to a port PermitOpen does not list carried data"
fi
pc_wait_log "forward open denied: user=bob from=127\.0\.0\.1 port=[0-9]+ to=127\.0\.0\.1:$other rule=\"PermitOpen 127\.0\.0\.1:$echo4\" \(.*sshd_config:[0-9]+\)$"
pc_wait_log "Received request from 127\.0\.0\.1 port [0-9]+ to connect to host 127\.0\.0\.1 port $other, but the request was denied\.$"
pc_wait_log "forward listen denied: user=bob from=127\.0\.0\.1 port=[0-9]+ listen=localhost:$rb rule=\"AllowTcpForwarding local\""
[ -z "$(fwd_listen_addrs "$rb")" ] || pc_fail "bob's refused -R listens"
pc_kill "$FWD_SSH_PID"

# ---- -R 0 and a rule on the allocated port ----
rc=0
pc_ssh carol -N -o ExitOnForwardFailure=yes -R "0:127.0.0.1:$echo4" \
	2>"$T/carol.err" || rc=$?
pc_expect_eq 255 "$rc" "ssh exit status when the allocated port is denied"
pc_wait_log "forward listen denied: user=carol from=127\.0\.0\.1 port=[0-9]+ listen=localhost:[0-9]+ rule=\"DenyForwardingPort >1024\""
alloc=$(sed -n 's/.*forward listen denied: user=carol .* listen=localhost:\([0-9]*\) .*/\1/p' "$PC_LOG" | head -1)
[ -n "$alloc" ] && [ "$alloc" -gt 1024 ] || pc_fail "no allocated port in the denial line"
[ -z "$(fwd_listen_addrs "$alloc")" ] || pc_fail "the denied allocated port $alloc still listens"
pc_pass

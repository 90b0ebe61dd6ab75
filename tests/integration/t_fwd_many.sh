#!/usr/bin/env bash
# Many channels: 100 parallel connections through one -L with 1 MiB each
# (every hash must match), then 1,000 sequential forwarded connections
# (-L and -R) leave the session process's fd count unchanged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_config </dev/null
pc_start_daemon

pc_tcp_echo
echo4=$PC_TCP_PORT
l1=$(pc_free_port)
r1=$(pc_free_port)
fwd_ssh_bg alice -o ExitOnForwardFailure=yes -L "$l1:127.0.0.1:$echo4" \
	-R "$r1:127.0.0.1:$echo4"
fwd_wait_listen "$l1"
fwd_wait_listen "$r1" "127.0.0.1:$r1 [::1]:$r1"
spid=$(fwd_wait_user_pid alice)

# ---- 100 parallel x 1 MiB through one -L ----
out=$(fwd_tcp parallel --port "$l1" --conns 100 --bytes 1048576 \
	--timeout "$PC_TIMEOUT" 2>"$T/parallel.err") ||
	pc_fail "parallel -L transfers: $out $(head -5 "$T/parallel.err")"
pc_expect_eq "100/100 intact" "$out" "parallel -L transfers"
pc_wait_log -n 100 -F "forward close: user=alice to=127.0.0.1:$echo4 sent=1048576 received=1048576"

# ---- 1,000 sequential connections: no fd (or channel) left behind ----
fwd_tcp many --port "$l1" --count 1 || pc_fail "warm-up connection failed"
fwd_tcp many --port "$r1" --count 1 || pc_fail "warm-up connection failed"
pc_wait_log -n 102 -F "forward close: user=alice"
base=$(fwd_nfds "$spid")
[ "$base" -gt 0 ] || pc_fail "cannot count the session process's fds"
fwd_tcp many --port "$l1" --count 500 || pc_fail "sequential -L connections failed"
fwd_tcp many --port "$r1" --count 500 || pc_fail "sequential -R connections failed"
pc_wait_log -n 1102 -F "forward close: user=alice"
fds_back() {
	[ "$(fwd_nfds "$spid")" -eq "$base" ]
}
pc_wait_for fds_back ||
	pc_fail "fd count of the session process: $base before 1,000 connections, $(fwd_nfds "$spid") after: $(ls -l "/proc/$spid/fd" | tail -n +2 | awk '{ print $NF }' | sort | uniq -c | sort -rn | head -5)"
echo "session process: $base fds before and after 1,000 forwarded connections; RSS $(fwd_rss_kb "$spid") kB"
pc__alive "$FWD_SSH_PID" || pc_fail "ssh exited: $(cat "$FWD_SSH_ERR")"
pc_pass

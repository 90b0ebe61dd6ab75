#!/bin/bash
# Load: LD_SESSIONS (300) concurrent authenticated sessions, each an
# OpenSSH client (its own process, ControlMaster=no) holding a -L forward
# to a loopback echo server.  All forwards carry LD_KIB KiB each way at
# the same time and every echo must come back identical (SHA-256); then
# every client exits and the daemon must reap everything (its process tree
# back to the listener alone) and still serve a new login.
#
# The configuration is what an administrator expecting that many clients
# would write: MaxStartups above the number of simultaneous logins (the
# default 10:30:100 would drop most of them on purpose), users spread over
# alice/bob/carol.  Figures: sessions held, bytes, daemon processes,
# RSS/PSS of the daemon's tree, failures, times.
# shellcheck source=load_lib.sh
. "$(dirname "$0")/load_lib.sh"
ld_init

N=${LD_SESSIONS:-300}
KIB=${LD_KIB:-128}
UP_SECS=${LD_UP_SECS:-180}

pc_authorize alice
pc_authorize bob
pc_authorize carol
pc_config <<EOF
LogLevel INFO
MaxStartups $((N + 50)):30:$((N + 100))
MaxSessions 10
LoginGraceTime 120
EOF
ld_start_daemon
ld_echo
ld_tool ports "$N" --exclude "$PORT,$LD_ECHO_PORT" >"$T/ports" ||
	pc_fail "no $N free ports"
pc_expect_eq "$N" "$(wc -l <"$T/ports")" "free local ports"

users=(alice bob carol)
clients=()
t0=$(pc__now)
i=0
while read -r lp; do
	pc_bg pc_ssh "${users[i % 3]}" -N -o ControlMaster=no \
		-o ExitOnForwardFailure=yes -o "ConnectTimeout=$UP_SECS" \
		-o ServerAliveInterval=0 \
		-L "127.0.0.1:$lp:127.0.0.1:$LD_ECHO_PORT"
	clients+=("$PC_BG_PID")
	i=$((i + 1))
done <"$T/ports"

# All forwards listening, checked with one ss per round; a client that
# exits early (dropped, refused) fails the test at once.
listening() {
	local n dead=0 p
	n=$(ss -Hltn 2>/dev/null | awk 'NR == FNR { want[":" $1] = 1; next }
		{ n = split($4, a, ":"); if (want[":" a[n]] && $4 ~ /^127\.0\.0\.1:/) c++ }
		END { print c + 0 }' "$T/ports" -)
	echo "$n" >"$T/listening"
	for p in "${clients[@]}"; do
		pc__alive "$p" || dead=$((dead + 1))
	done
	echo "$dead" >"$T/dead"
	[ "$n" -ge "$N" ] || [ "$dead" -gt 0 ]
}
ld_wait_until "$UP_SECS" listening ||
	pc_fail "only $(cat "$T/listening") of $N forwards listening after ${UP_SECS}s"
[ "$(cat "$T/dead")" -eq 0 ] ||
	pc_fail "$(cat "$T/dead") of $N ssh clients exited during login ($(cat "$T/listening") forwards up)"
ld_fig sessions_up_secs "$(ld_since "$t0")"
ld_fig sessions_held "$(cat "$T/listening")"
ld_fig accepted_logins "$(pc_log_count 'Accepted publickey')"

mem=$(ld_tool mem "$PC_DAEMON_PID")
ld_fig daemon_procs_held "$(ld_json "$mem" procs)"
ld_fig daemon_rss_kib_held "$(ld_json "$mem" rss_kib)"
ld_fig daemon_pss_kib_held "$(ld_json "$mem" pss_kib)"
ld_fig daemon_pss_kib_per_session \
	"$(($(ld_json "$mem" pss_kib) / N))"

res=$(ld_tool traffic --ports-file "$T/ports" --bytes $((KIB * 1024)) \
	--timeout 150 --hold) || true
echo "traffic: $res"
ld_fig traffic_conns "$(ld_json "$res" conns)"
ld_fig traffic_ok "$(ld_json "$res" ok)"
ld_fig traffic_failed "$(ld_json "$res" failed)"
ld_fig traffic_bytes_each_way "$(ld_json "$res" bytes_back)"
ld_fig traffic_secs "$(ld_json "$res" secs)"
ld_fig traffic_held_together "$(ld_json "$res" held_together)"
pc_expect_eq 0 "$(ld_json "$res" failed)" \
	"forwards that failed to echo $KIB KiB (errors: $(ld_json "$res" errors))"
pc_expect_eq "$N" "$(ld_json "$res" ok)" "forwards that echoed $KIB KiB"
pc_expect_eq "$N" "$(ld_json "$res" held_together)" \
	"forwards open at the same time after their echo"

mem=$(ld_tool mem "$PC_DAEMON_PID")
ld_fig daemon_procs_after_traffic "$(ld_json "$mem" procs)"
ld_fig daemon_pss_kib_after_traffic "$(ld_json "$mem" pss_kib)"

# The same again: memory that stays after a transfer should be a high-water
# mark (buffers kept for reuse), not grow with every round.
res=$(ld_tool traffic --ports-file "$T/ports" --bytes $((KIB * 1024)) \
	--timeout 150 --hold) || true
echo "traffic 2: $res"
ld_fig traffic2_failed "$(ld_json "$res" failed)"
ld_fig traffic2_secs "$(ld_json "$res" secs)"
pc_expect_eq 0 "$(ld_json "$res" failed)" \
	"forwards that failed the second round (errors: $(ld_json "$res" errors))"
mem=$(ld_tool mem "$PC_DAEMON_PID")
ld_fig daemon_pss_kib_after_traffic2 "$(ld_json "$mem" pss_kib)"
ld_fig daemon_cpu_secs "$(ld_json "$(ld_tool cpu "$PC_DAEMON_PID")" cpu_secs)"

# Every client still connected after the traffic.
dead=0
for p in "${clients[@]}"; do
	pc__alive "$p" || dead=$((dead + 1))
done
pc_expect_eq 0 "$dead" "ssh clients that exited during the traffic"

# All clients leave; the daemon reaps every connection process.
t1=$(pc__now)
pc_kill "${clients[@]}"
only_listener() {
	[ "$(ld_daemon_procs)" -eq 1 ]
}
ld_wait_until 90 only_listener ||
	pc_fail "daemon tree still has $(ld_daemon_procs) processes 90s after all clients left"
ld_fig reap_secs "$(ld_since "$t1")"
ld_fig daemon_procs_after_exit "$(ld_daemon_procs)"
mem=$(ld_tool mem "$PC_DAEMON_PID")
ld_fig listener_rss_kib_after_exit "$(ld_json "$mem" rss_kib)"

pc__alive "$PC_DAEMON_PID" || pc_fail "the daemon died"
pc_expect_no_log -F 'Too many open files'
pc_expect_no_log 'fatal|[Ss]egmentation|Aborted|too many connection processes'
pc_expect_no_log 'drop connection'
out=$(pc_ssh alice true 2>&1) || pc_fail "a new login after the load failed: $out"
ld_fig total_secs "$(ld_since "$LD_T0")"
pc_pass

#!/bin/bash
# Load: LD_CHANNELS (1,000) concurrent forwarded channels on ONE
# connection, 0 failures, twice:
#   1. tests/bench/chanclient.py (paramiko; called, not copied: see its
#      header): opens N direct-tcpip channels one after the other, all held
#      open, 16 bytes echoed on each, then closes them.
#   2. the real OpenSSH client: one `ssh -N -L` and N simultaneous TCP
#      connections through it (load_tool.py traffic: LD_CHAN_KIB KiB
#      echoed on each, SHA-256 compared).
# After each, the connection ends and the daemon must be back to the
# listener alone.  MaxForwardChannels (default 4096) is above N, as an
# administrator allowing that many would leave it.  Figures: channels
# opened/failed, open rate, daemon PSS while held, times.
. "$(dirname "$0")/load_lib.sh"
ld_init

N=${LD_CHANNELS:-1000}
KIB=${LD_CHAN_KIB:-16}
CHANCLIENT=$PC_SRCDIR/tests/bench/chanclient.py

"$PC_PYTHON" -c 'import paramiko' 2>/dev/null ||
	pc_skip "python3-paramiko is needed for chanclient.py"
[ -f "$CHANCLIENT" ] || pc_fail "missing $CHANCLIENT"

pc_authorize alice
# paramiko 2.12 knows curve25519 only by its @libssh.org name.
pc_config <<EOF
LogLevel INFO
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
MaxForwardChannels $((N + 100))
EOF
pc_start_daemon
ld_echo

only_listener() {
	[ "$(ld_daemon_procs)" -eq 1 ]
}

# ---- 1. paramiko: chanclient.py ------------------------------------------------
# Protocol (its header): prints {"state": "connected"} then waits for a
# line on stdin; opens the channels, prints {"state": "open", ...}, waits
# for a line; closes, prints {"state": "closed"}.
coproc CC { exec "$PC_PYTHON" "$CHANCLIENT" "$PORT" "$T/keys/alice" \
	"$T/hostkey.pub" "$LD_ECHO_PORT" "$N" alice 2>"$T/chanclient.err"; }
cc_pid=$CC_PID	# bash unsets CC_PID once the coprocess has exited
PC_PIDS+=("$cc_pid")
cc_in=${CC[1]}
cc_out=${CC[0]}

cc_read() {
	local want=$1 line
	if ! read -r -t 120 -u "$cc_out" line; then
		pc_fail "chanclient.py: no '$want' line (stderr: $(cat "$T/chanclient.err"))"
	fi
	case "$line" in
	*"\"state\": \"$want\""*) echo "$line" ;;
	*) pc_fail "chanclient.py: expected state $want, got: $line" ;;
	esac
}

cc_read connected >/dev/null
mem0=$(ld_tool mem "$PC_DAEMON_PID")
t0=$(pc__now)
echo go >&"$cc_in"
res=$(cc_read open)
echo "chanclient: $res"
mem1=$(ld_tool mem "$PC_DAEMON_PID")
ld_fig paramiko_channels_opened "$(ld_json "$res" opened)"
ld_fig paramiko_channels_failed "$(ld_json "$res" failed)"
ld_fig paramiko_open_secs "$(ld_json "$res" open_secs)"
ld_fig paramiko_all_secs "$(ld_json "$res" all_secs)"
ld_fig paramiko_daemon_procs "$(ld_json "$mem1" procs)"
ld_fig paramiko_daemon_pss_kib_held "$(ld_json "$mem1" pss_kib)"
ld_fig paramiko_pss_kib_per_channel \
	"$((($(ld_json "$mem1" pss_kib) - $(ld_json "$mem0" pss_kib)) / N))"
# Channels the daemon's connection process holds as sockets to the echo.
conns=$(ss -Htn state established "dport = :$LD_ECHO_PORT" | wc -l)
ld_fig paramiko_target_conns_held "$conns"
pc_expect_eq 0 "$(ld_json "$res" failed)" "paramiko channels failed"
pc_expect_eq "$N" "$(ld_json "$res" opened)" "paramiko channels opened"
pc_expect_eq "$N" "$conns" "daemon->echo connections while the channels are held"
echo done >&"$cc_in"
cc_read closed >/dev/null
ld_fig paramiko_total_secs "$(ld_since "$t0")"
rc=0
wait "$cc_pid" || rc=$?
pc_expect_eq 0 "$rc" "chanclient.py exit status"
pc__forget "$cc_pid"
ld_wait_until 60 only_listener ||
	pc_fail "daemon tree still has $(ld_daemon_procs) processes after chanclient.py left"
pc_expect_no_log -F 'MaxForwardChannels'

# ---- 2. OpenSSH: one ssh -L, N simultaneous connections -----------------------
LP=$(pc_free_port)
pc_bg pc_ssh alice -N -o ControlMaster=no -o ExitOnForwardFailure=yes \
	-L "127.0.0.1:$LP:127.0.0.1:$LD_ECHO_PORT"
SSH_PID=$PC_BG_PID
pc_wait_for pc_listening "$LP" ||
	pc_fail "ssh -L $LP did not listen"
for _ in $(seq "$N"); do
	echo "$LP"
done >"$T/ports"
t0=$(pc__now)
res=$(ld_tool traffic --ports-file "$T/ports" --bytes $((KIB * 1024)) \
	--timeout 150 --hold) || true
echo "traffic: $res"
ld_fig openssh_channels "$(ld_json "$res" conns)"
ld_fig openssh_channels_ok "$(ld_json "$res" ok)"
ld_fig openssh_channels_failed "$(ld_json "$res" failed)"
ld_fig openssh_bytes_each_way "$(ld_json "$res" bytes_back)"
ld_fig openssh_secs "$(ld_json "$res" secs)"
ld_fig openssh_held_together "$(ld_json "$res" held_together)"
pc_expect_eq 0 "$(ld_json "$res" failed)" \
	"channels through one ssh -L that failed (errors: $(ld_json "$res" errors))"
pc_expect_eq "$N" "$(ld_json "$res" held_together)" \
	"channels open at the same time through one ssh -L"
pc__alive "$SSH_PID" || pc_fail "ssh -L exited during the traffic"
pc_kill "$SSH_PID"
ld_wait_until 60 only_listener ||
	pc_fail "daemon tree still has $(ld_daemon_procs) processes after ssh -L left"

pc__alive "$PC_DAEMON_PID" || pc_fail "the daemon died"
pc_expect_no_log -F 'Too many open files'
pc_expect_no_log 'fatal|[Ss]egmentation|Aborted|MaxForwardChannels'
ld_fig total_secs "$(ld_since "$LD_T0")"
pc_pass

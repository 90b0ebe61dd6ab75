#!/usr/bin/env bash
# Bulk data through -L and -R in both directions with SHA-256 checks, also
# with -o RekeyLimit=8M (libssh's ssh_channel_write() returns 0 during a
# rekey: the relay must keep the unsent bytes).  FWD_BIG_MB sets the size
# (default 64; the long target runs 1024).  Prints MB/s for each run
# (informative only: no timing assertion).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
mb=${FWD_BIG_MB:-64}
bytes=$((mb * 1024 * 1024))
if [ "$mb" -gt 256 ]; then
	PC_TIMEOUT=$((PC_TIMEOUT + mb / 4))
fi
pc_authorize alice
pc_config </dev/null
pc_start_daemon

hz=$(getconf CLK_TCK)
# CPU ticks (user + system) of a process
cpu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
# rate START END CPU0 CPU1 -> "N MB/s, X CPU-s/GiB in the session process"
# (MB = 10^6 bytes; the CPU figure does not depend on the machine's load)
rate() {
	awk -v s="$1" -v e="$2" -v b="$bytes" -v c="$(( $4 - $3 ))" -v hz="$hz" \
		'BEGIN { d = e - s; if (d <= 0) d = 0.001;
			printf "%.0f MB/s, %.2f CPU-s/GiB in the session process",
			    b / d / 1e6, c / hz / (b / 1073741824) }'
}

# transfer NAME REKEY: one ssh with -L and -R, then 4 transfers
transfer() {
	local name=$1 rekey=$2 lup ldown rup rdown t0 t1 c0 c1 spid want got opts=()
	[ "$rekey" = none ] || opts=(-o "RekeyLimit=$rekey")
	lup=$(pc_free_port)
	ldown=$(pc_free_port)
	rup=$(pc_free_port)
	rdown=$(pc_free_port)

	pc_tcp_sink "$T/$name.lup.sink"
	sink_l=$PC_TCP_PORT
	fwd_server serve --bytes "$bytes" --out "$T/$name.ldown.src"
	src_l=$FWD_PORT
	pc_tcp_sink "$T/$name.rup.sink"
	sink_r=$PC_TCP_PORT
	fwd_server serve --bytes "$bytes" --out "$T/$name.rdown.src"
	src_r=$FWD_PORT

	fwd_ssh_bg alice -o ExitOnForwardFailure=yes "${opts[@]}" \
		-L "$lup:127.0.0.1:$sink_l" -L "$ldown:127.0.0.1:$src_l" \
		-R "$rup:127.0.0.1:$sink_r" -R "$rdown:127.0.0.1:$src_r"
	fwd_wait_listen "$ldown"
	fwd_wait_listen "$rdown" "127.0.0.1:$rdown [::1]:$rdown"
	spid=$(fwd_wait_user_pid alice)

	# -L upload: client -> server -> target
	t0=$(date +%s.%N)
	c0=$(cpu_ticks "$spid")
	want=$(pc_tcp_source 127.0.0.1 "$lup" "$bytes") ||
		pc_fail "$name: -L upload: the source failed"
	pc_wait_for test -s "$T/$name.lup.sink" || pc_fail "$name: -L upload: the sink got no EOF"
	t1=$(date +%s.%N)
	c1=$(cpu_ticks "$spid")
	pc_expect_eq "$want" "$(cat "$T/$name.lup.sink")" "$name: -L upload SHA-256 and size"
	echo "$name: -L upload   $mb MiB: $(rate "$t0" "$t1" "$c0" "$c1")"

	# -L download: target -> server -> client
	t0=$(date +%s.%N)
	c0=$(cpu_ticks "$spid")
	got=$(fwd_tcp read --port "$ldown" --timeout "$PC_TIMEOUT") ||
		pc_fail "$name: -L download: the reader failed"
	t1=$(date +%s.%N)
	c1=$(cpu_ticks "$spid")
	pc_wait_for test -s "$T/$name.ldown.src" || pc_fail "$name: -L download: no source hash"
	pc_expect_eq "$(cat "$T/$name.ldown.src")" "$got" "$name: -L download SHA-256 and size"
	echo "$name: -L download $mb MiB: $(rate "$t0" "$t1" "$c0" "$c1")"

	# -R upload: a peer of the server's listener -> client -> target
	t0=$(date +%s.%N)
	c0=$(cpu_ticks "$spid")
	want=$(pc_tcp_source 127.0.0.1 "$rup" "$bytes") ||
		pc_fail "$name: -R upload: the source failed"
	pc_wait_for test -s "$T/$name.rup.sink" || pc_fail "$name: -R upload: the sink got no EOF"
	t1=$(date +%s.%N)
	c1=$(cpu_ticks "$spid")
	pc_expect_eq "$want" "$(cat "$T/$name.rup.sink")" "$name: -R (server to client) SHA-256 and size"
	echo "$name: -R server->client $mb MiB: $(rate "$t0" "$t1" "$c0" "$c1")"

	# -R download: target on the client side -> server -> peer
	t0=$(date +%s.%N)
	c0=$(cpu_ticks "$spid")
	got=$(fwd_tcp read --port "$rdown" --timeout "$PC_TIMEOUT") ||
		pc_fail "$name: -R download: the reader failed"
	t1=$(date +%s.%N)
	c1=$(cpu_ticks "$spid")
	pc_wait_for test -s "$T/$name.rdown.src" || pc_fail "$name: -R download: no source hash"
	pc_expect_eq "$(cat "$T/$name.rdown.src")" "$got" "$name: -R (client to server) SHA-256 and size"
	echo "$name: -R client->server $mb MiB: $(rate "$t0" "$t1" "$c0" "$c1")"

	pc_kill "$FWD_SSH_PID"
}

transfer plain none
transfer rekey 8M
pc_wait_log -n 8 "forward close: user=alice .* sent=[0-9]+ received=[0-9]+"
pc_expect_no_log "exceeded the window"
pc_pass

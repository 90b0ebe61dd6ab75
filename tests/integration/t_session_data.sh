#!/usr/bin/env bash
# Session data path: a large stream through `ssh host cat` comes back
# byte-exact while the connection process keeps bounded memory; parallel
# sessions on one connection.
# PC_SESSION_MB sets the size (default 256).
. "$(dirname "$0")/lib.sh"
pc_init

mb=${PC_SESSION_MB:-256}
# Peak RSS says something only about a plain build: ASan's quarantine and
# shadow memory, or valgrind, dwarf what the relay holds.
check_rss=yes
if [ -n "${PC_DAEMON_WRAPPER:-}" ] ||
	ldd "$PORTCULLISD" 2>/dev/null | grep libasan >/dev/null; then
	check_rss=no
fi
rss_ok() {
	# $1 kB, $2 what
	[ -n "$1" ] || pc_fail "no VmHWM for the $2"
	[ "$check_rss" = no ] || [ "$1" -lt 65536 ] ||
		pc_fail "session process peak RSS $1 kB for a $mb MiB $2"
}
pc_authorize alice
pc_config </dev/null
pc_start_daemon

# Round trip: client -> cat (stdin) -> client (stdout).
head -c "${mb}M" /dev/urandom >"$T/data"
want=$(sha256sum <"$T/data" | cut -d' ' -f1)
got=$(pc_ssh alice cat <"$T/data" | sha256sum | cut -d' ' -f1)
pc_expect_eq "$want" "$got" "SHA-256 of $mb MiB through ssh cat"

# Upload only, then the peak memory of the session process (the shell's
# parent) as seen from inside, after all of it went through.
out=$(pc_ssh alice 'sha256sum | cut -d" " -f1; grep VmHWM /proc/$PPID/status' \
	<"$T/data")
pc_expect_eq "$want" "$(sed -n 1p <<<"$out")" "SHA-256 of $mb MiB uploaded"
rss_ok "$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' <<<"$out")" upload

# Download only (the peak RSS goes to stderr).
got=$(pc_ssh alice "cat $T/data; grep VmHWM /proc/\$PPID/status >&2" \
	2>"$T/hwm" | sha256sum | cut -d' ' -f1)
pc_expect_eq "$want" "$got" "SHA-256 of $mb MiB downloaded"
rss_ok "$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "$T/hwm")" download

# Four sessions at once on one multiplexed connection, each its own
# relay: every stream comes back whole.
ctl=$T/ctl
pc_bg pc_ssh alice -N -o ControlMaster=yes -o "ControlPath=$ctl"
pc_wait_for test -S "$ctl" || pc_fail "no control socket"
head -c "$((mb / 64 + 1))M" "$T/data" >"$T/part"
want=$(sha256sum <"$T/part" | cut -d' ' -f1)
pids=()
for i in 1 2 3 4; do
	(pc_ssh alice -o "ControlPath=$ctl" cat <"$T/part" | sha256sum |
		cut -d' ' -f1 >"$T/mux$i") &
	pids+=("$!")
done
for p in "${pids[@]}"; do
	wait "$p" || pc_fail "a multiplexed session failed"
done
for i in 1 2 3 4; do
	pc_expect_eq "$want" "$(cat "$T/mux$i")" "SHA-256 of multiplexed session $i"
done

pc_stop_daemon
pc_pass

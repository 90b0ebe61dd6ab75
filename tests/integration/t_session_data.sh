#!/usr/bin/env bash
# Session data path: a large stream through `ssh host cat` comes back
# byte-exact while the connection process keeps bounded memory.
# PC_SESSION_MB sets the size (default 256).
. "$(dirname "$0")/lib.sh"
pc_init

mb=${PC_SESSION_MB:-256}
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
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' <<<"$out")
[ -n "$hwm" ] || pc_fail "no VmHWM in '$out'"
[ "$hwm" -lt 65536 ] ||
	pc_fail "session process peak RSS ${hwm} kB for a $mb MiB upload"

# Download only (the peak RSS goes to stderr).
got=$(pc_ssh alice "cat $T/data; grep VmHWM /proc/\$PPID/status >&2" \
	2>"$T/hwm" | sha256sum | cut -d' ' -f1)
pc_expect_eq "$want" "$got" "SHA-256 of $mb MiB downloaded"
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "$T/hwm")
[ -n "$hwm" ] || pc_fail "no VmHWM in '$(cat "$T/hwm")'"
[ "$hwm" -lt 65536 ] ||
	pc_fail "session process peak RSS ${hwm} kB for a $mb MiB download"

pc_stop_daemon
pc_pass

#!/usr/bin/env bash
# Session channels with a pseudo-terminal: pty-req (the child's controlling
# terminal, owned by the user, mode 0620), TERM and SSH_TTY, window size
# and window-change, PermitTTY no and the key option no-pty.
. "$(dirname "$0")/lib.sh"
pc_init

pc_authorize alice
pc_authorize bob
pc_authorize carol no-pty
pc_config <<'CFG'
Match User bob
	PermitTTY no
CFG
pc_start_daemon

# ---- ssh -tt: a /dev/pts terminal that is the controlling one ----
tty=$(pc_ssh alice -tt tty | tr -d '\r')
[[ "$tty" =~ ^/dev/pts/[0-9]+$ ]] || pc_fail "ssh -tt tty printed '$tty'"
out=$(TERM=vt100 pc_ssh alice -tt \
	'echo "$TERM $SSH_TTY $(tty) $(stat -c "%u %a" "$(tty)")"; ps -o tty= -p $$' |
	tr -d '\r')
read -r term sshtty realtty owner mode ctty rest <<<"$(echo $out)"
pc_expect_eq vt100 "$term" "TERM in a pty session"
pc_expect_eq "$realtty" "$sshtty" "SSH_TTY against tty(1)"
pc_expect_eq "20001 620" "$owner $mode" "owner and mode of $realtty"
pc_expect_eq "${realtty#/dev/}" "$ctty" "controlling terminal of the shell"
[ -z "$rest" ] || pc_fail "unexpected output: $out"

# Exit status still comes through a pty session.
rc=0
pc_ssh alice -tt 'exit 3' >/dev/null 2>&1 || rc=$?
pc_expect_eq 3 "$rc" "exit status through a pty"

# ---- the client's terminal size, then a window-change ----
mapfile -t opts < <(pc_ssh_opts alice)
ttypy() {
	pc__client_env "$PC_PYTHON" "$PC_SRCDIR/tests/integration/session_tty.py" \
		--timeout "$PC_TIMEOUT" "$@"
}
out=$(ttypy --rows 30 --cols 100 -- ssh "${opts[@]}" -p "$PORT" -tt \
	127.0.0.1 'stty size') || pc_fail "stty size on a 30x100 terminal: $out"
pc_expect_eq "30 100" "$(echo $out)" "terminal size from pty-req"
out=$(ttypy --rows 30 --cols 100 --resize 40x120 --after ready \
	--until "40 120" -- ssh "${opts[@]}" -p "$PORT" -tt 127.0.0.1 \
	'trap "stty size" WINCH; echo ready; while :; do sleep 0.1; done') ||
	pc_fail "no '40 120' after resizing the client's terminal: $out"

# ---- refusals: PermitTTY no (bob), no-pty key option (carol) ----
# With -tt the client treats the refusal as fatal (OpenSSH closes the
# channel, status 255); without a pty request the command runs.
for u in bob carol; do
	rc=0
	pc_ssh "$u" -tt tty >/dev/null 2>"$T/$u.err" || rc=$?
	pc_expect_eq 255 "$rc" "ssh -tt status for $u, whose pty is refused"
	grep -q "PTY allocation request failed" "$T/$u.err" ||
		pc_fail "ssh did not report the pty refusal for $u: $(cat "$T/$u.err")"
	pc_expect_eq "not a tty" "$(pc_ssh "$u" tty)" "tty for $u without -t"
done
pc_wait_log -F "pty refused for bob from 127.0.0.1"
pc_wait_log -F "pty refused for carol from 127.0.0.1"

pc_stop_daemon
pc_pass

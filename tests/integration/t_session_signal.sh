#!/usr/bin/env bash
# "signal" requests (RFC 4254 6.9) reach the command's process group; a
# death by signal comes back as exit-signal with the name; forced commands
# do not take signals (as OpenSSH).  Driven with paramiko.
. "$(dirname "$0")/lib.sh"
pc_init

"$PC_PYTHON" -c 'import paramiko' 2>/dev/null || pc_skip "no paramiko"
pc_authorize alice
pc_authorize bob 'command="cat"'
pc_config </dev/null
pc_start_daemon

chan() {
	local u=$1
	shift
	pc__client_env "$PC_PYTHON" "$PC_SRCDIR/tests/integration/session_chan.py" \
		--port "$PORT" --user "$u" --key "$T/keys/$u" \
		--known-hosts "$T/known_hosts" --timeout "$PC_TIMEOUT" "$@"
}

out=$(chan alice --command 'echo ready; sleep 60' --wait-for ready --signal TERM)
pc_expect_eq "exit-signal TERM core=0" "$(tail -n1 <<<"$out")" "after signal TERM"

out=$(chan alice --command 'trap "echo got-usr1; exit 3" USR1; echo ready; while :; do sleep 0.1; done' \
	--wait-for ready --signal USR1)
pc_expect_eq "stdout:ready|got-usr1|
exit-status 3" "$out" "a trapped USR1"

out=$(chan alice --command 'echo ready; kill -SEGV $$' --wait-for ready)
pc_expect_eq "exit-signal SEGV" "$(tail -n1 <<<"$out" | cut -d' ' -f1,2)" \
	"a shell killed by SIGSEGV"

# An unknown signal name is ignored; the command goes on to its end.
out=$(chan alice --command 'echo ready; read x; exit 5' --wait-for ready \
	--signal NOSUCH --eof)
pc_expect_eq "exit-status 5" "$(tail -n1 <<<"$out")" "after signal NOSUCH"
pc_wait_log -F 'unsupported signal "NOSUCH"'

# Forced command: the signal is refused, cat ends at EOF with status 0.
out=$(chan bob --command 'ignored' --signal TERM --eof)
pc_expect_eq "exit-status 0" "$(tail -n1 <<<"$out")" "forced command after signal TERM"
pc_wait_log -F "refusing to send signal TERM to forced-command session"

out=$(chan alice --command 'exit 9')
pc_expect_eq "stdout:
exit-status 9" "$out" "exit-status only"

pc_stop_daemon
pc_pass

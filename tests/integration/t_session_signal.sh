#!/usr/bin/env bash
# "signal" requests (RFC 4254 6.9) reach the command's process group; a
# death by signal comes back as exit-signal with the name; forced commands
# do not take signals (as OpenSSH).  Driven with paramiko, one channel per
# case.
. "$(dirname "$0")/lib.sh"
pc_init

"$PC_PYTHON" -c 'import paramiko' 2>/dev/null || pc_skip "no paramiko"
pc_authorize alice
pc_authorize bob 'command="cat"'
pc_config </dev/null
pc_start_daemon

# USER COMMAND WAIT-FOR SIGNAL EOF, tab-separated; one result line each.
tab=$'\t'
cat >"$T/cases" <<CASES
alice${tab}echo ready; sleep 60${tab}ready${tab}TERM${tab}-
alice${tab}trap "echo got-usr1; exit 3" USR1; echo ready; while :; do sleep 0.1; done${tab}ready${tab}USR1${tab}-
alice${tab}echo ready; kill -SEGV \$\$${tab}-${tab}-${tab}-
alice${tab}echo ready; read x; exit 5${tab}ready${tab}NOSUCH${tab}eof
alice${tab}exit 9${tab}-${tab}-${tab}-
bob${tab}ignored${tab}-${tab}TERM${tab}eof
CASES
pc__client_env "$PC_PYTHON" "$PC_SRCDIR/tests/integration/session_chan.py" \
	--port "$PORT" --keys "$T/keys" --known-hosts "$T/known_hosts" \
	--timeout "$PC_TIMEOUT" <"$T/cases" >"$T/results" ||
	pc_fail "session_chan.py failed: $(cat "$T/results")"
res() {
	sed -n "$1p" "$T/results"
}
pc_expect_eq "ready|${tab}exit-signal TERM core=0" "$(res 1)" "signal TERM"
pc_expect_eq "ready|got-usr1|${tab}exit-status 3" "$(res 2)" "a trapped USR1"
pc_expect_eq "ready|${tab}exit-signal SEGV" "$(res 3 | cut -d' ' -f1,2)" \
	"a shell killed by SIGSEGV"
# An unknown signal name is ignored; the command goes on to its end.
pc_expect_eq "ready|${tab}exit-status 5" "$(res 4)" "after signal NOSUCH"
pc_expect_eq "${tab}exit-status 9" "$(res 5)" "exit-status only"
# Forced command: the signal is refused, cat ends at EOF with status 0.
pc_expect_eq "${tab}exit-status 0" "$(res 6)" "forced command after signal TERM"

pc_wait_log -F 'unsupported signal "NOSUCH"'
pc_wait_log -F "refusing to send signal TERM to forced-command session"
pc_stop_daemon
pc_pass

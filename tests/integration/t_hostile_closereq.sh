#!/usr/bin/env bash
# Channel requests that a client sends after the daemon's CLOSE of a
# session channel (it had not seen the CLOSE yet) get no answer: RFC 4254
# 5.3 allows nothing after our CLOSE, and PuTTY drops the connection on a
# reply for a channel it has closed.  libssh 0.10 answers requests on
# channels we closed unless the message callback swallows them (conn.c).
# 10 rounds, each: exec "true", wait for the daemon's CLOSE, send env, exec,
# pty-req, winadj@putty... and an unknown request (all want-reply), then a
# global request as a barrier (the daemon answers in order): nothing for
# the channel may come before the barrier's answer.
. "$(dirname "$0")/lib.sh"
pc_init

"$PC_PYTHON" -c 'import paramiko' 2>/dev/null || pc_skip "no paramiko"
pc_authorize alice
pc_config </dev/null
pc_start_daemon

"$PC_PYTHON" "$PC_SRCDIR/tests/integration/hostile_client.py" \
	--port "$PORT" --daemon-pid "$PC_DAEMON_PID" --user alice \
	--key "$T/keys/alice" --timeout "$PC_TIMEOUT" --count 10 \
	close-request >"$T/out" 2>"$T/err" || {
	cat "$T/out" "$T/err" >&2
	pc_fail "replies after CLOSE (or the client failed): $(cat "$T/out")"
}
cat "$T/out"
pc_expect_no_log "AddressSanitizer|runtime error|Segmentation"
pc__alive "$PC_DAEMON_PID" || pc_fail "the listener died"
pc_stop_daemon
pc_pass

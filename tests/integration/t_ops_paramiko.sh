#!/usr/bin/env bash
# paramiko (python3-paramiko), a client nobody here wrote, against the
# daemon: public-key login (Ed25519 for alice, RSA with rsa-sha2 for bob),
# exec with output and exit status, the -L equivalent (direct-tcpip to an
# echo server) and the -R equivalent (tcpip-forward, data through the
# forwarded-tcpip channel, cancel-tcpip-forward closes the port).  The
# steps are in ops_paramiko.py; this script checks the daemon's side.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
"$PC_PYTHON" -c 'import paramiko' 2>/dev/null ||
	pc_skip "paramiko not installed (apt-get install python3-paramiko)"

pc_userkey bob rsa
pc_authorize alice
pc_authorize bob
pc_config </dev/null
pc_start_daemon
pc_tcp_echo
echo4=$PC_TCP_PORT
rport=$(pc_free_port)

# pm USER STEPS [ARGS]: run ops_paramiko.py as USER; output in $T/pm.USER
pm() {
	local u=$1 steps=$2
	shift 2
	if ! pc__client_env "$PC_PYTHON" "$PC_SRCDIR/tests/integration/ops_paramiko.py" \
		--port "$PORT" --user "$u" --key "$T/keys/$u" \
		--known-hosts "$T/known_hosts" --timeout "$PC_TIMEOUT" \
		--steps "$steps" "$@" >"$T/pm.$u" 2>&1; then
		pc_fail "paramiko as $u: $(cat "$T/pm.$u")"
	fi
	cat "$T/pm.$u"
}

pm alice exec,local,remote --echo-port "$echo4" --rport "$rport"
pc_wait_log "Accepted publickey for alice from 127\.0\.0\.1 port [0-9]+ ssh2: ED25519 "
pc_wait_log "Starting session: command for alice from 127\.0\.0\.1"
pc_wait_log "forward open allowed: user=alice from=127\.0\.0\.1 port=[0-9]+ to=127\.0\.0\.1:$echo4 rule=\"default\"$"
pc_wait_log "forward close: user=alice to=127\.0\.0\.1:$echo4 sent=1000000 received=1000000 "
pc_wait_log "forward listen allowed: user=alice from=127\.0\.0\.1 port=[0-9]+ listen=127\.0\.0\.1:$rport rule=\"default\"$"
pc_wait_log "forward close: user=alice listen=127\.0\.0\.1:$rport sent=500000 received=[0-9]+ "
pc_wait_log -F "forward cancel: user=alice listen=127.0.0.1:$rport"
# The daemon's view agrees with paramiko's: nothing listens on the port.
fwd_wait_free "$rport"

# RSA key: paramiko signs with rsa-sha2-512/256 (ssh-rsa is not offered).
pm bob exec
pc_wait_log "Accepted publickey for bob from 127\.0\.0\.1 port [0-9]+ ssh2: RSA "
pc_wait_log "Disconnected from user bob 127\.0\.0\.1"
pc_expect_no_log "ERROR: |fatal"
pc_pass

#!/usr/bin/env bash
# Pid file, SIGTERM, SIGHUP reload (good and bad), MaxStartups.
. "$(dirname "$0")/lib.sh"
pc_init
pc_authorize alice
pc_authorize bob
# LoginGraceTime only has to outlast the MaxStartups case below (the
# holder is killed by the test, never timed out).  Under valgrind
# (PC_DAEMON_WRAPPER, tests/ci/valgrind.sh) a login on a busy machine can
# take tens of seconds, so the value is scaled there.
grace=30
case "${PC_DAEMON_WRAPPER:-}" in
*valgrind*)
	grace=120
	echo "NOTE: daemon under valgrind: LoginGraceTime scaled from 30 to $grace s"
	;;
esac
pc_config <<EOF
AllowUsers alice
MaxStartups 1
LoginGraceTime $grace
EOF
pc_start_daemon

# With MaxStartups 1 a connection refused before authentication holds the
# only startup slot until its process has exited; under valgrind or ASan
# that exit includes a leak check of several seconds, and a login started
# meanwhile is dropped "past MaxStartups".  So wait until the daemon has no
# connection process left before the next login (a wait, not a retry: every
# login below must still succeed at the first attempt).
no_conn_procs() {
	! pgrep -P "$PC_DAEMON_PID" >/dev/null
}

pc_wait_for test -s "$T/pid" || pc_fail "no pid file"
pc_expect_eq "$PC_DAEMON_PID" "$(cat "$T/pid")"

pc_ssh alice true || pc_fail "alice refused"
if pc_ssh bob true 2>/dev/null; then
	pc_fail "bob was let in although AllowUsers lists only alice"
fi
pc_wait_log "User bob from 127\.0\.0\.1 not allowed because not listed in AllowUsers"
pc_wait_for no_conn_procs || pc_fail "bob's refused connection process did not exit"

# Reload with a changed configuration: new connections see it.
sed -i 's/^AllowUsers alice$/AllowUsers alice bob/' "$T/sshd_config"
kill -HUP "$PC_DAEMON_PID"
pc_wait_log "Configuration reloaded"
pc_ssh bob true || pc_fail "after SIGHUP bob is still refused"

# A broken configuration is refused and the old one stays.
echo "NoSuchKeyword here" >>"$T/sshd_config"
kill -HUP "$PC_DAEMON_PID"
pc_wait_log -F "$T/sshd_config:"
pc_wait_log "keeping the old configuration"
pc_ssh bob true || pc_fail "a bad reload broke the running configuration"
sed -i '$d' "$T/sshd_config"

# MaxStartups 1: while one unauthenticated connection is pending, the
# next one is dropped.
n0=$(pc_log_count "Connection from 127\.0\.0\.1 port")
pc_bg python3 "$PC_SRCDIR/tests/integration/core_idle.py" --port "$PORT" --timeout 60
holder=$PC_BG_PID
pc_wait_log -n $((n0 + 1)) "Connection from 127\.0\.0\.1 port"
pc_tcp_probe 127.0.0.1 "$PORT" || true
pc_wait_log "drop connection #[0-9]+ from \[127\.0\.0\.1\]:[0-9]+ on \[127\.0\.0\.1\]:$PORT past MaxStartups"
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
pc_wait_for pc_ssh alice true || pc_fail "login impossible after the pending connection ended"
# OpenSSH 9.2's throttling lines around the drops
pc_wait_log "error: beginning MaxStartups throttling|beginning MaxStartups throttling"
pc_wait_log "exited MaxStartups throttling after [0-9][0-9]:[0-9][0-9]:[0-9][0-9], [0-9]+ connections dropped"

# SIGTERM: clean exit, pid file removed.
pc_stop_daemon
pc_expect_eq 0 "$PC_DAEMON_STATUS"
[ ! -e "$T/pid" ] || pc_fail "pid file left behind after SIGTERM"
pc_pass

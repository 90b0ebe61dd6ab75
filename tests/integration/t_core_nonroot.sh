#!/usr/bin/env bash
# Started by a non-root user the daemon serves only that user and never
# changes identity (DESIGN.md).
. "$(dirname "$0")/lib.sh"
pc_init
command -v setpriv >/dev/null || pc_skip "setpriv not installed"
pc_authorize alice
pc_authorize bob
pc_config <<'EOF'
PidFile none
EOF
# The host key must be readable by alice.
chown 20001:20001 "$T/hostkey"
PC_DAEMON_WRAPPER="setpriv --reuid=20001 --regid=20001 --clear-groups" \
	pc_start_daemon

out=$(pc_ssh alice id -u) || pc_fail "alice cannot log in to her own daemon"
pc_expect_eq 20001 "$out"
if pc_ssh bob true 2>/dev/null; then
	pc_fail "a daemon run by alice let bob in"
fi
pc_wait_log "Invalid user bob from 127\.0\.0\.1 port [0-9]+"
# Nothing in the daemon's process tree runs as root.
for p in $(pgrep -f -- "-f $T/sshd_config" || true); do
	u=$(awk '/^Uid:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 20001)
	[ "$u" = 20001 ] || pc_fail "process $p runs as uid $u"
done
pc_pass

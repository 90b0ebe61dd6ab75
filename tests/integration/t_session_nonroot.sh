#!/usr/bin/env bash
# Session channels when the daemon was started by the user itself (no
# privilege separation, DESIGN.md): exec, stdin/stdout, exit status, and a
# pty owned by that user.
. "$(dirname "$0")/lib.sh"
pc_init
command -v setpriv >/dev/null || pc_skip "setpriv not installed"
pc_authorize alice
pc_config <<'CFG'
PidFile none
CFG
chown 20001:20001 "$T/hostkey"
PC_DAEMON_WRAPPER="setpriv --reuid=20001 --regid=20001 --clear-groups" \
	pc_start_daemon

pc_expect_eq "20001 $T/home/alice" "$(pc_ssh alice 'echo $(id -u) $HOME')" \
	"identity and HOME"
pc_expect_eq hi "$(echo hi | pc_ssh alice cat)" "echo hi | ssh cat"
rc=0
pc_ssh alice 'exit 7' || rc=$?
pc_expect_eq 7 "$rc" "exit status"
out=$(pc_ssh alice -tt 'tty; stat -c "%u %a" "$(tty)"' | tr -d '\r')
read -r tty owner mode <<<"$(echo $out)"
[[ "$tty" =~ ^/dev/pts/[0-9]+$ ]] || pc_fail "ssh -tt tty printed '$out'"
pc_expect_eq "20001 620" "$owner $mode" "owner and mode of $tty"
pc_wait_log -F "Close session: user alice from 127.0.0.1"
pc_pass

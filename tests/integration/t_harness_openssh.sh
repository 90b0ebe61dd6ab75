#!/usr/bin/env bash
# The harness's client side (keys, authorized_keys, known_hosts, pc_ssh,
# pc_sftp, log waiting) against OpenSSH's own sshd, so a failure here is
# the harness's and not portcullisd's.  Skipped without /usr/sbin/sshd.
. "$(dirname "$0")/lib.sh"
pc_init

[ -x /usr/sbin/sshd ] || pc_skip "no /usr/sbin/sshd"
# OpenSSH's privilege separation needs its empty directory.
[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd; }
PORTCULLISD=/usr/sbin/sshd

pc_authorize alice
pc_authorize bob 'command="echo forced"'
# sshd cleans the session environment: SetEnv hands nss_wrapper back so
# the session (id, sftp-server) knows the fake users.
pc_config <<CFG
PermitRootLogin no
SetEnv LD_PRELOAD=$PC_PRELOAD NSS_WRAPPER_PASSWD=$T/passwd NSS_WRAPPER_GROUP=$T/group
CFG
pc_start_daemon

pc_expect_eq "20001 alice fwdusers" \
	"$(pc_ssh alice 'echo $(id -u) $(id -Gn)')" "alice's identity over ssh"
pc_expect_eq forced "$(pc_ssh bob -o LogLevel=QUIET anything)" "bob's forced command"
if pc_ssh carol true 2>/dev/null; then
	pc_fail "carol has no authorized key but logged in"
fi
pc_wait_log -F "Accepted publickey for alice from 127.0.0.1"

# -L through the daemon to an echo server, data checked by hash.
pc_tcp_echo
lport=$(pc_free_port)
pc_bg pc_ssh alice -N -o ExitOnForwardFailure=yes \
	-L "127.0.0.1:$lport:127.0.0.1:$PC_TCP_PORT"
pc_wait_for pc_listening "$lport" ||
	pc_fail "ssh -L did not listen on $lport"
pc_tcp_echo_check 127.0.0.1 "$lport" 2000000 || pc_fail "echo through -L"

echo "put $PC_TCP_PY upload.py" >"$T/batch"
pc_sftp alice -b "$T/batch" >/dev/null || pc_fail "sftp put"
cmp -s "$PC_TCP_PY" "$T/home/alice/upload.py" || pc_fail "sftp upload differs"

pc_stop_daemon
pc_pass

#!/usr/bin/env bash
# Subsystems: sftp through Subsystem sftp /usr/lib/openssh/sftp-server (put
# and get of 10 MiB byte-exact), an unknown subsystem, and internal-sftp,
# which portcullisd does not implement (refused and logged).
. "$(dirname "$0")/lib.sh"
pc_init

[ -x /usr/lib/openssh/sftp-server ] || pc_skip "no /usr/lib/openssh/sftp-server"
pc_authorize alice
pc_authorize bob
# sftp-server looks its user up: SetEnv hands the session nss_wrapper (the
# daemon, like sshd, gives the child a clean environment).
pc_config <<CFG
SetEnv LD_PRELOAD=$PC_PRELOAD NSS_WRAPPER_PASSWD=$T/passwd NSS_WRAPPER_GROUP=$T/group
Match User bob
	ForceCommand internal-sftp
CFG
pc_start_daemon

head -c 10M /dev/urandom >"$T/up.bin"
cat >"$T/batch" <<EOF2
put $T/up.bin up.bin
get up.bin $T/down.bin
EOF2
pc_sftp alice -b "$T/batch" >"$T/sftp.out" 2>&1 ||
	pc_fail "sftp put/get failed: $(cat "$T/sftp.out")"
cmp "$T/up.bin" "$T/home/alice/up.bin" || pc_fail "uploaded file differs"
cmp "$T/up.bin" "$T/down.bin" || pc_fail "downloaded file differs"
pc_expect_eq "20001" "$(stat -c %u "$T/home/alice/up.bin")" "owner of the upload"
pc_wait_log -F "Starting session: subsystem 'sftp' for alice from 127.0.0.1"

# An unknown subsystem is refused.
rc=0
pc_ssh alice -s nosuch </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || pc_fail "subsystem 'nosuch' was accepted"
pc_wait_log -F "subsystem request for nosuch by user alice failed, subsystem not found"

# internal-sftp (here as bob's ForceCommand) is not supported.
if pc_sftp bob -b "$T/batch" >/dev/null 2>&1; then
	pc_fail "sftp as bob worked although ForceCommand is internal-sftp"
fi
pc_wait_log -F "internal-sftp is not supported"

pc_stop_daemon
pc_pass

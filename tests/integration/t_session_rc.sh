#!/usr/bin/env bash
# ~/.ssh/rc runs before the command (OpenSSH do_rc_files), except for
# subsystems, ForceCommand from the configuration, the key option
# no-user-rc and PermitUserRC no.
. "$(dirname "$0")/lib.sh"
pc_init

pc_authorize alice
pc_authorize bob no-user-rc
pc_authorize carol
for u in alice bob carol; do
	printf 'echo "rc-ran:$SSH_CONNECTION" | cut -d" " -f1\n' \
		>"$T/home/$u/.ssh/rc"
	chown "${PC_UID[$u]}" "$T/home/$u/.ssh/rc"
done
pc_config <<CFG
SetEnv LD_PRELOAD=$PC_PRELOAD NSS_WRAPPER_PASSWD=$T/passwd NSS_WRAPPER_GROUP=$T/group
Match User carol
	ForceCommand echo forced
CFG
pc_start_daemon

pc_expect_eq "rc-ran:127.0.0.1 cmd" "$(pc_ssh alice echo cmd | tr '\n' ' ' |
	sed 's/ $//')" "alice: rc, then the command"
pc_expect_eq "rc-ran:127.0.0.1 -sh" "$(echo 'echo $0' | pc_ssh alice -T |
	tr '\n' ' ' | sed 's/ $//')" "alice: rc, then the login shell"
pc_expect_eq cmd "$(pc_ssh bob echo cmd)" "bob (no-user-rc): no rc"
pc_expect_eq forced "$(pc_ssh carol echo cmd)" "carol (ForceCommand): no rc"

# A subsystem never runs ~/.ssh/rc (its output would break the protocol).
if [ -x /usr/lib/openssh/sftp-server ]; then
	echo "put $T/home/alice/.ssh/rc rc.copy" >"$T/batch"
	pc_sftp alice -b "$T/batch" >"$T/sftp.out" 2>&1 ||
		pc_fail "sftp with a ~/.ssh/rc: $(cat "$T/sftp.out")"
	cmp -s "$T/home/alice/.ssh/rc" "$T/home/alice/rc.copy" ||
		pc_fail "sftp upload differs"
fi
pc_stop_daemon

pc_config <<'CFG'
PermitUserRC no
CFG
pc_start_daemon
pc_expect_eq cmd "$(pc_ssh alice echo cmd)" "alice with PermitUserRC no: no rc"
pc_stop_daemon
pc_pass

#!/usr/bin/env bash
# Forced commands: ForceCommand and the key option command= replace what
# the client asked for, which the command finds in SSH_ORIGINAL_COMMAND;
# ForceCommand wins over command= (OpenSSH's order).
. "$(dirname "$0")/lib.sh"
pc_init

pc_authorize alice 'command="echo key:$SSH_ORIGINAL_COMMAND"'
pc_authorize bob
pc_authorize carol 'command="echo key"'
pc_config <<'CFG'
Match User bob,carol
	ForceCommand echo "config:${SSH_ORIGINAL_COMMAND-unset}"
CFG
pc_start_daemon

pc_expect_eq "key:uname -a" "$(pc_ssh alice uname -a)" "alice's key command="
pc_expect_eq "config:id -u" "$(pc_ssh bob id -u)" "bob's ForceCommand"
pc_expect_eq "config:exit 3" "$(pc_ssh bob 'exit 3')" "ForceCommand exit status"
pc_expect_eq "config:true" "$(pc_ssh carol true)" \
	"carol: ForceCommand over the key's command="
# A shell request has no original command.
pc_expect_eq "config:unset" "$(pc_ssh bob -T </dev/null)" \
	"ForceCommand for a shell request"
pc_expect_eq "key:" "$(pc_ssh alice -T </dev/null)" \
	"key command= for a shell request"

pc_wait_log -F "Starting session: forced-command (key-option) 'echo key:\$SSH_ORIGINAL_COMMAND' for alice"
pc_wait_log -F "Starting session: forced-command (config)"
pc_stop_daemon
pc_pass

#!/usr/bin/env bash
# Session channels, exec: exit status, exit-signal, stdin EOF, stderr as
# extended data, the child's environment, directory, signals and fds.
. "$(dirname "$0")/lib.sh"
pc_init

pc_authorize alice
pc_config </dev/null
pc_start_daemon

# ---- exit status (RFC 4254 6.10) ----
rc=0
pc_ssh alice 'exit 7' || rc=$?
pc_expect_eq 7 "$rc" "exit status of 'exit 7'"
pc_expect_eq ok "$(pc_ssh alice 'echo ok')" "output of echo"

# Killed by a signal: exit-signal, which OpenSSH's client reports as 255.
rc=0
pc_ssh alice -v 'kill -TERM $$' 2>"$T/sig.err" || rc=$?
pc_expect_eq 255 "$rc" "ssh status after the command was killed by SIGTERM"
grep -q 'rtype exit-signal' "$T/sig.err" ||
	pc_fail "no exit-signal request reached the client: $(cat "$T/sig.err")"

# ---- stdin EOF reaches the command; stdout/stderr stay apart ----
pc_expect_eq hi "$(echo hi | pc_ssh alice cat)" "echo hi | ssh cat"
pc_expect_eq 0 "$(pc_ssh alice 'wc -c' </dev/null | tr -d ' ')" \
	"bytes read by wc from an empty stdin"
pc_expect_eq "" "$(pc_ssh alice 'echo err >&2' 2>/dev/null)" \
	"stdout of 'echo err >&2'"
pc_expect_eq err "$(pc_ssh alice 'echo err >&2' 2>&1 >/dev/null)" \
	"stderr of 'echo err >&2'"
pc_expect_eq "out err" "$(pc_ssh alice 'echo out; echo err >&2' 2>"$T/err" |
	tr -d '\n') $(cat "$T/err")" "both streams"

# ---- environment: clean, OpenSSH's variables ----
pc_ssh alice env >"$T/env" || pc_fail "ssh env failed"
envv() {
	sed -n "s/^$1=//p" "$T/env"
}
pc_expect_eq alice "$(envv USER)" "USER"
pc_expect_eq alice "$(envv LOGNAME)" "LOGNAME"
pc_expect_eq "$T/home/alice" "$(envv HOME)" "HOME"
pc_expect_eq /bin/sh "$(envv SHELL)" "SHELL"
pc_expect_eq /var/mail/alice "$(envv MAIL)" "MAIL"
pc_expect_eq /usr/local/bin:/usr/bin:/bin:/usr/games "$(envv PATH)" "PATH"
read -r caddr cport laddr lport <<<"$(envv SSH_CONNECTION)"
pc_expect_eq "127.0.0.1 127.0.0.1 $PORT" "$caddr $laddr $lport" \
	"SSH_CONNECTION addresses and local port"
[[ "$cport" =~ ^[0-9]+$ ]] || pc_fail "SSH_CONNECTION client port '$cport'"
pc_expect_eq "127.0.0.1 $cport $PORT" "$(envv SSH_CLIENT)" "SSH_CLIENT"
for v in SSH_TTY TERM SSH_ORIGINAL_COMMAND LD_PRELOAD NSS_WRAPPER_PASSWD; do
	if grep -q "^$v=" "$T/env"; then
		pc_fail "$v should not be set: $(grep "^$v=" "$T/env")"
	fi
done

# ---- the process: user, home directory, signals, descriptors ----
pc_expect_eq "20001 20001" "$(pc_ssh alice 'echo $(id -u) $(id -g)')" "uid gid"
pc_expect_eq "$T/home/alice" "$(pc_ssh alice pwd)" "working directory"
pc_expect_eq "SigBlk:0000000000000000 SigIgn:0000000000000000" \
	"$(pc_ssh alice 'grep -E "^Sig(Blk|Ign)" /proc/$$/status' |
		tr -d ' \t' | tr '\n' ' ' | sed 's/ $//')" \
	"blocked and ignored signals of the shell"
pc_expect_eq "0 1 2" "$(pc_ssh alice 'ls /proc/$$/fd' | tr '\n' ' ' |
	sed 's/ $//')" "descriptors open in the shell"
pc_expect_eq 0022 "$(pc_ssh alice umask)" "umask"

# A login shell for a shell request: argv[0] starts with '-'.
pc_expect_eq -sh "$(echo 'echo $0' | pc_ssh alice -T)" "argv[0] of the shell"

pc_wait_log -F "Starting session: command for alice from 127.0.0.1"
pc_wait_log -F "Starting session: shell for alice from 127.0.0.1"
pc_wait_log -F "Close session: user alice from 127.0.0.1"
pc_stop_daemon
pc_pass

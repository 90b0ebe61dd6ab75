#!/usr/bin/env bash
# fail2ban's stock sshd filter (as sshd[_daemon=portcullisd]) must catch
# our authentication failures: the log lines are OpenSSH's.
. "$(dirname "$0")/lib.sh"
pc_init
command -v fail2ban-regex >/dev/null || pc_skip "fail2ban-regex not installed"
[ -f /etc/fail2ban/filter.d/sshd.conf ] || pc_skip "no fail2ban sshd filter"

pc_authorize alice
pc_authorize carol
pc_userkey alice ed25519 wrong
pc_config <<'EOF'
DenyUsers carol
MaxAuthTries 2
EOF
pc_start_daemon

try() { # USER [SSH ARGS]: a login that must fail
	local u=$1
	shift
	if pc_ssh "$u" "$@" true 2>/dev/null; then
		pc_fail "$u got in"
	fi
}
try alice -i "$T/keys/wrong"			# Failed publickey (valid user)
try dave -i "$T/keys/alice"			# Invalid user, Failed ... invalid user
try carol					# not allowed because listed in DenyUsers
pc_userkey alice ed25519 wrong3
try alice -i "$T/keys/wrong" -i "$T/keys/wrong3"	# MaxAuthTries
pc_wait_log "maximum authentication attempts exceeded for alice"
pc_wait_log -F "Invalid user dave from 127.0.0.1"

# The daemon log (-e: bare lines) as syslog would write it.
grep -v '^==' "$PC_LOG" |
	awk '{ print "Jan  1 00:00:00 testhost portcullisd[4242]: " $0 }' \
		>"$T/syslog"
fail2ban-regex --print-all-missed "$T/syslog" \
	'sshd[_daemon=portcullisd]' >"$T/f2b.out" 2>&1 ||
	pc_fail "fail2ban-regex failed: $(tail -5 "$T/f2b.out")"
missed=$(sed -n '/Missed line/,$p' "$T/f2b.out")
for pat in "Failed publickey for alice" "Invalid user dave" \
	"Failed publickey for invalid user dave" \
	"not allowed because listed in DenyUsers" \
	"maximum authentication attempts exceeded"; do
	grep -qF "$pat" "$T/syslog" || pc_fail "no '$pat' line in the log"
	if grep -qF "$pat" <<<"$missed"; then
		pc_fail "fail2ban's sshd filter missed: $(grep -F "$pat" <<<"$missed" | head -1)"
	fi
done
grep -Eq "^Failregex: [1-9][0-9]* total" "$T/f2b.out" ||
	pc_fail "fail2ban matched nothing: $(head -20 "$T/f2b.out")"
pc_pass

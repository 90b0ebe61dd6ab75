#!/usr/bin/env bash
# Who may log in: AllowUsers/DenyUsers, AllowGroups/DenyGroups (through a
# supplementary group), the login shell, PermitRootLogin variants, and
# MaxAuthTries ending the connection, all with OpenSSH's log lines.
. "$(dirname "$0")/lib.sh"
pc_init

mkdir -p "$T/home/root/.ssh"
chmod 700 "$T/home/root/.ssh"
pc_userkey root ed25519
for u in alice bob carol root; do
	pc_authorize "$u"
done
for i in 1 2 3 4; do
	pc_userkey alice ed25519 "wrong$i"
done

restart() { # new config lines on stdin
	pc_stop_daemon
	pc_config
	pc_start_daemon
}

denied() { # USER [SSH ARGS]: the login must fail
	local u=$1
	shift
	if pc_ssh "$u" "$@" true 2>"$T/ssh.err"; then
		pc_fail "$u got in but should not have"
	fi
}

# ---- AllowUsers / DenyUsers, MaxAuthTries -------------------------------
pc_config <<'EOF'
AllowUsers alice carol root
DenyUsers carol
MaxAuthTries 3
EOF
pc_start_daemon
out=$(pc_ssh alice echo in) || pc_fail "AllowUsers alice: alice refused"
pc_expect_eq in "$out"
denied bob
pc_wait_log -F "User bob from 127.0.0.1 not allowed because not listed in AllowUsers"
pc_wait_log -F "Failed publickey for invalid user bob from 127.0.0.1 port"
denied carol
pc_wait_log -F "User carol from 127.0.0.1 not allowed because listed in DenyUsers"

# Four wrong keys with MaxAuthTries 3: the third failure ends it.
denied alice -i "$T/keys/wrong1" -i "$T/keys/wrong2" -i "$T/keys/wrong3" \
	-i "$T/keys/wrong4"
pc_wait_log "maximum authentication attempts exceeded for alice from 127\.0\.0\.1 port [0-9]+ ssh2 \[preauth\]"
pc_wait_log "Disconnecting authenticating user alice 127\.0\.0\.1 port [0-9]+: Too many authentication failures \[preauth\]"
grep -q "Too many authentication failures" "$T/ssh.err" ||
	pc_fail "the client was not told 'Too many authentication failures': $(cat "$T/ssh.err")"
n=$(pc_log_count -F "Failed publickey for alice from")
pc_expect_eq 3 "$n" "failed publickey attempts logged before the disconnect"
# The same for a user who is not allowed: nothing reveals it.
denied bob -i "$T/keys/wrong1" -i "$T/keys/wrong2" -i "$T/keys/wrong3" \
	-i "$T/keys/wrong4"
pc_wait_log "maximum authentication attempts exceeded for invalid user bob from 127\.0\.0\.1 port [0-9]+ ssh2 \[preauth\]"
grep -q "Too many authentication failures" "$T/ssh.err" ||
	pc_fail "invalid user: no 'Too many authentication failures': $(cat "$T/ssh.err")"

# ---- DenyGroups before AllowGroups; supplementary groups count ----------
restart <<'EOF'
AllowGroups fwdusers staff2
DenyGroups staff2
EOF
out=$(pc_ssh alice echo grp) || pc_fail "AllowGroups fwdusers: alice (supplementary member) refused"
pc_expect_eq grp "$out"
denied bob
pc_wait_log -F "User bob from 127.0.0.1 not allowed because a group is listed in DenyGroups"

restart <<'EOF'
AllowGroups fwdusers
EOF
denied bob
pc_wait_log -F "User bob from 127.0.0.1 not allowed because none of user's groups are listed in AllowGroups"
out=$(pc_ssh carol echo carol) || pc_fail "AllowGroups fwdusers: carol refused"
pc_expect_eq carol "$out"

# ---- the login shell must exist and be executable -----------------------
cp "$T/passwd" "$T/passwd.orig"
sed -i "s|^carol:\(.*\):/bin/sh\$|carol:\1:$T/noshell|" "$T/passwd"
denied carol
pc_wait_log -F "User carol not allowed because shell $T/noshell does not exist"
: >"$T/noshell"
chmod 644 "$T/noshell"
denied carol
pc_wait_log -F "User carol not allowed because shell $T/noshell is not executable"
cp "$T/passwd.orig" "$T/passwd"

# ---- PermitRootLogin ------------------------------------------------------
# default prohibit-password: keys are fine for root
restart </dev/null
out=$(pc_ssh root echo root) || pc_fail "PermitRootLogin prohibit-password: root's key refused"
pc_expect_eq root "$out"

restart <<'EOF'
PermitRootLogin no
EOF
denied root
pc_wait_log "ROOT LOGIN REFUSED FROM 127\.0\.0\.1 port [0-9]+"
pc_wait_log -F "Failed publickey for root from 127.0.0.1 port"

restart <<'EOF'
PermitRootLogin forced-commands-only
EOF
denied root
n=$(pc_log_count "ROOT LOGIN REFUSED FROM")
[ "$n" -ge 2 ] || pc_fail "forced-commands-only without command= was not refused with ROOT LOGIN REFUSED"
: >"$T/home/root/.ssh/authorized_keys"
pc_authorize root 'command="echo forced"'
pc_ssh root true >"$T/out" 2>&1 ||
	pc_fail "forced-commands-only with command=: root refused ($(cat "$T/out"))"
pc_wait_log -F "Root login accepted for forced command."
pc_wait_log -F "Accepted publickey for root from 127.0.0.1 port"
pc_pass

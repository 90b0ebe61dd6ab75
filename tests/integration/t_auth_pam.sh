#!/usr/bin/env bash
# PAM through pam_wrapper: passwords (pam_matrix), keyboard-interactive
# with two prompts (our test module, one and two conversation rounds),
# an expired account (refused for passwords and keys alike), and the PAM
# session opened as root and closed by the privileged monitor.
. "$(dirname "$0")/lib.sh"
pc_init

MOD=$PC_BUILDDIR/tests/pam/pam_pc_test.so
[ -f "$MOD" ] || pc_skip "tests/pam/pam_pc_test.so not built (no PAM, or run 'make check')"
pc_use_pam alice:secret bob:bobpw root:rootpw
MATRIX=$(pkg-config --variable=modules pam_wrapper)/pam_matrix.so
pc_authorize bob

# The askpass helper answers each prompt from a file and records it.
cat >"$T/askpass" <<EOF
#!/bin/sh
echo "\$1" >>"$T/prompts"
case "\$1" in
*Name:*) cat "$T/answer_name" ;;
*Code:*) cat "$T/answer_code" ;;
*) cat "$T/answer_pw" ;;
esac
EOF
chmod 755 "$T/askpass"

pam_service() { # auth module line (the rest is fixed)
	cat >"$T/pam.d/portcullis" <<EOF
auth	required	$1
account	required	$MOD expired=bob
session	required	$MOD log=$T/session.log
EOF
}

ask() { # USER METHOD [SSH ARGS...]: log in with answers from the files
	local u=$1 m=$2
	shift 2
	SSH_ASKPASS=$T/askpass SSH_ASKPASS_REQUIRE=force pc_ssh "$u" \
		-o BatchMode=no -o PubkeyAuthentication=no \
		-o PreferredAuthentications="$m" -o NumberOfPasswordPrompts=1 \
		"$@"
}

# ---- passwords (pam_matrix) -------------------------------------------
pam_service "$MATRIX passdb=$T/passdb"
pc_config <<'EOF'
PasswordAuthentication yes
KbdInteractiveAuthentication no
EOF
pc_start_daemon

echo secret >"$T/answer_pw"
out=$(ask alice password echo pw-ok) || pc_fail "alice's right password was refused"
pc_expect_eq pw-ok "$out"
pc_wait_log "Accepted password for alice from 127\.0\.0\.1 port [0-9]+ ssh2$"
# the session was opened as root and is closed by the monitor as root
pc_wait_for grep -qx "close alice uid=0" "$T/session.log" ||
	pc_fail "PAM session not closed as root: $(cat "$T/session.log" 2>/dev/null)"
grep -qx "open alice uid=0" "$T/session.log" ||
	pc_fail "PAM session not opened as root: $(cat "$T/session.log")"
# the session module's pam_putenv reaches the user's environment
out=$(ask alice password 'echo "env=$PC_PAM_TEST"') ||
	pc_fail "second password login failed"
pc_expect_eq env=1 "$out"

echo wrong >"$T/answer_pw"
if ask alice password true 2>/dev/null; then
	pc_fail "a wrong password was accepted"
fi
pc_wait_log "Failed password for alice from 127\.0\.0\.1 port [0-9]+ ssh2$"

: >"$T/answer_pw"
if ask alice password true 2>/dev/null; then
	pc_fail "an empty password was accepted (PermitEmptyPasswords no)"
fi
pc_wait_log -n 2 "Failed password for alice from 127\.0\.0\.1 port [0-9]+ ssh2$"

echo secret >"$T/answer_pw"
if ask zed password true 2>/dev/null; then
	pc_fail "the unknown user zed got in with a password"
fi
pc_wait_log "Failed password for invalid user zed from 127\.0\.0\.1 port [0-9]+ ssh2$"
pc_expect_log -F "Invalid user zed from 127.0.0.1 port"

# root's right password: PermitRootLogin prohibit-password refuses it
echo rootpw >"$T/answer_pw"
if ask root password true 2>/dev/null; then
	pc_fail "root logged in with a password under prohibit-password"
fi
pc_wait_log "Failed password for root from 127\.0\.0\.1 port [0-9]+ ssh2$"

# an expired account: right password, refused by PAM account management
echo bobpw >"$T/answer_pw"
if ask bob password true 2>/dev/null; then
	pc_fail "bob's expired account let him in with a password"
fi
pc_wait_log -F "Access denied for user bob by PAM account configuration"
pc_expect_no_log -F "Accepted password for bob"
# ... and with his key too (PAM account runs for publickey, UsePAM yes)
if pc_ssh bob true 2>/dev/null; then
	pc_fail "bob's expired account let him in with a key"
fi
pc_wait_log -n 2 -F "Access denied for user bob by PAM account configuration"
pc_expect_no_log -F "Accepted publickey for bob"

# ---- PasswordAuthentication no ----------------------------------------------
pc_stop_daemon
pc_config <<'EOF'
PasswordAuthentication no
KbdInteractiveAuthentication no
EOF
pc_start_daemon
echo secret >"$T/answer_pw"
if ask alice password true 2>/dev/null; then
	pc_fail "PasswordAuthentication no: a password login worked"
fi
n=$(pc_log_count -F "Accepted password for alice")
pc_expect_eq 2 "$n" "password logins accepted in total"

# ---- keyboard-interactive, two prompts ---------------------------------------
for rounds in 1 2; do
	pc_stop_daemon
	pam_service "$MOD name=blue code=42 rounds=$rounds"
	pc_config <<'EOF'
PasswordAuthentication no
KbdInteractiveAuthentication yes
EOF
	pc_start_daemon
	: >"$T/prompts"
	echo blue >"$T/answer_name"
	echo 42 >"$T/answer_code"
	out=$(ask alice keyboard-interactive echo kbd-ok) ||
		pc_fail "rounds=$rounds: keyboard-interactive with the right answers failed"
	pc_expect_eq kbd-ok "$out"
	pc_wait_log -n "$rounds" "Accepted keyboard-interactive/pam for alice from 127\.0\.0\.1 port [0-9]+ ssh2$"
	grep -q "Name:" "$T/prompts" && grep -q "Code:" "$T/prompts" ||
		pc_fail "rounds=$rounds: the client did not see both prompts: $(cat "$T/prompts")"

	echo 41 >"$T/answer_code"
	if ask alice keyboard-interactive true 2>/dev/null; then
		pc_fail "rounds=$rounds: a wrong code was accepted"
	fi
	pc_wait_log -n "$rounds" "Failed keyboard-interactive/pam for alice from 127\.0\.0\.1 port [0-9]+ ssh2$"
done

# ---- libssh as the client (through ctypes) --------------------------------
# pam_matrix asks its own "Password: " over keyboard-interactive; and a
# client that leaves a conversation half-way for a password login gets
# a clean answer (the PAM helper thread is stopped first).
pc_stop_daemon
pam_service "$MATRIX passdb=$T/passdb"
pc_config <<'EOF'
PasswordAuthentication yes
KbdInteractiveAuthentication yes
EOF
pc_start_daemon
cat >"$T/libssh_client.py" <<'PY'
import ctypes, sys
port, mode = int(sys.argv[1]), sys.argv[2]
L = ctypes.CDLL("libssh.so.4")
L.ssh_new.restype = ctypes.c_void_p
for f in ("ssh_options_set", "ssh_connect", "ssh_userauth_none",
          "ssh_userauth_kbdint", "ssh_userauth_kbdint_getnprompts",
          "ssh_userauth_kbdint_setanswer", "ssh_userauth_password"):
    getattr(L, f).argtypes = None
s = ctypes.c_void_p(L.ssh_new())
no = ctypes.c_int(0)
p = ctypes.c_uint(port)
t = ctypes.c_long(20)
L.ssh_options_set(s, 38, ctypes.byref(no))      # PROCESS_CONFIG off
L.ssh_options_set(s, 0, b"127.0.0.1")
L.ssh_options_set(s, 1, ctypes.byref(p))
L.ssh_options_set(s, 4, b"alice")
L.ssh_options_set(s, 9, ctypes.byref(t))
if L.ssh_connect(s) != 0:
    sys.exit("connect failed")
L.ssh_userauth_none(s, None)
rc = L.ssh_userauth_kbdint(s, None, None)
n = L.ssh_userauth_kbdint_getnprompts(s)
if rc != 3 or n != 1:
    sys.exit("expected one prompt (SSH_AUTH_INFO), got rc=%d n=%d" % (rc, n))
if mode == "kbdint":
    L.ssh_userauth_kbdint_setanswer(s, 0, b"secret")
    rc = L.ssh_userauth_kbdint(s, None, None)
else:   # abandon the conversation, use a password instead
    rc = L.ssh_userauth_password(s, None, b"secret")
print("rc=%d" % rc)
PY
out=$("$PC_PYTHON" "$T/libssh_client.py" "$PORT" kbdint 2>&1) ||
	pc_fail "libssh kbd-int client: $out"
pc_expect_eq rc=0 "$out"
pc_wait_log -n 3 "Accepted keyboard-interactive/pam for alice from 127\.0\.0\.1"
out=$("$PC_PYTHON" "$T/libssh_client.py" "$PORT" abandon 2>&1) ||
	pc_fail "libssh abandon client: $out"
pc_expect_eq rc=0 "$out"
pc_wait_log -n 3 "Accepted password for alice from 127\.0\.0\.1"
pc_pass

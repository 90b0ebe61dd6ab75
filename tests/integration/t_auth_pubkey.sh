#!/usr/bin/env bash
# Public-key authentication: right and wrong keys, from= and expiry-time
# refusals with OpenSSH's log lines, invalid users, AuthorizedKeysFile
# tokens and lists, StrictModes.
. "$(dirname "$0")/lib.sh"
pc_init

fp() { # "ED25519 SHA256:..." of a public key file, as the log writes it
	ssh-keygen -lf "$1" | awk '{ t = $NF; gsub(/[()]/, "", t); print t, $2 }'
}

pc_authorize alice
pc_authorize bob 'from="10.0.0.0/8"'
pc_authorize carol 'expiry-time="20200101"'
pc_userkey alice ed25519 wrong
# dave does not exist: he uses alice's key
# a second file per user, root-owned, inside the home directory
# (StrictModes checks every directory up to the home; /tmp itself would
# fail it, as with OpenSSH)
mkdir -p "$T/home/carol/extra"
chmod 755 "$T/home/carol/extra"
pc_userkey carol ecdsa carol2
cp "$T/keys/carol2.pub" "$T/home/carol/extra/carol"
chmod 644 "$T/home/carol/extra/carol"
pc_config <<'EOF'
AuthorizedKeysFile .ssh/authorized_keys %h/extra/%u
EOF
pc_start_daemon

# 1. The right key.
out=$(pc_ssh alice echo ok) || pc_fail "alice's key was refused"
pc_expect_eq ok "$out"
pc_wait_log -F "Accepted publickey for alice from 127.0.0.1 port"
pc_expect_log -F "ssh2: $(fp "$T/keys/alice.pub")"

# 2. A key that is not in the file.
if pc_ssh alice -i "$T/keys/wrong" true 2>/dev/null; then
	pc_fail "a key not in authorized_keys was accepted"
fi
pc_wait_log -F "Failed publickey for alice from 127.0.0.1 port"
pc_expect_log -F "ssh2: $(fp "$T/keys/wrong.pub")"

# 3. from="10.0.0.0/8" does not admit 127.0.0.1 (OpenSSH's line).
if pc_ssh bob true 2>/dev/null; then
	pc_fail "from=\"10.0.0.0/8\" admitted 127.0.0.1"
fi
pc_wait_log -F "$T/home/bob/.ssh/authorized_keys:1: Authentication tried for bob with correct key but not from a permitted host (host=127.0.0.1, ip=127.0.0.1, required=10.0.0.0/8)."
pc_expect_no_log -F "Accepted publickey for bob"

# 4. An expired key; the second AuthorizedKeysFile (%u) still works.
if pc_ssh carol true 2>/dev/null; then
	pc_fail "a key past its expiry-time was accepted"
fi
pc_wait_log "authorized_keys:1: Authentication tried for carol with correct key but the key has expired"
out=$(pc_ssh carol -i "$T/keys/carol2" echo second) ||
	pc_fail "the key in the second AuthorizedKeysFile (%h/extra/%u) was refused"
pc_expect_eq second "$out"
pc_wait_log -F "Accepted key $(fp "$T/keys/carol2.pub") found at $T/home/carol/extra/carol:1"

# 5. Invalid users: logged as OpenSSH does, same answers.
if pc_ssh dave -i "$T/keys/alice" true 2>/dev/null; then
	pc_fail "the unknown user dave got in"
fi
pc_wait_log -F "Invalid user dave from 127.0.0.1 port"
pc_wait_log -F "Failed publickey for invalid user dave from 127.0.0.1 port"
pc_expect_log -F "Failed none for invalid user dave from 127.0.0.1 port"
# A name with a glob character never reaches NSS; logged as invalid.
if pc_ssh 'x*y' -i "$T/keys/alice" true 2>/dev/null; then
	pc_fail "the user name 'x*y' got in"
fi
pc_wait_log -F "Invalid user x*y from 127.0.0.1 port"

# With paramiko: a control character in the name is logged escaped, and
# changing the user name in the middle of authentication disconnects.
if "$PC_PYTHON" -c 'import paramiko' 2>/dev/null; then
	"$PC_PYTHON" - "$PORT" <<'PY' || pc_fail "paramiko client script failed"
import socket, sys, paramiko
def transport():
    t = paramiko.Transport(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20))
    t.start_client(timeout=20)
    return t
t = transport()
try:
    t.auth_none("evil\nname")
except paramiko.SSHException:
    pass
t.close()
t = transport()
try:
    t.auth_none("alice")
except paramiko.SSHException:
    pass
try:
    t.auth_none("bob")
except (paramiko.SSHException, EOFError, OSError):
    pass
t.close()
PY
	pc_wait_log -F 'Invalid user evil\012name from 127.0.0.1 port'
	pc_wait_log -F "Change of username or service not allowed: (alice,ssh-connection) -> (bob,ssh-connection) [preauth]"
fi

# 6. StrictModes: a group-writable authorized_keys is not used.
chmod 664 "$T/home/alice/.ssh/authorized_keys"
if pc_ssh alice true 2>/dev/null; then
	pc_fail "StrictModes: a group-writable authorized_keys was used"
fi
pc_wait_log -F "Authentication refused: bad ownership or modes for file $T/home/alice/.ssh/authorized_keys"
chmod 600 "$T/home/alice/.ssh/authorized_keys"
chmod 775 "$T/home/alice/.ssh"
if pc_ssh alice true 2>/dev/null; then
	pc_fail "StrictModes: a group-writable ~/.ssh was accepted"
fi
pc_wait_log -F "Authentication refused: bad ownership or modes for directory $T/home/alice/.ssh"
chmod 700 "$T/home/alice/.ssh"

# ... and with StrictModes no the same files are fine, and so is a file
# outside the home directory (under /tmp, which StrictModes refuses).
mkdir -p "$T/keys.d"
cp "$T/keys/bob.pub" "$T/keys.d/bob"
pc_stop_daemon
pc_config <<EOF
StrictModes no
AuthorizedKeysFile .ssh/authorized_keys $T/keys.d/%u
EOF
pc_start_daemon
out=$(pc_ssh alice echo lax) || pc_fail "StrictModes no: alice was refused"
pc_expect_eq lax "$out"
out=$(pc_ssh bob echo outside) || pc_fail "StrictModes no: bob's key in $T/keys.d/bob was refused"
pc_expect_eq outside "$out"

# 7. PubkeyAcceptedAlgorithms and PubkeyAuthentication, also per Match.
pc_stop_daemon
: >"$T/home/bob/.ssh/authorized_keys"
pc_authorize bob
pc_userkey alice ecdsa alice_ecdsa
pc_authorize -k alice_ecdsa alice
pc_config <<'EOF'
PubkeyAcceptedAlgorithms ecdsa-sha2-nistp256
Match User bob
	PubkeyAcceptedAlgorithms ssh-ed25519
Match User carol
	PubkeyAuthentication no
EOF
pc_start_daemon
if pc_ssh alice true 2>/dev/null; then
	pc_fail "PubkeyAcceptedAlgorithms ecdsa-sha2-nistp256: an ed25519 key was accepted"
fi
pc_wait_log -F "userauth_pubkey: key type ssh-ed25519 not in PubkeyAcceptedAlgorithms"
out=$(pc_ssh alice -i "$T/keys/alice_ecdsa" echo ecdsa) ||
	pc_fail "PubkeyAcceptedAlgorithms ecdsa-sha2-nistp256: the ECDSA key was refused"
pc_expect_eq ecdsa "$out"
out=$(pc_ssh bob echo match) || pc_fail "Match User bob: PubkeyAcceptedAlgorithms ssh-ed25519 not applied"
pc_expect_eq match "$out"
if pc_ssh carol -i "$T/keys/carol2" true 2>/dev/null; then
	pc_fail "Match User carol: PubkeyAuthentication no did not apply"
fi
pc_wait_log -F "Failed publickey for carol from 127.0.0.1 port"
pc_pass

#!/usr/bin/env bash
# The harness itself, without the daemon: nss_wrapper users and groups,
# homes and keys, the config writer, free ports and the TCP helpers.
. "$(dirname "$0")/lib.sh"
pc_init

# ---- users and groups through nss_wrapper ----
pc_expect_eq "alice:x:20001:20001:alice:$T/home/alice:/bin/sh" \
	"$(pc_nss getent passwd alice)" "getent passwd alice"
pc_expect_eq "20002" "$(pc_nss getent passwd bob | cut -d: -f3)" "bob's uid"
pc_expect_eq "20003" "$(pc_nss id -u carol)" "id -u carol"
pc_expect_eq "fwdusers:x:20010:alice,carol" "$(pc_nss getent group fwdusers)" \
	"getent group fwdusers"
pc_expect_eq "staff2:x:20011:bob" "$(pc_nss getent group staff2)" \
	"getent group staff2"
pc_expect_eq "alice fwdusers" "$(pc_nss id -Gn alice)" "alice's groups"
pc_expect_eq "bob staff2" "$(pc_nss id -Gn bob)" "bob's groups"
pc_expect_eq "carol fwdusers" "$(pc_nss id -Gn carol)" "carol's groups"
pc_expect_eq "0" "$(pc_nss id -u root)" "root's uid"
# Without the preload the fake users do not exist (clients never see them).
if getent passwd alice >/dev/null 2>&1 &&
	[ "$(getent passwd alice | cut -d: -f3)" = 20001 ]; then
	pc_fail "alice resolves without nss_wrapper: the preload leaks"
fi

# ---- homes and keys ----
for u in alice bob carol; do
	pc_expect_eq "${PC_UID[$u]} 755" "$(stat -c '%u %a' "$T/home/$u")" "$u's home"
	pc_expect_eq "${PC_UID[$u]} 700" "$(stat -c '%u %a' "$T/home/$u/.ssh")" "$u's .ssh"
	[ -s "$T/keys/$u" ] && [ -s "$T/keys/$u.pub" ] || pc_fail "no key for $u"
done
pc_authorize alice
pc_authorize alice 'permitopen="127.0.0.1:9",no-pty'
pc_userkey bob ecdsa bob2
pc_authorize -k bob2 bob
ak=$T/home/alice/.ssh/authorized_keys
pc_expect_eq "20001 600" "$(stat -c '%u %a' "$ak")" "alice's authorized_keys"
pc_expect_eq 2 "$(wc -l <"$ak")" "lines in alice's authorized_keys"
pc_expect_eq "permitopen=\"127.0.0.1:9\",no-pty ssh-ed25519" \
	"$(sed -n 2p "$ak" | cut -d' ' -f1,2)" "options prefix"
pc_expect_eq "ecdsa-sha2-nistp256" \
	"$(cut -d' ' -f1 "$T/home/bob/.ssh/authorized_keys")" "bob's key type"
# A user can read their own file through the permissions as set.
setpriv --reuid=20001 --regid=20001 --clear-groups cat "$ak" >/dev/null ||
	pc_fail "alice cannot read her authorized_keys"

# ---- ports and config ----
p1=$(pc_free_port)
p2=$(pc_free_port)
[ "$p1" != "$p2" ] || pc_fail "pc_free_port returned $p1 twice"
[ "$p1" != 2222 ] && [ "$p2" != 2222 ] || pc_fail "pc_free_port returned 2222"
pc_hostkey ecdsa
pc_config <<'CFG'
LogLevel DEBUG1
AllowTcpForwarding no
Match User alice
	AllowTcpForwarding yes
	LogLevel INFO
CFG
grep -qx "Port $PORT" "$T/sshd_config" || pc_fail "no Port line"
grep -qx "HostKey $T/hostkey_ecdsa" "$T/sshd_config" || pc_fail "no ecdsa HostKey"
pc_expect_eq 1 "$(grep -c '^LogLevel' "$T/sshd_config")" "global LogLevel lines (overridden)"
grep -qx 'LogLevel DEBUG1' "$T/sshd_config" || pc_fail "LogLevel override lost"
grep -qx 'UsePAM no' "$T/sshd_config" || pc_fail "UsePAM no missing"
pc_expect_eq 2 "$(grep -c "^\[127.0.0.1\]:$PORT " "$T/known_hosts")" "known_hosts lines"

pc_use_pam alice:secret
pc_config </dev/null
grep -qx 'UsePAM yes' "$T/sshd_config" || pc_fail "UsePAM yes missing after pc_use_pam"
pc_expect_eq "alice:secret:portcullis" "$(cat "$T/passdb")" "passdb"
[[ "$PC_PRELOAD" == *libpam_wrapper.so* ]] || pc_fail "PC_PRELOAD lacks pam_wrapper"

# ---- TCP helpers ----
pc_tcp_echo
pc_tcp_echo_check 127.0.0.1 "$PC_TCP_PORT" 300000 || pc_fail "echo round trip"
pc_tcp_probe 127.0.0.1 "$PC_TCP_PORT" || pc_fail "probe of the echo server"

pc_tcp_sink "$T/sink.out"
sent=$(pc_tcp_source 127.0.0.1 "$PC_TCP_PORT" 1000000)
pc_wait_for test -s "$T/sink.out" || pc_fail "the sink wrote no result"
pc_expect_eq "$sent" "$(cat "$T/sink.out")" "sink hash and count"

pc_tcp_blackhole
bh=$PC_TCP_PORT
# The blackhole never reads: a large send must not complete.
if pc_tcp source --host 127.0.0.1 --port "$bh" --bytes 50000000 --timeout 2 \
	>/dev/null 2>&1; then
	pc_fail "50 MB went into a server that never reads"
fi
closed=$(pc_free_port)
if pc_tcp_probe 127.0.0.1 "$closed" 2>/dev/null; then
	pc_fail "probe of closed port $closed succeeded"
fi

# ---- waiting ----
( echo "hello from the log" >>"$PC_LOG" ) &
pc_wait_log -F 'hello from the log'
pc_expect_log 'hel+o from'
pc_expect_no_log 'goodbye'
pc_expect_eq 1 "$(pc_log_count -F hello)" "log count"
if PC_TIMEOUT=0.2 pc_wait_for false; then
	pc_fail "pc_wait_for false succeeded"
fi

# ---- background processes are cleaned up by PID ----
pc_bg sleep 300
pc_kill "$PC_BG_PID"
! pc__alive "$PC_BG_PID" || pc_fail "pc_kill left $PC_BG_PID running"

pc_pass

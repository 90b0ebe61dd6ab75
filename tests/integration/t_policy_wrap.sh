#!/usr/bin/env bash
# shellcheck disable=SC2154 # pol_take/pol_echo assign by name
# TCP wrappers (POLICY.md B.3, Decision 8) with HostsAllowFile and
# HostsDenyFile in $T: an incoming connection denied for "portcullisd" is
# closed before the SSH banner (log "refused connect from"); hosts.allow
# wins over hosts.deny; an unreadable hosts file denies; on forwarded
# listeners each accepted connection is checked as "sshdfwd-PORT" (the
# decimal port, the allocated one for -R 0, never an /etc/services name):
# denied → that connection is closed, the listener stays, the log says so.
# Runs in a private network namespace when it can (for port 8080).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"
pol_netns "$0" "$@"
pc_init
pol_init

# (grep reads everything: with pipefail, grep -q could SIGPIPE ldd)
ldd "$PORTCULLISD" 2>/dev/null | grep libwrap >/dev/null ||
	pc_skip "portcullisd is built without libwrap"
allow=$T/hosts.allow
deny=$T/hosts.deny
: >"$allow"
: >"$deny"
pol_key alice alice
pc_config <<CFG
HostsAllowFile $allow
HostsDenyFile $deny
CFG
pc_start_daemon
e=$POL_ECHO

prun() {
	"$PC_PYTHON" "$POL_RUN_PY" "$@" --timeout "$PC_TIMEOUT"
}
# expect_banner FROM YES|NO: does a connection from FROM get the banner?
expect_banner() {
	local got
	got=$(prun banner 127.0.0.1 "$PORT" --source "$1")
	case "$2:$got" in
	YES:SSH-2.0-* | NO:EOF) ;;
	*) pc_fail "connection from $1 (banner expected: $2) got '$got'; allow: $(cat "$allow"); deny: $(cat "$deny")" ;;
	esac
}

# ---- incoming connections ----
expect_banner 127.0.0.1 YES
pc_ssh alice true || pc_fail "login with empty hosts files failed"
echo "portcullisd: 127.0.0.1" >"$deny"
expect_banner 127.0.0.1 NO
expect_banner 127.0.0.2 YES
rc=0
pc_ssh alice true 2>"$T/ssh.err" || rc=$?
pc_expect_eq 255 "$rc" "ssh exit status when tcp wrappers refuse"
grep -q 'kex_exchange_identification' "$T/ssh.err" ||
	pc_fail "ssh should have seen no banner: $(cat "$T/ssh.err")"
pc_wait_log -F "refused connect from 127.0.0.1"
# another daemon name does not apply
echo "sshd: ALL" >"$deny"
expect_banner 127.0.0.1 YES
# hosts.allow wins over hosts.deny
echo "ALL: ALL" >"$deny"
echo "portcullisd: 127.0.0.2" >"$allow"
expect_banner 127.0.0.1 NO
expect_banner 127.0.0.2 YES
pc_wait_log -n 2 -F "refused connect from 127.0.0.1"
# an unreadable hosts file denies (a missing one is empty, as in libwrap)
: >"$allow"
rm -f "$deny"
expect_banner 127.0.0.1 YES
mkdir "$deny"
expect_banner 127.0.0.1 NO
pc_wait_log -F "hosts file $deny is not a regular file: denying"
rmdir "$deny"
mkdir "$allow.d"
pc_config <<CFG
HostsAllowFile $allow.d
HostsDenyFile $deny
CFG
pol_hup() {
	local n
	n=$(pc_log_count -F 'Configuration reloaded.')
	kill -HUP "$PC_DAEMON_PID"
	pc_wait_log -n "$((n + 1))" -F 'Configuration reloaded.'
}
pol_hup
expect_banner 127.0.0.1 NO
pc_wait_log -F "hosts file $allow.d is not a regular file: denying"
pc_config <<CFG
HostsAllowFile $allow
HostsDenyFile $deny
CFG
pol_hup
: >"$deny"
expect_banner 127.0.0.1 YES

# ---- forwarded listeners: sshdfwd-PORT ----
pol_take r1 r2
ports=("$r1" "$r2")
svc=
if [ "$POL_NETNS" = 1 ] && getent services http-alt >/dev/null; then
	svc=8080	# /etc/services: http-alt
	ports+=(8080)
fi
fwd=()
for p in "${ports[@]}"; do
	fwd+=(-R "$p:127.0.0.1:$e")
done
pc_bg pc_ssh alice -N -o ExitOnForwardFailure=yes -o LogLevel=INFO \
	"${fwd[@]}" -R "0:127.0.0.1:$e" 2>"$T/fwd.err"
fwdpid=$PC_BG_PID
for p in "${ports[@]}"; do
	pc_wait_for pc_listening "$p" || pc_fail "-R $p does not listen: $(cat "$T/fwd.err")"
done
pc_wait_for grep -q "Allocated port" "$T/fwd.err" ||
	pc_fail "no allocated port: $(cat "$T/fwd.err")"
r0=$(sed -n 's/.*Allocated port \([0-9]*\) for remote forward.*/\1/p' "$T/fwd.err")

# expect_fwd PORT FROM Y|N
expect_fwd() {
	local got
	got=$(prun echo 127.0.0.1 "$1" --source "$2")
	[ "$got" = "$3" ] || pc_fail "connection from $2 to -R port $1: expected $3, got $got; allow: $(cat "$allow"); deny: $(cat "$deny")"
}
for p in "${ports[@]}" "$r0"; do
	expect_fwd "$p" 127.0.0.1 Y
done
echo "sshdfwd-$r1: ALL" >"$deny"
expect_fwd "$r1" 127.0.0.1 N
expect_fwd "$r2" 127.0.0.1 Y
pc_listening "$r1" || pc_fail "the -R $r1 listener closed after a tcp-wrappers refusal"
pc_wait_log -F "Fwd connection from 127.0.0.1 to local port $r1 refused by tcp_wrappers."
# the allow file wins; the client address is the peer of the accepted socket
echo "sshdfwd-$r1: 127.0.0.2" >"$allow"
expect_fwd "$r1" 127.0.0.2 Y
expect_fwd "$r1" 127.0.0.1 N
: >"$allow"
# the same listener works again once the rule is gone
: >"$deny"
expect_fwd "$r1" 127.0.0.1 Y
# -R 0: the daemon name carries the allocated port
echo "sshdfwd-$r0: ALL" >"$deny"
expect_fwd "$r0" 127.0.0.1 N
expect_fwd "$r1" 127.0.0.1 Y
pc_wait_log -F "Fwd connection from 127.0.0.1 to local port $r0 refused by tcp_wrappers."
# numbers, not /etc/services names (Decision 8)
if [ -n "$svc" ]; then
	echo "sshdfwd-http-alt: ALL" >"$deny"
	expect_fwd 8080 127.0.0.1 Y
	echo "sshdfwd-8080: ALL" >"$deny"
	expect_fwd 8080 127.0.0.1 N
fi
# an unreadable hosts file denies forwarded connections too
: >"$deny"
rm -f "$deny"
mkdir "$deny"
expect_fwd "$r2" 127.0.0.1 N
pc__alive "$fwdpid" || pc_fail "ssh -R exited: $(cat "$T/fwd.err")"
# (OpenSSH 9.2's client can miss a SIGTERM that lands just before poll())
kill -KILL "$fwdpid" 2>/dev/null || true
pc_kill "$fwdpid"
pc_stop_daemon
pc_pass

#!/usr/bin/env bash
# Privilege separation (DESIGN.md 'Process model'): the process serving
# alice runs as alice with her groups and no capabilities, is not
# dumpable, its privileged parent (the monitor) stays root, and a
# forwarded connection's socket belongs to alice.  Root without PAM has no
# privilege to drop and gets no monitor (OpenSSH skips its post-auth split
# for root too): the connection process serves the session itself.
. "$(dirname "$0")/lib.sh"
pc_init
pc_authorize alice
pc_config </dev/null
pc_start_daemon

# The shell's parent is the session process.
st=$(pc_ssh alice 'cat /proc/$PPID/status; echo PPID=$PPID') ||
	pc_fail "ssh alice failed"
field() { printf '%s\n' "$st" | awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }'; }
uids=$(field Uid)
gids=$(field Gid)
[ "$(echo $uids)" = "20001 20001 20001 20001" ] ||
	pc_fail "session process uids: expected 20001 x4, got '$uids'"
[ "$(echo $gids)" = "20001 20001 20001 20001" ] ||
	pc_fail "session process gids: expected 20001 x4, got '$gids'"
case " $(field Groups) " in
*" 20010 "*) ;;
*) pc_fail "supplementary group fwdusers (20010) missing: '$(field Groups)'" ;;
esac
[ "$(field CapEff)" = 0000000000000000 ] ||
	pc_fail "session process has capabilities: CapEff=$(field CapEff)"
[ "$(field CapPrm)" = 0000000000000000 ] ||
	pc_fail "session process can regain capabilities: CapPrm=$(field CapPrm)"
spid=${st##*PPID=}

# Not dumpable: /proc/PID/environ of a non-dumpable process is owned by
# root even though the process runs as alice.  Checked from outside while
# a session is open.
pc_bg pc_ssh alice 'sleep 30' </dev/null >/dev/null
pc_wait_log "Starting session: command for alice"
sess=
find_session() {
	local p
	for p in $(pgrep -f -- "-f $T/sshd_config" || true); do
		[ "$p" = "$PC_DAEMON_PID" ] && continue
		if awk '/^Uid:/ { exit !($2 == 20001) }' "/proc/$p/status" 2>/dev/null &&
		    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$PORTCULLISD")" ]; then
			sess=$p
			return 0
		fi
	done
	return 1
}
pc_wait_for find_session || pc_fail "no portcullisd process runs as alice"
owner=$(stat -c %u "/proc/$sess/environ")
[ "$owner" = 0 ] ||
	pc_fail "session process $sess is dumpable (/proc/$sess/environ owned by $owner)"
mon=$(awk '/^PPid:/ {print $2}' "/proc/$sess/status")
muid=$(awk '/^Uid:/ {print $2}' "/proc/$mon/status")
[ "$muid" = 0 ] || pc_fail "the monitor ($mon) runs as uid $muid, expected root"
[ "$(readlink "/proc/$mon/exe")" = "$(readlink -f "$PORTCULLISD")" ] ||
	pc_fail "the session process's parent $mon is not portcullisd"

# A forwarded connection's socket belongs to alice.
pc_tcp_echo
echo_port=$PC_TCP_PORT
lport=$(pc_free_port)
pc_bg pc_ssh alice -N -o ExitOnForwardFailure=yes -L "$lport:127.0.0.1:$echo_port"
pc_wait_for pc_tcp_probe 127.0.0.1 "$lport" || pc_fail "-L port never opened"
exec 7<>"/dev/tcp/127.0.0.1/$lport"
owned_by_alice() {
	ss -tneH state established "( dport = :$echo_port )" 2>/dev/null |
		grep -q "uid:20001"
}
pc_wait_for owned_by_alice ||
	pc_fail "the forwarded socket to :$echo_port is not owned by uid 20001: $(ss -tneH "( dport = :$echo_port )")"
exec 7>&-

# root, UsePAM no: the session's process is the listener's child (no
# monitor in between), still root, and ends with the connection.
mkdir -p "$T/home/root/.ssh"
chmod 700 "$T/home/root/.ssh"
pc_userkey root ed25519
pc_authorize root
out=$(pc_ssh root 'echo hello from $(id -u)') || pc_fail "ssh root failed"
pc_expect_eq "hello from 0" "$out" "root's command output"
pc_bg pc_ssh root 'sleep 30' </dev/null >/dev/null
pc_wait_log "Starting session: command for root"
rsess=
find_root_session() {
	local p k
	for p in $(pgrep -f -- "-f $T/sshd_config" || true); do
		[ "$p" = "$PC_DAEMON_PID" ] && continue
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$PORTCULLISD")" ] ||
			continue
		# alice's session (still open above) runs as 20001
		awk '/^Uid:/ { exit !($2 == 0) }' "/proc/$p/status" 2>/dev/null ||
			continue
		# the user's command (sh -c 'sleep 30') is its child; a monitor's
		# child would be portcullisd itself
		for k in $(pgrep -P "$p" || true); do
			[ "$(readlink "/proc/$k/exe" 2>/dev/null)" = "$(readlink -f "$PORTCULLISD")" ] &&
				continue
			rsess=$p
			return 0
		done
	done
	return 1
}
pc_wait_for find_root_session || pc_fail "no portcullisd process serves root's session"
rparent=$(awk '/^PPid:/ {print $2}' "/proc/$rsess/status")
[ "$rparent" = "$PC_DAEMON_PID" ] ||
	pc_fail "root's session process $rsess has parent $rparent, not the listener $PC_DAEMON_PID (a monitor left in between?)"
ruid=$(awk '/^Uid:/ {print $2}' "/proc/$rsess/status")
[ "$ruid" = 0 ] || pc_fail "root's session process runs as uid $ruid"
kill $(pc__descendants "$rsess") 2>/dev/null || true
root_gone() { ! pc__alive "$rsess"; }
pc_wait_for root_gone || pc_fail "root's session process $rsess outlived its command"
pc_wait_log -F "Disconnected from user root"
pc_pass

#!/usr/bin/env bash
# shellcheck disable=SC2154 # pol_take/pol_echo assign by name
# OpenSSH's regress/forward-control.sh matrix (POLICY.md Part C): for each
# AllowTcpForwarding yes/local/remote/no, -L and -R 127.0.0.1:PORT with no
# PermitOpen, PermitOpen not matching / matching, key permitopen= not
# matching / matching, key no-port-forwarding, restrict and
# restrict,port-forwarding; then PermitListen not matching / matching.
# Every verdict is judged by data through the forward, checked against
# `portcullisd -X`, and the same matrix is run against Debian's OpenSSH
# sshd, whose verdicts must be identical (differential test).
# (In a private network namespace when it can: no port collisions.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"
pol_netns "$0" "$@"
pc_init
pol_init

e=$POL_ECHO
pol_key alice alice
pol_key alice k_po_bad 'permitopen="127.0.0.1:22",permitopen="127.0.0.2:22"'
pol_key alice k_po_good "permitopen=\"127.0.0.1:22\",permitopen=\"127.0.0.1:$e\""
pol_key alice k_nopf no-port-forwarding
pol_key alice k_restrict restrict
pol_key alice k_restrict_pf restrict,port-forwarding

# the expected tables, copied from forward-control.sh
#          permit-open      none          mismatch         match
#   AllowTcpForwarding  local remote    local remote    local remote
declare -A LPERM=([yes]="Y Y N Y Y Y" [local]="Y N N N Y N"
	[remote]="N Y N Y N Y" [no]="N N N N N N")
#   permit-remote-open      none          mismatch         match
#   AllowTcpForwarding  local remote    local remote    local remote
declare -A RPERM=([yes]="Y Y Y N Y Y" [local]="Y N Y N Y N"
	[remote]="N Y N N N Y" [no]="N N N N N N")

# 1 -L and 1 -R case in a group of their own, with fresh ports.
fc_pair() {
	local id=$1 key=$2 el=$3 er=$4 rport=${5:-} lp rp
	pol_take lp rp
	pol_group "$id" alice "$key"
	pol_L "$id/L" "$lp" 127.0.0.1 "$e" "$el"
	pol_R "$id/R" "127.0.0.1:${rport:-$rp}" 127.0.0.1 "$e" "$er"
}

pol_phase default </dev/null
fc_pair default alice Y Y
for atf in yes local remote no; do
	read -r pl pr nl nr ml mr <<<"${LPERM[$atf]}"
	pol_phase "ATF=$atf" <<<"AllowTcpForwarding $atf"
	fc_pair "$atf/plain" alice "$pl" "$pr"
	fc_pair "$atf/!permitopen-key" k_po_bad "$nl" "$nr"
	fc_pair "$atf/permitopen-key" k_po_good "$ml" "$mr"
	fc_pair "$atf/no-port-forwarding" k_nopf N N
	fc_pair "$atf/restrict" k_restrict N N
	fc_pair "$atf/restrict,port-forwarding" k_restrict_pf "$pl" "$pr"

	pol_phase "ATF=$atf,!PermitOpen" <<-CFG
	AllowTcpForwarding $atf
	PermitOpen 127.0.0.1:22 127.0.0.2:22
	CFG
	fc_pair "$atf/!PermitOpen" alice "$nl" "$nr"
	pol_phase "ATF=$atf,PermitOpen" <<-CFG
	AllowTcpForwarding $atf
	PermitOpen 127.0.0.1:22 127.0.0.1:$e 127.0.0.2:22
	CFG
	fc_pair "$atf/PermitOpen" alice "$pl" "$pr"

	read -r pl pr nl nr ml mr <<<"${RPERM[$atf]}"
	pol_take rp
	pol_phase "ATF=$atf,!PermitListen" <<-CFG
	AllowTcpForwarding $atf
	PermitListen 127.0.0.1:22 127.0.0.2:$rp
	CFG
	fc_pair "$atf/!PermitListen" alice "$nl" "$nr" "$rp"
	pol_take rp
	pol_phase "ATF=$atf,PermitListen" <<-CFG
	AllowTcpForwarding $atf
	PermitListen 127.0.0.1:22 127.0.0.1:$rp 127.0.0.2:$rp
	CFG
	fc_pair "$atf/PermitListen" alice "$ml" "$mr" "$rp"
done
# ExitOnForwardFailure=yes: the refused -R ends the client with 255
pol_phase eof-check <<<"AllowTcpForwarding local"

eof_check() {
	local rc=0 rp
	pol_take rp
	pc_ssh alice -N -o ExitOnForwardFailure=yes \
		-R "127.0.0.1:$rp:127.0.0.1:$e" 2>"$POL/eoff.err" || rc=$?
	pc_expect_eq 255 "$rc" "$POL_BACKEND: ssh -R exit status with AllowTcpForwarding local"
	grep -q "remote port forwarding failed for listen port $rp" "$POL/eoff.err" ||
		pc_fail "$POL_BACKEND: ssh did not report the refused -R: $(cat "$POL/eoff.err")"
}

pol_run_both forward-control
# the daemon is stopped when the OpenSSH run had to come after it
[ -n "${PC_DAEMON_PID:-}" ] || pc_start_daemon
eof_check
# the denials name the deciding rule and its FILE:LINE (DESIGN.md), and
# OpenSSH's own lines (POLICY.md A.11) are there too
cfg=$T/sshd_config
pc_expect_log "forward open denied: user=alice from=127\.0\.0\.1 port=[0-9]+ to=127\.0\.0\.1:$e rule=\"AllowTcpForwarding remote\" \($cfg:[0-9]+\)"
pc_expect_log "forward listen denied: user=alice from=127\.0\.0\.1 port=[0-9]+ listen=127\.0\.0\.1:[0-9]+ rule=\"AllowTcpForwarding local\" \($cfg:[0-9]+\)"
pc_expect_log "forward open denied: user=alice .* to=127\.0\.0\.1:$e rule=\"PermitOpen 127\.0\.0\.1:22 127\.0\.0\.2:22\" \($cfg:[0-9]+\)"
pc_expect_log "forward open denied: user=alice .* to=127\.0\.0\.1:$e rule=\"permitopen=.*\" \($T/home/alice/\.ssh/authorized_keys:2\)"
pc_expect_log "forward listen denied: user=alice .* rule=\"PermitListen 127\.0\.0\.1:22 127\.0\.0\.2:[0-9]+\" \($cfg:[0-9]+\)"
pc_expect_log "forward (open|listen) denied: user=alice .* rule=\"no-port-forwarding\" \($T/home/alice/\.ssh/authorized_keys:4\)"
for log in "$T/daemon.log" "$T/daemon.openssh.log"; do
	[ -s "$log" ] || continue
	PC_LOG=$log pc_expect_log "refused local port forward: originator 127\.0\.0\.1 port [0-9]+, target 127\.0\.0\.1 port $e"
	PC_LOG=$log pc_expect_log "Received request from 127\.0\.0\.1 port [0-9]+ to connect to host 127\.0\.0\.1 port $e, but the request was denied\."
	PC_LOG=$log pc_expect_log "Received request from 127\.0\.0\.1 port [0-9]+ to remote forward to host 127\.0\.0\.1 port [0-9]+, but the request was denied\."
done
pol_stop
pol_diff
pol_summary
pc_pass

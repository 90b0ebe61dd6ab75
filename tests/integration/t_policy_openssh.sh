#!/usr/bin/env bash
# shellcheck disable=SC2154 # pol_take/pol_echo assign by name
# Differential test: the keywords portcullisd shares with OpenSSH
# (AllowTcpForwarding, DisableForwarding, PermitOpen, PermitListen,
# GatewayPorts, Match User/Group/Address/LocalPort/All with them, key
# options no-port-forwarding, restrict, port-forwarding, permitopen,
# permitlisten, command=) in one matrix, run against portcullisd (each case
# also checked with -X) and against Debian's OpenSSH sshd on the same
# configuration, users and keys: every verdict, and for GatewayPorts the
# addresses bound, must be the same (and as POLICY.md Part A says).
# Runs in a private network namespace when it can: GatewayPorts yes and
# clientspecified bind wildcard addresses only there.  (forward-control and
# cfgmatch are compared in t_policy_fwdcontrol.sh / t_policy_cfgmatch.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"
pol_netns "$0" "$@"
pc_init
pol_init

e=$POL_ECHO
pol_echo e2 127.0.0.2
pol_echo e6 ::1
pol_key alice alice
pol_key bob bob
pol_key alice k_pfr port-forwarding,restrict
pol_key alice k_rpf_po "restrict,port-forwarding,permitopen=\"127.0.0.1:$e\""
pol_key alice k_cmd 'command="echo hi",no-pty,no-agent-forwarding,no-X11-forwarding'
pol_key alice k_po_wild "permitopen=\"127.0.0.1:*\",permitopen=\"*:$e2\""
pol_key alice k_po_slash "permitopen=\"127.0.0.1/$e\""
pol_key alice k_po_ip2 "permitopen=\"127.0.0.2:$e2\""
pol_key alice k_nopf_po "no-port-forwarding,permitopen=\"127.0.0.1:$e\""

# lr ID USER EXP_L EXP_R [KEY [FROM]]: one connection, -L to the echo
# server and -R on a fresh port
lr() {
	local id=$1 u=$2 el=$3 er=$4 key=${5:-$2} from=${6:-127.0.0.1} lp rp
	pol_take lp rp
	pol_group "$id" "$u" "$key" "$from"
	pol_L "$id/L" "$lp" 127.0.0.1 "$e" "$el"
	pol_R "$id/R" "$rp" 127.0.0.1 "$e" "$er"
}
# L ID HOST PORT EXP / R ID LISTEN EXP [FLAGS]: more cases in the group
L() {
	local lp
	pol_take lp
	pol_L "$1" "$lp" "$2" "$3" "$4"
}
R() {
	pol_R "$1" "$2" 127.0.0.1 "$e" "${@:3}"
}

# ---- AllowTcpForwarding / DisableForwarding with Match ----
pol_phase disable <<CFG
DisableForwarding yes
Match User bob
	DisableForwarding no
CFG
lr disable/alice alice N N
lr disable/alice-rpf alice N N k_rpf_po
lr disable/bob bob Y Y
pol_phase disable-in-match <<CFG
Match User alice
	DisableForwarding yes
CFG
lr disable-in-match/alice alice N N
lr disable-in-match/bob bob Y Y
pol_phase atf-match <<CFG
AllowTcpForwarding no
Match Address 127.0.0.2
	AllowTcpForwarding yes
Match User bob
	AllowTcpForwarding local
CFG
lr atf-match/alice alice N N
lr atf-match/alice-other alice Y Y alice 127.0.0.2
lr atf-match/bob bob Y N
lr atf-match/bob-other bob Y Y bob 127.0.0.2
pol_phase match-group <<CFG
Match Group fwdusers
	AllowTcpForwarding no
CFG
lr match-group/alice alice N N
lr match-group/bob bob Y Y
pol_phase match-and <<CFG
Match User alice Address 127.0.0.2
	AllowTcpForwarding remote
Match User *,!alice
	AllowTcpForwarding local
CFG
lr match-and/alice alice Y Y
lr match-and/alice-other alice N Y alice 127.0.0.2
lr match-and/bob bob Y N
pol_phase match-lport-all <<CFG
Match LocalPort $PORT
	AllowTcpForwarding remote
Match All
	AllowTcpForwarding local
CFG
# -X without laddr=/lport= assumes the first ListenAddress/Port (127.0.0.1
# and $PORT here, where the connections arrive), so it must agree too
pol_take lp rp
pol_group match-lport alice
pol_L match-lport/L "$lp" 127.0.0.1 "$e" N
pol_R match-lport/R "$rp" 127.0.0.1 "$e" Y
# the first value wins, also for a whole PermitOpen line; values are
# case-insensitive
pol_phase first-value-wins <<CFG
AllowTcpForwarding LOCAL
AllowTcpForwarding yes
PermitOpen 127.0.0.1:1
PermitOpen 127.0.0.1:$e
CFG
lr first-value-wins/alice alice N N
pol_phase value-case <<<"allowtcpforwarding Remote"
lr value-case/alice alice N Y
pol_phase value-all <<<"AllowTcpForwarding all"
lr value-all/alice alice Y Y

# ---- PermitOpen forms (literal host match, port *, none/any) ----
pol_phase permitopen-any <<<"PermitOpen any"
lr po-any alice Y Y
pol_phase permitopen-none <<<"PermitOpen none"
lr po-none alice N Y
pol_phase permitopen-forms <<CFG
PermitOpen localhost:$e *:$e2 [::1]:$e6
CFG
lr po-forms alice N Y
L po-forms/localhost localhost "$e" Y
L po-forms/LOCALHOST LOCALHOST "$e" N
L po-forms/ip2 127.0.0.2 "$e2" Y
L po-forms/v6 ::1 "$e6" Y
pol_phase permitopen-port-wild <<<"PermitOpen 127.0.0.1:*"
lr po-port-wild alice Y Y
L po-port-wild/localhost localhost "$e" N
L po-port-wild/ip2 127.0.0.2 "$e2" N

# ---- PermitListen forms (glob on the requested string, port 0) ----
pol_take pa pb pc pd pe
pol_phase permitlisten-none <<<"PermitListen none"
lr pl-none alice Y N
R pl-none/R0 0 N
pol_phase permitlisten-any <<<"PermitListen any"
lr pl-any alice Y Y
R pl-any/R0 0 Y
pol_phase permitlisten-forms <<<"PermitListen *:$pa localhost:* 127.0.0.?:$pb"
pol_group pl-forms alice
R pl-forms/star "$pa" Y
R pl-forms/R0 0 Y
R pl-forms/glob "127.0.0.1:$pb" Y
R pl-forms/localhost-star "$pc" Y
# the requested string is lower-cased before matching
R pl-forms/LOCALHOST-request "LOCALHOST:$pe" Y
pol_phase permitlisten-bare <<CFG
PermitListen $pa 127.0.0.1:$pb 127.0.0.1:$pd LOCALHOST:$pc
CFG
pol_group pl-bare alice
R pl-bare/bare "$pa" Y
R pl-bare/R0 0 N
R pl-bare/ip "127.0.0.1:$pb" Y
R pl-bare/localhost "$pd" N
R pl-bare/upper-pattern "$pc" N
pol_phase permitlisten-8080 <<<"PermitListen 8080"
pol_group pl-8080 alice
R pl-8080/R0 0 N

# ---- key options ----
pol_phase key-options <<<"PermitOpen 127.0.0.1:$e 127.0.0.2:$e2"
lr key/port-forwarding,restrict alice N N k_pfr
lr key/no-port-forwarding,permitopen alice N N k_nopf_po
lr key/command alice Y Y k_cmd
lr key/restrict,port-forwarding,permitopen alice Y Y k_rpf_po
L key/restrict,port-forwarding,permitopen/ip2 127.0.0.2 "$e2" N
lr key/permitopen-wild alice Y Y k_po_wild
L key/permitopen-wild/ip2 127.0.0.2 "$e2" Y
lr key/permitopen-slash alice Y Y k_po_slash
lr key/intersection alice N Y k_po_ip2
L key/intersection/ip2 127.0.0.2 "$e2" Y

# ---- GatewayPorts: where -R listens (addresses compared too) ----
pol_take g1 g2 g3 g4 g5 g6 g7
pol_phase gatewayports-no <<<"GatewayPorts no"
pol_group gp-no alice
R gp-no/localhost "$g1" Y "addrs=127.0.0.1,[::1]"
R gp-no/ip "127.0.0.1:$g2" Y "addrs=127.0.0.1"
R gp-no/v6 "[::1]:$g3" Y "addrs=[::1]"
R gp-no/empty ":$g4" Y "addrs=127.0.0.1,[::1]"
R gp-no/any4 "0.0.0.0:$g5" Y "addrs=127.0.0.1,[::1]"
R gp-no/star "*:$g6" Y "addrs=127.0.0.1,[::1]"
R gp-no/other "127.0.0.2:$g7" Y "addrs=127.0.0.1,[::1]"
pol_phase gatewayports-clientspecified <<<"GatewayPorts ClientSpecified"
pol_group gp-cs alice
R gp-cs/localhost "$g1" Y "addrs=127.0.0.1,[::1]"
R gp-cs/ip "127.0.0.1:$g2" Y "addrs=127.0.0.1"
R gp-cs/v6 "[::1]:$g3" Y "addrs=[::1]"
R gp-cs/other "127.0.0.2:$g7" Y "addrs=127.0.0.2"
if [ "$POL_NETNS" = 1 ]; then
	# wildcard binds: only inside our own network namespace
	R gp-cs/empty ":$g4" Y "addrs=0.0.0.0,[::]"
	R gp-cs/any4 "0.0.0.0:$g5" Y "addrs=0.0.0.0"
	R gp-cs/star "*:$g6" Y "addrs=0.0.0.0,[::]"
	pol_phase gatewayports-yes <<<"GatewayPorts yes"
	pol_group gp-yes alice
	R gp-yes/localhost "$g1" Y "addrs=0.0.0.0,[::]"
	R gp-yes/ip "127.0.0.1:$g2" Y "addrs=0.0.0.0,[::]"
	R gp-yes/v6 "[::1]:$g3" Y "addrs=0.0.0.0,[::]"
	R gp-yes/any4 "0.0.0.0:$g5" Y "addrs=0.0.0.0,[::]"
	# PermitListen judges the requested string, before GatewayPorts
	pol_phase gatewayports-yes-permitlisten <<CFG
GatewayPorts yes
PermitListen 127.0.0.1:$g1 127.0.0.1:$g2
CFG
	pol_group gp-yes-pl alice
	R gp-yes-pl/localhost "$g1" N
	R gp-yes-pl/ip "127.0.0.1:$g2" Y "addrs=0.0.0.0,[::]"
else
	echo "no private network namespace: GatewayPorts wildcard cases skipped"
fi

pol_run_both shared
pol_stop
pol_diff

# -X with an explicit local end: Match LocalPort / LocalAddress apply as for
# a connection that arrived there; without laddr=/lport= the first
# ListenAddress and Port of the configuration (127.0.0.1, $PORT)
x_local() {
	local exp=$1 extra=$2 spec rc=0
	spec="user=alice,addr=127.0.0.1$extra,open=127.0.0.1:$e"
	env LD_PRELOAD="$POL_XPRELOAD" "$PORTCULLISD" -f "$T/sshd_config" -X "$spec" \
		>"$POL/x.out" 2>&1 || rc=$?
	pc_expect_eq "$exp" "$rc" "-X $spec ($(tr '\n' ' ' <"$POL/x.out"))"
}
pc_config <<CFG
Match LocalPort $PORT
	AllowTcpForwarding remote
Match LocalAddress 127.0.0.3
	AllowTcpForwarding yes
Match All
	AllowTcpForwarding local
CFG
x_local 1 ""
x_local 1 ",lport=$PORT"
x_local 1 ",laddr=127.0.0.1,lport=$PORT"
x_local 0 ",lport=$((PORT + 1))"
x_local 0 ",laddr=127.0.0.3,lport=$((PORT + 1))"
x_local 1 ",laddr=127.0.0.3,lport=$PORT"
x_local 255 ",lport=0"
x_local 255 ",laddr=localhost"
x_local 1 ",laddr=127.0.0.1"
grep -q "AllowTcpForwarding fail AllowTcpForwarding remote ($T/sshd_config:[0-9]*)" "$POL/x.out" ||
	pc_fail "-X with laddr=127.0.0.1 does not name the Match LocalPort block's line: $(cat "$POL/x.out")"
# a wildcard first ListenAddress (with its own port): the port is assumed,
# no local address (Match LocalAddress does not apply, a note says so)
pc_config <<CFG
ListenAddress 0.0.0.0:$((PORT + 2))
Match LocalAddress 0.0.0.0/0
	AllowTcpForwarding no
Match LocalPort $((PORT + 2))
	AllowTcpForwarding remote
CFG
x_local 1 ""
if ! grep -q "AllowTcpForwarding fail AllowTcpForwarding remote" "$POL/x.out" ||
	! grep -q "^note: no laddr= given" "$POL/x.out"; then
	pc_fail "-X with a wildcard ListenAddress: want the LocalPort block and a note, got: $(cat "$POL/x.out")"
fi
x_local 0 ",lport=$((PORT + 3))"
x_local 1 ",laddr=192.0.2.1"
grep -q "AllowTcpForwarding fail AllowTcpForwarding no" "$POL/x.out" ||
	pc_fail "-X with laddr=192.0.2.1: want the LocalAddress block, got: $(cat "$POL/x.out")"
pol_summary
pc_pass

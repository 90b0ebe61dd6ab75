#!/usr/bin/env bash
# shellcheck disable=SC2154 # pol_take/pol_echo assign by name
# The Tectia per-account lists (POLICY.md B.1, Decisions 1, 3, 6):
# AllowTcpForwardingForUsers/Groups and DenyTcpForwardingForUsers/Groups
# with real users alice (groups alice, fwdusers), bob (bob, staff2) and
# carol (carol, fwdusers), in both directions: deny wins, the Allow lists
# are exclusive and OR-ed (users OR groups), repeated lines and commas
# accumulate, USER@HOST with CIDR, wildcards, no widening of
# AllowTcpForwarding or key options, Match blocks replace the lists.  Each
# case is judged by data, checked with portcullisd -X, and a few denials
# are checked in the log (rule and FILE:LINE).
# (In a private network namespace when it can: no port collisions.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"
pol_netns "$0" "$@"
pc_init
pol_init

e=$POL_ECHO
pol_key alice alice
pol_key bob bob
pol_key carol carol
pol_key alice k_rpf restrict,port-forwarding

# u_case ID USER EXP_L EXP_R [KEY [FROM]]: one connection with -L and -R
u_case() {
	local id=$1 u=$2 el=$3 er=$4 key=${5:-$2} from=${6:-127.0.0.1} lp rp
	pol_take lp rp
	pol_group "$id" "$u" "$key" "$from"
	pol_L "$id/L" "$lp" 127.0.0.1 "$e" "$el"
	pol_R "$id/R" "$rp" 127.0.0.1 "$e" "$er"
}

pol_phase allow-users <<<"AllowTcpForwardingForUsers alice"
u_case allow-users/alice alice Y Y
u_case allow-users/bob bob N N

pol_phase allow-groups <<<"AllowTcpForwardingForGroups fwdusers"
u_case allow-groups/alice alice Y Y
u_case allow-groups/bob bob N N
u_case allow-groups/carol carol Y Y

pol_phase deny-users <<<"DenyTcpForwardingForUsers alice"
u_case deny-users/alice alice N N
u_case deny-users/alice-key alice N N k_rpf
u_case deny-users/bob bob Y Y

pol_phase deny-groups <<<"DenyTcpForwardingForGroups staff2"
u_case deny-groups/alice alice Y Y
u_case deny-groups/bob bob N N

# deny wins over allow, across the users and groups lists
pol_phase deny-wins <<CFG
AllowTcpForwardingForUsers alice bob
DenyTcpForwardingForGroups fwdusers
CFG
u_case deny-wins/alice alice N N
u_case deny-wins/bob bob Y Y

# with both Allow lists, a user needs to be in one of them (OR)
pol_phase allow-or <<CFG
AllowTcpForwardingForUsers bob
AllowTcpForwardingForGroups fwdusers
CFG
u_case allow-or/alice alice Y Y
u_case allow-or/bob bob Y Y
u_case allow-or/carol carol Y Y

# repeated lines accumulate; commas separate too
pol_phase accumulate <<CFG
AllowTcpForwardingForUsers alice
AllowTcpForwardingForUsers carol,nobody
CFG
u_case accumulate/alice alice Y Y
u_case accumulate/bob bob N N
u_case accumulate/carol carol Y Y

# USER@HOST (CIDR), wildcards
pol_phase user-at-host <<CFG
AllowTcpForwardingForUsers alice@127.0.0.1 bob@10.0.0.0/8 car?l@127.0.0.0/30
CFG
u_case user-at-host/alice alice Y Y
u_case user-at-host/alice-other alice N N alice 127.0.0.2
u_case user-at-host/bob bob N N
u_case user-at-host/carol-other carol Y Y carol 127.0.0.2
pol_phase deny-user-at-host <<<"DenyTcpForwardingForUsers alice@127.0.0.2"
u_case deny-user-at-host/alice alice Y Y
u_case deny-user-at-host/alice-other alice N N alice 127.0.0.2
pol_phase deny-wildcard <<<"DenyTcpForwardingForUsers a*"
u_case deny-wildcard/alice alice N N
u_case deny-wildcard/bob bob Y Y
pol_phase no-such-group <<<"AllowTcpForwardingForGroups nosuchgroup"
u_case no-such-group/alice alice N N

# the lists never widen AllowTcpForwarding (nor key options)
pol_phase no-widening <<CFG
AllowTcpForwarding local
AllowTcpForwardingForUsers alice
CFG
u_case no-widening/alice alice Y N
u_case no-widening/bob bob N N

# a matching Match block's list replaces the global one
pol_phase match-replaces-users <<CFG
AllowTcpForwardingForUsers alice
Match User alice
	AllowTcpForwardingForUsers bob
CFG
u_case match-users/alice alice N N
u_case match-users/bob bob N N
pol_phase match-replaces-deny <<CFG
DenyTcpForwardingForUsers alice
Match Address 127.0.0.2
	DenyTcpForwardingForUsers bob
CFG
u_case match-deny/alice alice N N
u_case match-deny/bob bob Y Y
u_case match-deny/alice-other alice Y Y alice 127.0.0.2
u_case match-deny/bob-other bob N N bob 127.0.0.2
pol_phase match-replaces-groups <<CFG
AllowTcpForwardingForGroups staff2
Match Group fwdusers
	AllowTcpForwardingForGroups alice
CFG
u_case match-groups/alice alice Y Y
u_case match-groups/bob bob Y Y
u_case match-groups/carol carol N N
# Match can also grant over a global AllowTcpForwarding no (Decision 1)
pol_phase match-grants <<CFG
AllowTcpForwarding no
AllowTcpForwardingForUsers alice bob
Match User bob
	AllowTcpForwarding yes
CFG
u_case match-grants/alice alice N N
u_case match-grants/bob bob Y Y

# DisableForwarding beats every list and key option
pol_phase disable <<CFG
DisableForwarding yes
AllowTcpForwardingForUsers alice
CFG
u_case disable/alice alice N N
u_case disable/alice-key alice N N k_rpf

start=$SECONDS
pol_run users
cfg=$T/sshd_config
pc_expect_log "forward open denied: user=bob from=127\.0\.0\.1 port=[0-9]+ to=127\.0\.0\.1:$e rule=\"AllowTcpForwardingForUsers alice\" \($cfg:[0-9]+\)"
pc_expect_log "forward listen denied: user=alice from=127\.0\.0\.1 port=[0-9]+ listen=localhost:[0-9]+ rule=\"DenyTcpForwardingForUsers alice\" \($cfg:[0-9]+\)"
pc_expect_log "forward (open|listen) denied: user=alice .* rule=\"DenyTcpForwardingForGroups fwdusers\" \($cfg:[0-9]+\)"
pc_expect_log "forward (open|listen) denied: user=carol .* rule=\"AllowTcpForwardingForGroups alice\" \($cfg:[0-9]+\)"
# (OpenSSH has no such lists, so no OpenSSH-style line is expected here)
pol_stop

# -o on the command line: the lists accumulate with the file's (Decision
# 3), a scalar beats the file's, a Match block beats both (Decision 11)
pol_reset
POL_DAEMON_ARGS=(-o "AllowTcpForwardingForUsers bob" -o "AllowTcpForwarding local")
pol_phase command-line <<CFG
AllowTcpForwarding yes
AllowTcpForwardingForUsers alice
AllowTcpForwardingForGroups nosuchgroup
Match User carol
	AllowTcpForwarding remote
	AllowTcpForwardingForUsers carol
CFG
u_case command-line/alice alice Y N
u_case command-line/bob bob Y N
u_case command-line/carol carol N Y
pol_run users-command-line
pc_expect_log "forward listen denied: user=alice .* rule=\"AllowTcpForwarding local\" \(command-line(:[0-9]+)?\)"
pol_stop
echo "portcullisd: $((SECONDS - start))s"
pol_summary
pc_pass

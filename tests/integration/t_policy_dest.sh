#!/usr/bin/env bash
# shellcheck disable=SC2154 # pol_take/pol_echo assign by name
# The F-Secure destination rules (POLICY.md B.2, Decisions 2, 3, 5):
# Allow/DenyForwardingTo HOST:PORT on -L destinations only (never -R).
# The host is matched as a string (case-insensitive glob) and as every
# address it resolves to, once: DenyForwardingTo 127.0.0.1:P cannot be
# bypassed with localhost, LOCALHOST or other spellings of the address; an
# Allow needs the string or every address; CIDR entries (IPv4 and IPv6);
# port patterns; deny wins; lines accumulate; Match replaces the list;
# PermitOpen still applies (literal); names with several addresses
# (private /etc/hosts); service names.  Every case is judged by data and
# checked with portcullisd -X.
# (In a private network namespace when it can: no port collisions.)
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

# localhost resolves to 127.0.0.1 only here (an Allow for 127.0.0.1 then
# admits it); if it also resolved to ::1, such an Allow would not
lh_v4only=Y
if getent ahosts localhost | awk '{ print $1 }' | grep -v '^127\.0\.0\.1$' >/dev/null; then
	lh_v4only=N
fi

# the destinations of every group: NAME HOST PORT
DESTS=(
	"ip1 127.0.0.1 $e"
	"lh localhost $e"
	"LH LOCALHOST $e"
	"ip2 127.0.0.2 $e2"
	"v6 ::1 $e6"
)
# other spellings of 127.0.0.1 that resolve to it
SPELLINGS=(
	"short 127.1 $e"
	"decimal 2130706433 $e"
	"hex 0x7f000001 $e"
)

# dg ID USER "EXP..." [SPELLINGS_EXP [MAPPED_EXP]]: one connection with a
# -L to every destination (EXP in DESTS order) and a -R (never judged by
# ...To rules); SPELLINGS_EXP adds the other spellings of 127.0.0.1 with
# that verdict, MAPPED_EXP a -L to ::ffff:127.0.0.1 (IPv4-mapped: through
# a dual-stack socket it reaches the IPv4 echo server)
dg() {
	local id=$1 u=$2 exps i lp rp name host port
	read -r -a exps <<<"$3"
	pol_group "$id" "$u"
	for i in "${!DESTS[@]}"; do
		read -r name host port <<<"${DESTS[$i]}"
		pol_take lp
		pol_L "$id/$name" "$lp" "$host" "$port" "${exps[$i]}"
	done
	if [ -n "${4:-}" ]; then
		for i in "${!SPELLINGS[@]}"; do
			read -r name host port <<<"${SPELLINGS[$i]}"
			pol_take lp
			pol_L "$id/$name" "$lp" "$host" "$port" "$4"
		done
	fi
	if [ -n "${5:-}" ]; then
		pol_take lp
		pol_L "$id/v4mapped" "$lp" ::ffff:127.0.0.1 "$e" "$5"
	fi
	pol_take rp
	pol_R "$id/R" "$rp" 127.0.0.1 "$e" Y
}

pol_phase no-rules </dev/null
dg no-rules alice "Y Y Y Y Y" Y Y
#                                           ip1 lh LH ip2 v6
pol_phase deny-address <<<"DenyForwardingTo 127.0.0.1:$e"
dg deny-address alice                      "N N N Y Y" N N
pol_phase deny-name <<<"DenyForwardingTo localhost:*"
dg deny-name alice                         "Y N N Y Y"
pol_phase allow-address <<<"AllowForwardingTo 127.0.0.1:$e"
dg allow-address alice "Y $lh_v4only $lh_v4only N N" Y
pol_phase allow-cidr <<<"AllowForwardingTo 127.0.0.0/8:*"
dg allow-cidr alice "Y $lh_v4only $lh_v4only Y N" Y
pol_phase deny-v6 <<<"DenyForwardingTo [::1]:*"
dg deny-v6 alice                           "Y Y Y Y N"
pol_phase deny-v6-cidr <<<"DenyForwardingTo [::1/128]:$e6"
dg deny-v6-cidr alice                      "Y Y Y Y N"
pol_phase allow-glob-address <<<"AllowForwardingTo 127.0.0.?:*"
dg allow-glob-address alice "Y $lh_v4only $lh_v4only Y N" Y
pol_phase allow-glob-name <<<"AllowForwardingTo local*:*"
dg allow-glob-name alice                   "N Y Y N N" N
pol_phase deny-port <<<"DenyForwardingTo *:$e2"
dg deny-port alice                         "Y Y Y N Y"
pol_phase deny-port-range <<<"DenyForwardingTo *:$e..$e"
dg deny-port-range alice                   "N N N Y Y" N
pol_phase deny-wins <<CFG
AllowForwardingTo 127.0.0.0/8:*
DenyForwardingTo 127.0.0.2:*
CFG
dg deny-wins alice "Y $lh_v4only $lh_v4only N N"
pol_phase accumulate <<CFG
AllowForwardingTo 127.0.0.2:$e2
AllowForwardingTo [::1]:$e6
CFG
dg accumulate alice                        "N N N Y Y"
# PermitOpen is literal and case-sensitive (OpenSSH); both must allow
pol_phase with-permitopen <<CFG
PermitOpen localhost:$e 127.0.0.2:$e2
AllowForwardingTo 127.0.0.1:*
CFG
dg with-permitopen alice                   "N $lh_v4only N N N"
pol_phase deny-everything <<<"DenyForwardingTo *:*"
dg deny-everything alice                   "N N N N N" N
pol_phase match-replaces <<CFG
DenyForwardingTo 127.0.0.1:*
Match User bob
	DenyForwardingTo 127.0.0.2:*
CFG
dg match-replaces/alice alice              "N N N Y Y"
dg match-replaces/bob bob                  "Y Y Y N Y"

# names with several addresses (Decision 5: a Deny matching any address
# denies, an Allow must match the string or every address), through a
# private /etc/hosts in our own mount namespace; echo servers on the same
# port on every address, so any checked address can be connected to
if pol_hosts <<HOSTS; then
127.0.0.1 multi.test dual.test
127.0.0.2 multi.test only2.test
::1 dual.test
HOSTS
	pol_echo_at 127.0.0.2 "$e"
	pol_echo_at ::1 "$e"
	pol_echo_at 127.0.0.1 8080
	hg() {
		local id=$1 exps name i lp
		read -r -a exps <<<"$2"
		pol_group "$id" alice
		i=0
		for name in 127.0.0.1 multi.test dual.test only2.test; do
			pol_take lp
			pol_L "$id/$name" "$lp" "$name" "$e" "${exps[$i]}"
			i=$((i + 1))
		done
	}
	#                                           ip multi dual only2
	pol_phase hosts-allow-address <<<"AllowForwardingTo 127.0.0.1:*"
	hg hosts-allow-address                     "Y N N N"
	pol_phase hosts-allow-cidr <<<"AllowForwardingTo 127.0.0.0/8:*"
	hg hosts-allow-cidr                        "Y Y N Y"
	pol_phase hosts-deny-address <<<"DenyForwardingTo 127.0.0.2:*"
	hg hosts-deny-address                      "Y N Y N"
	pol_phase hosts-deny-v6 <<<"DenyForwardingTo [::1]:$e"
	hg hosts-deny-v6                           "Y Y N Y"
	pol_phase hosts-allow-name <<<"AllowForwardingTo MULTI.test:$e"
	hg hosts-allow-name                        "N Y N N"
	pol_phase hosts-allow-glob <<<"AllowForwardingTo *.test:*"
	hg hosts-allow-glob                        "N Y Y Y"
	# service names in the port half
	pol_phase service-names <<CFG
DenyForwardingTo *:http-alt
AllowForwardingTo localhost:webcache 127.0.0.1:$e
CFG
	pol_group service-names alice
	pol_take lp
	pol_L service-names/8080 "$lp" 127.0.0.1 8080 N
	pol_take lp
	pol_L service-names/localhost-8080 "$lp" localhost 8080 N
	pol_take lp
	pol_L service-names/e "$lp" 127.0.0.1 "$e" Y
	pol_phase service-names-allow <<<"AllowForwardingTo localhost:webcache"
	pol_group service-names-allow alice
	pol_take lp
	pol_L service-names-allow/8080 "$lp" localhost 8080 Y
	pol_take lp
	pol_L service-names-allow/e "$lp" localhost "$e" N
else
	echo "no private mount namespace: multi-address names skipped"
fi

start=$SECONDS
pol_run dest

# -X only: a name that does not resolve is matched as a string
x_only() {
	local exp=$1 spec=$2 rc=0
	env LD_PRELOAD="$POL_XPRELOAD" "$PORTCULLISD" -f "$T/sshd_config" -X "$spec" \
		>"$POL/x.out" 2>&1 || rc=$?
	pc_expect_eq "$exp" "$rc" "-X $spec ($(tr '\n' ' ' <"$POL/x.out"))"
}
pc_config <<<"DenyForwardingTo *.invalid:*"
x_only 1 "user=alice,addr=127.0.0.1,open=no-such-host.invalid:80"
x_only 0 "user=alice,addr=127.0.0.1,open=127.0.0.1:80"
pc_config <<<"AllowForwardingTo *.invalid:80"
x_only 0 "user=alice,addr=127.0.0.1,open=no-such-host.invalid:80"
x_only 1 "user=alice,addr=127.0.0.1,open=no-such-host.invalid:81"

cfg=$T/sshd_config
pc_expect_log "forward open denied: user=alice from=127\.0\.0\.1 port=[0-9]+ to=localhost:$e rule=\"DenyForwardingTo 127\.0\.0\.1:$e\" \($cfg:[0-9]+\)"
pc_expect_log "forward open denied: user=alice .* to=127\.0\.0\.1:$e rule=\"AllowForwardingTo local\*:\*\" \($cfg:[0-9]+\)"
pc_expect_log "forward open denied: user=bob .* to=127\.0\.0\.2:$e2 rule=\"DenyForwardingTo 127\.0\.0\.2:\*\" \($cfg:[0-9]+\)"
pc_expect_log "Received request from 127\.0\.0\.1 port [0-9]+ to connect to host LOCALHOST port $e, but the request was denied\."
pol_stop
echo "portcullisd: $((SECONDS - start))s"
pol_summary
pc_pass

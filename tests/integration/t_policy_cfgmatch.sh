#!/usr/bin/env bash
# shellcheck disable=SC2154 # pol_take/pol_echo assign by name
# OpenSSH's regress/cfgmatch.sh and cfgmatchlisten.sh (POLICY.md Part C):
# Match Address / Match User with PermitOpen (-L) and PermitListen (-R):
# a matching block permits, another source address (127.0.0.2 here; a
# proxy in the original) is denied, a key permitopen/permitlisten cannot
# widen a Match-restricted list, both agreeing permit; a Match block's list
# overrides the global one, a non-matching Match User/Group does not; bare
# PermitListen ports; -R 127.0.0.1:PORT against localhost:PORT entries in
# the server config and in the key.  Every case is judged by data, checked
# with portcullisd -X, and run against OpenSSH's sshd too (same verdicts).
# Last, the Match criteria parse test of cfgmatch.sh through -T -C.
# (In a private network namespace when it can: no port collisions.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"
pol_netns "$0" "$@"
pc_init
pol_init

e=$POL_ECHO
pol_take rp
pol_key alice alice
pol_key bob bob
pol_key alice k_po "permitopen=\"127.0.0.1:$e\""
pol_key alice k_pl_lh "permitlisten=\"localhost:$rp\""
pol_key alice k_pl_ip "permitlisten=\"127.0.0.1:$rp\""
pol_key alice k_pl_bare "permitlisten=\"$rp\""
pol_key alice k_pl_99 'permitlisten="99"'

# one -L case (to the echo server) in a group of its own
l_case() {
	local id=$1 user=$2 key=$3 from=$4 exp=$5 lp
	pol_take lp
	pol_group "$id" "$user" "$key" "$from"
	pol_L "$id" "$lp" 127.0.0.1 "$e" "$exp"
}

# one -R case on the shared port $rp: groups run one after the other
r_case() {
	local id=$1 user=$2 key=$3 from=$4 listen=$5 exp=$6
	pol_sync
	pol_group "$id" "$user" "$key" "$from"
	pol_R "$id" "$listen" 127.0.0.1 "$e" "$exp"
}

# ---- cfgmatch.sh ----
pol_phase match-address-permitopen <<CFG
PermitOpen 127.0.0.1:1 # comment
Match Address 127.0.0.1 # comment
PermitOpen 127.0.0.1:2 127.0.0.1:3 127.0.0.1:$e
CFG
l_case match-permitopen alice alice 127.0.0.1 Y
l_case other-source alice alice 127.0.0.2 N
l_case other-source-key alice k_po 127.0.0.2 N
l_case match-and-key alice k_po 127.0.0.1 Y

pol_phase match-user-overrides <<CFG
PermitOpen 127.0.0.1:1 127.0.0.1:$e 127.0.0.2:2
Match User alice
PermitOpen 127.0.0.1:1 127.0.0.1:2
CFG
l_case override alice alice 127.0.0.1 N
l_case override-key alice k_po 127.0.0.1 N
l_case other-user bob bob 127.0.0.1 Y

pol_phase nomatch-no-override <<CFG
PermitOpen 127.0.0.1:1 127.0.0.1:$e 127.0.0.2:2
Match User NoSuchUser
PermitOpen 127.0.0.1:1 127.0.0.1:2
Match Group NoSuchGroup
PermitOpen 127.0.0.1:1 127.0.0.1:2
CFG
l_case nomatch alice alice 127.0.0.1 Y
l_case nomatch-key alice k_po 127.0.0.1 Y

# ---- cfgmatchlisten.sh ----
pol_phase match-address-permitlisten <<CFG
PermitListen 127.0.0.1:1
Match Address 127.0.0.1
PermitListen 127.0.0.1:2 127.0.0.1:3 localhost:$rp
CFG
r_case listen-match alice alice 127.0.0.1 "$rp" Y
r_case listen-other-source alice alice 127.0.0.2 "$rp" N
r_case listen-other-source-key alice k_pl_lh 127.0.0.2 "$rp" N
r_case listen-match-and-key alice k_pl_lh 127.0.0.1 "$rp" Y

pol_phase permitlisten-bare <<<"PermitListen 127.0.0.1:1 $rp 127.0.0.2:2"
r_case bare alice alice 127.0.0.1 "$rp" Y
pol_phase permitlisten-wrong-bare <<<"PermitListen 1 2 99"
r_case wrong-bare alice alice 127.0.0.1 "$rp" N

pol_phase listen-match-user-overrides <<CFG
PermitListen 127.0.0.1:1 localhost:$rp 127.0.0.2:2
Match User alice
PermitListen 127.0.0.1:1 127.0.0.1:2
CFG
r_case listen-override alice k_pl_lh 127.0.0.1 "$rp" N
r_case listen-other-user bob bob 127.0.0.1 "$rp" Y

pol_phase listen-nomatch <<CFG
PermitListen 127.0.0.1:1 localhost:$rp 127.0.0.2:2
Match User NoSuchUser
PermitListen 127.0.0.1:1 127.0.0.1:2
CFG
r_case listen-nomatch alice k_pl_lh 127.0.0.1 "$rp" Y

# -R 127.0.0.1:PORT sends "127.0.0.1", which localhost:PORT does not admit
pol_phase listen-localhost-entry <<<"PermitListen 127.0.0.1:1 localhost:$rp 127.0.0.2:2"
r_case ip-vs-localhost-config alice alice 127.0.0.1 "127.0.0.1:$rp" N
r_case ip-vs-localhost-config+key alice k_pl_lh 127.0.0.1 "127.0.0.1:$rp" N
pol_phase listen-ip-entry <<<"PermitListen 127.0.0.1:1 127.0.0.1:$rp 127.0.0.2:2"
r_case ip-vs-localhost-key alice k_pl_lh 127.0.0.1 "127.0.0.1:$rp" N
r_case ip-both alice k_pl_ip 127.0.0.1 "127.0.0.1:$rp" Y
r_case ip-key-bare alice k_pl_bare 127.0.0.1 "127.0.0.1:$rp" Y
r_case ip-key-wrong-bare alice k_pl_99 127.0.0.1 "127.0.0.1:$rp" N

# ---- parsing of the Match criteria (cfgmatch.sh, through -T -C) ----
# Criterion value and Criterion=value: OpenSSH 9.2's parser splits the
# Match line at blanks and at one '=' with blanks round it (strdelim), as
# cfgmatch.sh checks; both daemons must accept every separator below.
match_criteria() {
	local daemon=$1 sep p c crit v spec result addr pre=$PC_PRELOAD
	# portcullisd: an ASan build needs its runtime first (POL_XPRELOAD)
	[ "$daemon" != "$PORTCULLISD" ] || pre=$POL_XPRELOAD
	local params="user:user:u1 host:host:h1 address:addr:1.2.3.4 localaddress:laddr:5.6.7.8 rdomain:rdomain:rdom1"
	for sep in " " "=" " = " "= " " ="; do
		{
			echo "HostKey $T/hostkey"
			echo "Banner /nomatch"
			for p in $params; do
				IFS=: read -r c crit v <<<"$p"
				printf '\t    Match %s%s%s\n\t      Banner /%s\n' "$c" "$sep" "$v" "$v"
			done
		} >"$POL/match.cfg"
		if ! env LD_PRELOAD="$pre" "$daemon" -f "$POL/match.cfg" -T >/dev/null 2>"$POL/match.err"; then
			pc_fail "$daemon -T rejects Match criteria with separator '$sep': $(cat "$POL/match.err")"
		fi
		for p in $params; do
			IFS=: read -r _ crit v <<<"$p"
			spec=
			for c in $params; do
				IFS=: read -r _ c2 v2 <<<"$c"
				if [ "$c2" = "$crit" ]; then
					spec="$c2=$v2,$spec"
				else
					spec="$c2=1$v2,$spec"
				fi
			done
			result=$(env LD_PRELOAD="$pre" "$daemon" -f "$POL/match.cfg" -T -C "${spec%,}" |
				awk 'tolower($1) == "banner" { print $2 }')
			pc_expect_eq "/$v" "$result" "$daemon -T -C '$spec' (separator '$sep') banner"
		done
	done
	# two criteria in the = form on one line (ANDed); a doubled '=' is
	# an error for both daemons
	printf 'HostKey %s\nBanner /nomatch\nMatch user=u1,u2 Address=127.0.0.1\n\tBanner /both\n' \
		"$T/hostkey" >"$POL/match.cfg"
	local row want who
	for row in u2:127.0.0.1:/both u3:127.0.0.1:/nomatch u1:127.0.0.2:/nomatch; do
		IFS=: read -r who addr want <<<"$row"
		spec="user=$who,host=h,addr=$addr,laddr=127.0.0.1,rdomain=r"
		result=$(env LD_PRELOAD="$pre" "$daemon" -f "$POL/match.cfg" -T -C "$spec" |
			awk 'tolower($1) == "banner" { print $2 }')
		pc_expect_eq "$want" "$result" "$daemon -T -C '$spec' on 'Match user=u1,u2 Address=127.0.0.1' banner"
	done
	printf 'HostKey %s\nMatch User==u1\n\tBanner /x\n' "$T/hostkey" >"$POL/match.cfg"
	if env LD_PRELOAD="$pre" "$daemon" -f "$POL/match.cfg" -T >/dev/null 2>"$POL/match.err"; then
		pc_fail "$daemon -T accepts 'Match User==u1'"
	fi
	grep -q "Missing Match criteria for User" "$POL/match.err" ||
		pc_fail "$daemon on 'Match User==u1' says: $(cat "$POL/match.err")"
}

# -T prints permitopen/permitlisten exactly as OpenSSH 9.2's sshd -T (a
# bare PermitListen port as *:PORT, the rest as written, any when unset),
# also for a Match block's list under -C
dump_permits() {
	local cfg=$POL/dump.cfg i out d want got pre
	local -a lines=(
		"PermitListen 6000"
		"PermitListen 6000 localhost:7000 [::1]:80 *:* * ssh"
		"PermitListen any"
		"PermitListen none"
		"PermitOpen any"
		"PermitOpen none"
		"PermitOpen host:ssh [::1]:80 *:* LOCALHOST:http 127.0.0.1:*"
		"PermitOpen a:1"$'\n'"Match User u1"$'\n'"PermitListen 7000 h:*"$'\n'"PermitOpen none"
		"PermitListen 1 2"$'\n'"Match User u1"$'\n'"PermitListen none"
	)
	for i in "${!lines[@]}"; do
		printf 'HostKey %s\nPidFile none\n%s\n' "$T/hostkey" "${lines[$i]}" >"$cfg"
		want='' got=''
		for d in /usr/sbin/sshd "$PORTCULLISD"; do
			pre=$PC_PRELOAD
			[ "$d" != "$PORTCULLISD" ] || pre=$POL_XPRELOAD
			out=$(env LD_PRELOAD="$pre" "$d" -f "$cfg" -T -C "user=u1,host=h,addr=127.0.0.1,laddr=127.0.0.1,lport=22,rdomain=r" 2>&1 |
				grep -E '^permit(open|listen) |line|rror' || true)
			if [ "$d" = /usr/sbin/sshd ]; then want=$out; else got=$out; fi
		done
		[ -n "$want" ] || pc_fail "sshd -T printed no permitopen/permitlisten for: ${lines[$i]}"
		pc_expect_eq "$want" "$got" "-T -C permitopen/permitlisten for '${lines[$i]//$'\n'/ | }'"
	done
	echo "-T permitopen/permitlisten: ${#lines[@]} configurations as OpenSSH prints them"
}

pol_run_both cfgmatch
pc_expect_log "forward open denied: user=alice from=127\.0\.0\.2 port=[0-9]+ to=127\.0\.0\.1:$e rule=\"PermitOpen 127\.0\.0\.1:1\" \($T/sshd_config:[0-9]+\)"
pc_expect_log "forward listen denied: user=alice from=127\.0\.0\.1 port=[0-9]+ listen=localhost:$rp rule=\"PermitListen 127\.0\.0\.1:1 127\.0\.0\.1:2\" \($T/sshd_config:[0-9]+\)"
pc_expect_log "forward listen denied: user=alice from=127\.0\.0\.1 port=[0-9]+ listen=127\.0\.0\.1:$rp rule=\"permitlisten=.*localhost:$rp.*\" \($T/home/alice/\.ssh/authorized_keys:[0-9]+\)"
pc_expect_log "Received request from 127\.0\.0\.1 port [0-9]+ to remote forward to host 127\.0\.0\.1 port $rp, but the request was denied\."
pol_stop
pol_diff
match_criteria "$PORTCULLISD"
[ ! -x /usr/sbin/sshd ] || match_criteria /usr/sbin/sshd
[ ! -x /usr/sbin/sshd ] || dump_permits
pol_summary
pc_pass

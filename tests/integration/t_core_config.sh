#!/usr/bin/env bash
# Configuration checking (-t), dumping (-T, -T -C) and error reporting.
. "$(dirname "$0")/lib.sh"
pc_init
pc_config </dev/null

# Debian's stock sshd_config loads with warnings only.
stock=/etc/ssh/sshd_config
if [ -f "$stock" ]; then
	cp "$stock" "$T/stock_config"
	if ! "$PORTCULLISD" -t -f "$T/stock_config" -h "$T/hostkey" \
	    >"$T/stock.out" 2>&1; then
		cat "$T/stock.out" >&2
		pc_fail "Debian's stock sshd_config does not pass -t"
	fi
	grep -qi "error" "$T/stock.out" &&
	    pc_fail "stock config: error reported: $(cat "$T/stock.out")"
else
	echo "no $stock here; stock-config case skipped"
fi

# Our test config is valid.
"$PORTCULLISD" -t -f "$T/sshd_config" >"$T/ok.out" 2>&1 ||
	pc_fail "valid config rejected: $(cat "$T/ok.out")"

# Each broken line must be reported as FILE:LINE: and -t exits 255.
check_error() {
	local name=$1 line=$2 status
	shift 2
	cp "$T/sshd_config" "$T/bad_$name"
	# The bad line goes first so its line number is known.
	{ printf '%s\n' "$line"; cat "$T/sshd_config"; } >"$T/bad_$name"
	set +e
	"$PORTCULLISD" -t -f "$T/bad_$name" >"$T/bad_$name.out" 2>&1
	status=$?
	set -e
	[ "$status" -eq 255 ] ||
		pc_fail "$name: -t exited $status, expected 255 ($(cat "$T/bad_$name.out"))"
	grep -qF "$T/bad_$name:1:" "$T/bad_$name.out" ||
		pc_fail "$name: no '$T/bad_$name:1:' in: $(cat "$T/bad_$name.out")"
}
check_error unknown_keyword "NoSuchKeyword yes"
check_error bad_value "PubkeyAuthentication maybe"
check_error missing_argument "LoginGraceTime"
check_error bad_port_pattern "AllowForwardingPort 70000"
check_error bad_range "AllowForwardingPort 5000..4000"
check_error bad_to_pattern "DenyForwardingTo nocolon"
check_error bad_permitopen "PermitOpen host:notaport"
check_error bad_enum "AllowTcpForwarding sometimes"
# A bad Match criterion sits on its own line at the end.
cp "$T/sshd_config" "$T/bad_match"
echo "Match Colour blue" >>"$T/bad_match"
n=$(wc -l <"$T/bad_match")
set +e
"$PORTCULLISD" -t -f "$T/bad_match" >"$T/bad_match.out" 2>&1
status=$?
set -e
[ "$status" -eq 255 ] || pc_fail "bad Match criterion: -t exited $status"
grep -qF "$T/bad_match:$n:" "$T/bad_match.out" ||
	pc_fail "bad Match criterion: no FILE:LINE in $(cat "$T/bad_match.out")"

# -T prints effective values, lower-case keywords.
cat >>"$T/sshd_config" <<'CFG'
AllowTcpForwarding no
Match User alice
	AllowTcpForwarding local
	PermitOpen 127.0.0.1:80
CFG
"$PORTCULLISD" -T -f "$T/sshd_config" >"$T/dump" 2>"$T/dump.err" ||
	pc_fail "-T failed: $(cat "$T/dump.err")"
grep -qx "allowtcpforwarding no" "$T/dump" ||
	pc_fail "-T: expected 'allowtcpforwarding no', got: $(grep -i allowtcp "$T/dump")"
grep -qx "permitopen any" "$T/dump" || grep -qx "permitopen none" "$T/dump" ||
	grep -q "^permitopen" "$T/dump" || pc_fail "-T: no permitopen line"
grep -q "^port $PORT\$" "$T/dump" || pc_fail "-T: no 'port $PORT' line"

# -T -C applies Match blocks for that connection.
"$PORTCULLISD" -T -C user=alice,addr=127.0.0.1,host=localhost,laddr=127.0.0.1,lport="$PORT" \
	-f "$T/sshd_config" >"$T/dump_alice" 2>&1 || pc_fail "-T -C failed"
grep -qx "allowtcpforwarding local" "$T/dump_alice" ||
	pc_fail "-T -C user=alice: expected 'allowtcpforwarding local', got: $(grep -i allowtcp "$T/dump_alice")"
grep -qx "permitopen 127.0.0.1:80" "$T/dump_alice" ||
	pc_fail "-T -C user=alice: expected 'permitopen 127.0.0.1:80', got: $(grep -i permitopen "$T/dump_alice")"
"$PORTCULLISD" -T -C user=bob,addr=127.0.0.1,host=localhost,laddr=127.0.0.1,lport="$PORT" \
	-f "$T/sshd_config" >"$T/dump_bob" 2>&1 || pc_fail "-T -C bob failed"
grep -qx "allowtcpforwarding no" "$T/dump_bob" ||
	pc_fail "-T -C user=bob: Match for alice applied to bob"

# -o on the command line beats the file.
"$PORTCULLISD" -T -o AllowTcpForwarding=remote -f "$T/sshd_config" \
	>"$T/dump_o" 2>&1 || pc_fail "-T -o failed"
grep -qx "allowtcpforwarding remote" "$T/dump_o" ||
	pc_fail "-o did not beat the file: $(grep -i allowtcp "$T/dump_o")"

pc_pass

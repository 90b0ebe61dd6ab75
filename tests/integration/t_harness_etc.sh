#!/usr/bin/env bash
# The installed configuration (etc/sshd_config, paths moved under $T) passes
# `portcullisd -t` without a warning, its Include of sshd_config.d works
# and -T shows the settings an administrator expects.
. "$(dirname "$0")/lib.sh"
pc_init

[ -x "$PORTCULLISD" ] || pc_fail "daemon not found: $PORTCULLISD"
etc=$T/etc/portcullis
mkdir -p "$etc/sshd_config.d"
sed -e "s|/etc/portcullis/|$etc/|g" "$PC_SRCDIR/etc/sshd_config" >"$etc/sshd_config"
grep -q "^HostKey $etc/ssh_host_ed25519_key\$" "$etc/sshd_config" ||
	pc_fail "HostKey paths were not rewritten"
for t in ed25519 ecdsa rsa; do
	pc__keygen "$t" "$etc/ssh_host_${t}_key"
done

if ! out=$("$PORTCULLISD" -t -f "$etc/sshd_config" 2>&1); then
	pc_fail "portcullisd -t rejects etc/sshd_config: $out"
fi
[ -z "$out" ] || pc_fail "portcullisd -t warns about etc/sshd_config: $out"

"$PORTCULLISD" -T -f "$etc/sshd_config" >"$T/dump" 2>"$T/dump.err" ||
	pc_fail "portcullisd -T failed: $(cat "$T/dump.err")"
for want in "usepam yes" "kbdinteractiveauthentication no" "x11forwarding no" \
	"printmotd no" "pidfile /run/portcullisd.pid" "loglevel INFO" \
	"hostkey $etc/ssh_host_ed25519_key"; do
	grep -qix "$want.*" "$T/dump" || pc_fail "-T lacks '$want': $(grep -i "^${want%% *} " "$T/dump")"
done

# sshd_config.d/*.conf is read first, so it wins over the main file.
echo "LogLevel VERBOSE" >"$etc/sshd_config.d/10-test.conf"
"$PORTCULLISD" -T -f "$etc/sshd_config" >"$T/dump" 2>"$T/dump.err" ||
	pc_fail "portcullisd -T with sshd_config.d failed: $(cat "$T/dump.err")"
grep -qix "loglevel VERBOSE" "$T/dump" ||
	pc_fail "sshd_config.d/10-test.conf not applied: $(grep -i '^loglevel' "$T/dump")"
pc_pass

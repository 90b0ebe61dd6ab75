#!/usr/bin/env bash
# Hostile input on the wire: garbage and oversized banners, a version we
# do not speak (with terminal escapes), noise after the banner, packet
# lengths of 0x7fffffff / 0xffffffff / 256 KiB+1 / 1 MiB, a maximal
# KEXINIT of noise, and a 300 KiB packet after key exchange.  For each
# case (hostile_client.py): the listener stays up, the connection's
# process peaks under 64 MB (VmHWM, printed) and is gone after the
# attacker is dropped with a log line that says why (peer bytes escaped),
# and meanwhile a legitimate OpenSSH client (an open ssh -L carrying
# traffic, and fresh logins) is unaffected (hostile_lib.sh).
. "$(dirname "$0")/lib.sh"
pc_init
. "$(dirname "$0")/hostile_lib.sh"

# ---- unauthenticated: the wire ----
for c in garbage-banner bad-version long-banner random-after-banner len-7fffffff \
	len-ffffffff len-256k1 len-1m len-max-kexinit; do
	run_case "$c"
done
pc_wait_log -n 9 "Connection closed by 127.0.0.1 port [0-9]+ \[preauth\]: "
pc_expect_log -F "[preauth]: read_packet(): Packet len too high(2147483647 7fffffff)"
pc_expect_log -F "[preauth]: Receiving banner: too large banner"
pc_expect_log -F '(banner: SSH-1.5-\033[2J\007evil)'
# what the client sent reaches the log escaped: no control bytes
if LC_ALL=C grep -a -n -P '[^\t\x20-\x7e]' "$PC_LOG" >"$T/ctl"; then
	pc_fail "control bytes in the log: $(head -c 300 "$T/ctl" | cat -v)"
fi

# ---- after key exchange ----
run_case big-packet --user alice --key "$T/keys/alice"
pc_wait_log "Connection of user alice 127.0.0.1 port [0-9]+ ended by an error: read_packet\(\): Packet len too high"
hostile_end
pc_pass

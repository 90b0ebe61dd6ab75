#!/usr/bin/env bash
# PuTTY's plink running commands (its -L and -R are in t_fwd_interop.sh):
# output, stderr, the remote exit status as plink's own, and stdin carried
# to the command up to EOF (-batch, key from puttygen, host key pinned).
. "$(dirname "$0")/lib.sh"
pc_init
if ! command -v plink >/dev/null || ! command -v puttygen >/dev/null; then
	pc_skip "plink/puttygen not installed (apt-get install putty-tools)"
fi

pc_authorize alice
pc_config </dev/null
pc_start_daemon

puttygen "$T/keys/alice" -O private -o "$T/alice.ppk" >/dev/null 2>&1 ||
	pc_fail "puttygen could not convert alice's key"
fp=$(ssh-keygen -l -E sha256 -f "$T/hostkey.pub" | awk '{ print $2 }')
mkdir -p "$T/puttyhome"

# plink_run CMD: plink as alice runs CMD; stdin from $T/in (if any),
# stdout to $T/out, stderr to $T/err; returns plink's status.
plink_run() {
	local in=/dev/null
	[ -f "$T/in" ] && in=$T/in
	env -u LD_PRELOAD -u NSS_WRAPPER_PASSWD -u NSS_WRAPPER_GROUP \
		HOME="$T/puttyhome" timeout "$PC_TIMEOUT" plink -batch -ssh \
		-P "$PORT" -l alice -i "$T/alice.ppk" -hostkey "$fp" 127.0.0.1 \
		"$1" <"$in" >"$T/out" 2>"$T/err"
}

set +e
plink_run 'echo plink-out; echo plink-err >&2; exit 5'
rc=$?
set -e
pc_expect_eq 5 "$rc" "plink's exit status (the remote command's; stderr: $(cat "$T/err"))"
pc_expect_eq plink-out "$(cat "$T/out")" "plink's stdout"
grep -qx plink-err "$T/err" || pc_fail "plink's stderr lacks the command's: $(cat "$T/err")"
pc_wait_log "Starting session: command for alice from 127\.0\.0\.1"

# stdin up to EOF, 1 MB both ways
head -c 1000000 /dev/urandom >"$T/in"
plink_run 'cat' || pc_fail "plink cat failed ($?): $(cat "$T/err")"
cmp -s "$T/in" "$T/out" ||
	pc_fail "plink cat: $(stat -c %s "$T/out") bytes came back, not the 1000000 sent"
rm -f "$T/in"

if grep -q "FATAL" "$T/err"; then
	pc_fail "plink: $(cat "$T/err")"
fi
pc_wait_log -n 2 "Close session: user alice from 127\.0\.0\.1"
pc_pass

#!/usr/bin/env bash
# The documentation cannot drift from the code: every keyword of
# sshd/config_keywords.h (and every old name) is described in
# doc/portcullisd_config.5 and shown in etc/sshd_config, nothing else is
# described as a keyword, every command-line flag of sshd/main.c is in
# doc/portcullisd.8, and both pages render without warnings.
. "$(dirname "$0")/lib.sh"
pc_init

src=$PC_SRCDIR
kwh=$src/sshd/config_keywords.h
man5=$src/doc/portcullisd_config.5
man8=$src/doc/portcullisd.8
conf=$src/etc/sshd_config

grep -o '^CFG_KW([A-Za-z0-9]*' "$kwh" | sed 's/^CFG_KW(//' | sort >"$T/code"
[ "$(wc -l <"$T/code")" -gt 50 ] || pc_fail "could not read the keywords of $kwh"
# Keyword entries: a ".TP" line followed by ".B Keyword".
awk 'prev == ".TP" && $1 == ".B" { print $2 } { prev = $0 }' "$man5" |
	grep -v -x -e Include -e Match | sort >"$T/doc"
if ! diff -u "$T/code" "$T/doc" >"$T/diff"; then
	pc_fail "keywords of config_keywords.h (-) and portcullisd_config.5 (+) differ:
$(grep '^[-+][A-Za-z]' "$T/diff")"
fi

missing=
for k in $(grep -o '^CFG_\(ALIAS\|OLD\)([A-Za-z0-9]*' "$kwh" | sed 's/^.*(//'); do
	grep -q "^\.BR\? $k\( \|$\)" "$man5" || missing="$missing $k"
done
[ -z "$missing" ] || pc_fail "old names missing from portcullisd_config.5:$missing"

missing=
while read -r k; do
	grep -qi "^#\?$k " "$conf" || missing="$missing $k"
done <"$T/code"
[ -z "$missing" ] || pc_fail "keywords not shown in etc/sshd_config:$missing"

# Flags: the getopt string of main.c against the OPTIONS of the man page.
opts=$(grep -o 'getopt(argc, argv, "[^"]*"' "$src/sshd/main.c" | sed 's/.*"\(.*\)"/\1/')
[ -n "$opts" ] || pc_fail "no getopt string in sshd/main.c"
missing=
for f in $(tr -d ':' <<<"$opts" | grep -o .); do
	grep -q "^\.BI\? \\\\-$f\( \|$\)" "$man8" || missing="$missing -$f"
done
[ -z "$missing" ] || pc_fail "flags of sshd/main.c not documented in portcullisd.8:$missing"

if command -v man >/dev/null; then
	for page in "$man8" "$man5"; do
		w=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" 2>&1 >/dev/null) ||
			pc_fail "man cannot render $page"
		[ -z "$w" ] || pc_fail "warnings rendering $page: $w"
	done
fi
pc_pass

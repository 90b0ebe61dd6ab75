#!/usr/bin/env bash
# UseDNS yes: Match Host sees the client's verified name; UseDNS no: only
# the address.
. "$(dirname "$0")/lib.sh"
pc_init
getent hosts 127.0.0.1 | grep -w localhost >/dev/null ||
	pc_skip "127.0.0.1 does not map to localhost on this machine"
pc_authorize alice
pc_config <<'EOF'
UseDNS yes
Match Host localhost
	ForceCommand echo matched-by-name
EOF
pc_start_daemon
out=$(pc_ssh alice echo plain) || pc_fail "ssh failed with UseDNS yes"
pc_expect_eq matched-by-name "$out"
pc_stop_daemon

sed -i 's/^UseDNS yes$/UseDNS no/' "$T/sshd_config"
pc_start_daemon
out=$(pc_ssh alice echo plain) || pc_fail "ssh failed with UseDNS no"
pc_expect_eq plain "$out"
pc_pass

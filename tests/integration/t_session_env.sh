#!/usr/bin/env bash
# Environment: AcceptEnv lets the client's LANG and LC_* through and
# nothing else, and never over USER/HOME/PATH; SetEnv; the key's
# environment= and ~/.ssh/environment only with PermitUserEnvironment.
. "$(dirname "$0")/lib.sh"
pc_init

pc_authorize alice
pc_authorize bob 'environment="KEYVAR=from-key",environment="OTHER=x"'
pc_authorize carol 'environment="KEYVAR=from-key"'
echo "FILEVAR=from-file" >"$T/home/bob/.ssh/environment"
echo "FILEVAR=from-file" >"$T/home/carol/.ssh/environment"
chown 20002 "$T/home/bob/.ssh/environment"
chown 20003 "$T/home/carol/.ssh/environment"
pc_config <<'CFG'
AcceptEnv LANG LC_* PATH HOME
SetEnv ADMIN=set-by-admin
PermitUserEnvironment KEYVAR,FILEVAR
CFG
# PermitUserEnvironment is global only; carol gets it off through a
# second daemon below.
pc_start_daemon

out=$(LANG=C.UTF-8 LC_TIME=C FOO=bar PATH=/evil:$PATH HOME=/evil \
	pc_ssh alice -o SendEnv=LANG -o SendEnv=LC_TIME -o SendEnv=FOO \
	-o SendEnv=PATH -o SendEnv=HOME env)
envv() {
	sed -n "s/^$1=//p" <<<"$out"
}
pc_expect_eq C.UTF-8 "$(envv LANG)" "LANG (AcceptEnv LANG)"
pc_expect_eq C "$(envv LC_TIME)" "LC_TIME (AcceptEnv LC_*)"
pc_expect_eq "" "$(envv FOO)" "FOO (not accepted)"
pc_expect_eq /usr/local/bin:/usr/bin:/bin:/usr/games "$(envv PATH)" \
	"PATH (a client cannot override it)"
pc_expect_eq "$T/home/alice" "$(envv HOME)" "HOME (a client cannot override it)"
pc_expect_eq set-by-admin "$(envv ADMIN)" "SetEnv"

out=$(pc_ssh bob env)
pc_expect_eq from-key "$(envv KEYVAR)" "key environment= (allowed)"
pc_expect_eq "" "$(envv OTHER)" "key environment= outside the allowlist"
pc_expect_eq from-file "$(envv FILEVAR)" "~/.ssh/environment (allowed)"
pc_stop_daemon

# PermitUserEnvironment no: neither the key nor the file count.
pc_config <<'CFG'
PermitUserEnvironment no
CFG
pc_start_daemon
out=$(pc_ssh carol env)
pc_expect_eq "" "$(envv KEYVAR)" "key environment= with PermitUserEnvironment no"
pc_expect_eq "" "$(envv FILEVAR)" "~/.ssh/environment with PermitUserEnvironment no"
pc_stop_daemon
pc_pass

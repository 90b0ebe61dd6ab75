#!/usr/bin/env bash
# Hostile session-channel traffic on authenticated connections: session
# opens beyond MaxSessions; 10,000 env (AcceptEnv takes 128), 1,000
# pty-req with absurd sizes (one taken), 1,000 unknown and 5,000
# window-change requests on one channel, which then still runs a
# command; 50 key re-exchanges in a row.  For each case
# (hostile_client.py): the listener stays up, the connection's process
# peaks under 64 MB (VmHWM, printed), every want-reply request gets
# exactly one answer, and a legitimate OpenSSH client (an open ssh -L
# carrying traffic, and fresh logins) is unaffected (hostile_lib.sh).
. "$(dirname "$0")/lib.sh"
pc_init
. "$(dirname "$0")/hostile_lib.sh"

run_case session-flood --user bob --key "$T/keys/bob" --count 20 \
	--expect-open 5
pc_wait_log -F "MaxSessions 5 reached"
run_case session-requests --user alice --key "$T/keys/alice" --count 10000 \
	--expect-open 129
run_case rekey-flood --user alice --key "$T/keys/alice" --count 50
pc_expect_log -F "session 0: pty-req twice refused"
hostile_end
pc_pass

#!/usr/bin/env bash
# Floods on authenticated connections: 10,000 global requests (want-reply
# and not), direct-tcpip opens beyond MaxForwardChannels, tcpip-forward
# beyond MaxForwardListeners, and
# channel data far past the window the daemon granted (libssh 0.10 would
# buffer it).  For each case (hostile_client.py): the listener stays up,
# the connection's process peaks under 64 MB (VmHWM, printed), the
# attacker is refused or dropped as expected with a log line, what it was
# granted still works, and a legitimate OpenSSH client (an open ssh -L
# carrying traffic, and fresh logins) is unaffected, also while the
# attacker holds its channels and listeners (hostile_lib.sh).
. "$(dirname "$0")/lib.sh"
pc_init
. "$(dirname "$0")/hostile_lib.sh"

run_case global-flood --user alice --key "$T/keys/alice" --count 10000
run_case direct-flood --user bob --key "$T/keys/bob" --count 80 \
	--expect-open 50 --target-port "$echo_port"
pc_wait_log -F "MaxForwardChannels 50 reached"
run_case listen-flood --user bob --key "$T/keys/bob" --count 100 \
	--expect-open 20
pc_wait_log -F "MaxForwardListeners 20 reached"
# channel data far past the granted window, to a target that never reads
pc_tcp_blackhole
run_case window-flood --user alice --key "$T/keys/alice" --count 200 \
	--target-port "$PC_TCP_PORT"
pc_wait_log -F "client exceeded the window of channel: closing the connection"

hostile_end
pc_pass

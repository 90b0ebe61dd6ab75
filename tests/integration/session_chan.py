#!/usr/bin/env python3
"""Session channels driven with paramiko, for what the OpenSSH client
cannot do: send a "signal" request (RFC 4254 6.9) and see exactly which of
exit-status / exit-signal (6.10) came back.

  session_chan.py --port P --keys DIR --known-hosts F [--timeout S] < CASES

Each line of CASES is one channel, tab-separated fields:

  USER  COMMAND  WAIT-FOR  SIGNAL  EOF

(WAIT-FOR and SIGNAL may be "-" for none, EOF is "eof" or "-").  The key
is DIR/USER; one connection per user serves all of its lines.  For each
line: run COMMAND, wait until WAIT-FOR appears on its stdout, send the
signal, then EOF on stdin, wait for the channel to close, and print one
line: "STDOUT<TAB>RESULT", STDOUT with newlines as '|', RESULT one of
"exit-status N", "exit-signal NAME core=0|1", "no-exit".
"""
import argparse
import sys
import time

import paramiko
from paramiko.common import MSG_CHANNEL_REQUEST, cMSG_CHANNEL_REQUEST

EXIT_SIGNAL = {}	# channel -> (name, core)


def hook_requests():
    orig = paramiko.Channel._handle_request

    def handle(chan, m):
        pos = m.packet.tell()
        kind = m.get_text()
        m.get_boolean()
        if kind == "exit-signal":
            EXIT_SIGNAL[chan] = (m.get_text(), m.get_boolean())
        m.packet.seek(pos)
        return orig(chan, m)

    # the transport dispatches through a table built at import time
    paramiko.Transport._channel_handler_table[MSG_CHANNEL_REQUEST] = handle


def send_signal(chan, name):
    m = paramiko.Message()
    m.add_byte(cMSG_CHANNEL_REQUEST)
    m.add_int(chan.remote_chanid)
    m.add_string("signal")
    m.add_boolean(False)
    m.add_string(name)
    chan.transport._send_user_message(m)


def run_case(cli, command, wait_for, signal, eof, timeout):
    chan = cli.get_transport().open_session()
    chan.settimeout(timeout)
    chan.exec_command(command)
    out = b""
    deadline = time.monotonic() + timeout
    if wait_for:
        want = wait_for.encode()
        while want not in out:
            if time.monotonic() > deadline:
                return "%s\ttimed out waiting for %r" % (out, want)
            data = chan.recv(65536)
            if not data:
                return "%s\tEOF before %r" % (out, want)
            out += data
    if signal:
        send_signal(chan, signal)
    if eof:
        chan.shutdown_write()
    while True:
        if time.monotonic() > deadline:
            return "%s\ttimed out waiting for the channel to close" % out
        data = chan.recv(65536)
        if not data:
            break
        out += data
    # exit-status/exit-signal precede the CLOSE that ends recv()
    while not chan.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    text = out.decode(errors="replace").replace("\n", "|")
    if chan in EXIT_SIGNAL:
        name, core = EXIT_SIGNAL[chan]
        return "%s\texit-signal %s core=%d" % (text, name, 1 if core else 0)
    if chan.exit_status_ready() and chan.recv_exit_status() != -1:
        return "%s\texit-status %d" % (text, chan.recv_exit_status())
    return "%s\tno-exit" % text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--keys", required=True)
    ap.add_argument("--known-hosts", required=True)
    ap.add_argument("--timeout", type=float, default=20)
    a = ap.parse_args()

    hook_requests()
    clients = {}
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        user, command, wait_for, signal, eof = line.split("\t")
        if user not in clients:
            cli = paramiko.SSHClient()
            cli.load_host_keys(a.known_hosts)
            cli.set_missing_host_key_policy(paramiko.RejectPolicy())
            key = paramiko.Ed25519Key.from_private_key_file(
                "%s/%s" % (a.keys, user))
            cli.connect("127.0.0.1", port=a.port, username=user, pkey=key,
                        allow_agent=False, look_for_keys=False,
                        timeout=a.timeout)
            clients[user] = cli
        print(run_case(clients[user], command,
                       None if wait_for == "-" else wait_for,
                       None if signal == "-" else signal,
                       eof == "eof", a.timeout), flush=True)
    for cli in clients.values():
        cli.close()


if __name__ == "__main__":
    main()

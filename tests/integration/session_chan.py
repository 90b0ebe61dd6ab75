#!/usr/bin/env python3
"""One session channel driven with paramiko, for what the OpenSSH client
cannot do: send a "signal" request (RFC 4254 6.9) and see exactly which of
exit-status / exit-signal (6.10) came back.

  session_chan.py --port P --user U --key KEY --known-hosts F \
      --command CMD [--wait-for TEXT] [--signal NAME] [--eof] [--timeout S]

Runs CMD, waits until TEXT appears on its stdout (if given), sends the
signal (if given), then EOF on stdin (if --eof), and waits for the channel
to close.  Prints the stdout it got after "stdout:" and then one line:
"exit-status N", "exit-signal NAME core=0|1", or "no-exit" (none came).
"""
import argparse
import sys
import time

import paramiko
from paramiko.common import MSG_CHANNEL_REQUEST, cMSG_CHANNEL_REQUEST

EXIT = {}


def hook_requests():
    orig = paramiko.Channel._handle_request

    def handle(self, m):
        pos = m.packet.tell()
        kind = m.get_text()
        m.get_boolean()
        if kind == "exit-signal":
            EXIT["signal"] = (m.get_text(), m.get_boolean())
        m.packet.seek(pos)
        return orig(self, m)

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--known-hosts", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--wait-for")
    ap.add_argument("--signal")
    ap.add_argument("--eof", action="store_true")
    ap.add_argument("--timeout", type=float, default=20)
    a = ap.parse_args()

    hook_requests()
    cli = paramiko.SSHClient()
    cli.load_host_keys(a.known_hosts)
    cli.set_missing_host_key_policy(paramiko.RejectPolicy())
    key = paramiko.Ed25519Key.from_private_key_file(a.key)
    cli.connect("127.0.0.1", port=a.port, username=a.user, pkey=key,
                allow_agent=False, look_for_keys=False, timeout=a.timeout)
    chan = cli.get_transport().open_session()
    chan.settimeout(a.timeout)
    chan.exec_command(a.command)

    out = b""
    deadline = time.monotonic() + a.timeout
    if a.wait_for:
        want = a.wait_for.encode()
        while want not in out:
            if time.monotonic() > deadline:
                sys.exit("timed out waiting for %r, got %r" % (want, out))
            data = chan.recv(65536)
            if not data:
                sys.exit("EOF before %r, got %r" % (want, out))
            out += data
    if a.signal:
        send_signal(chan, a.signal)
    if a.eof:
        chan.shutdown_write()
    while True:
        if time.monotonic() > deadline:
            sys.exit("timed out waiting for the channel to close")
        data = chan.recv(65536)
        if not data:
            break
        out += data
    while not chan.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    print("stdout:" + out.decode(errors="replace").replace("\n", "|"))
    if "signal" in EXIT:
        name, core = EXIT["signal"]
        print("exit-signal %s core=%d" % (name, 1 if core else 0))
    elif chan.exit_status_ready() and chan.recv_exit_status() != -1:
        print("exit-status %d" % chan.recv_exit_status())
    else:
        print("no-exit")
    cli.close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Forwarding requests the OpenSSH client cannot send (ports above 65535),
through paramiko, for the t_policy_*.sh tests.

  policy_raw.py --port P --user U --key FILE listen ADDR PORT
      send tcpip-forward ADDR PORT (want reply); print Y if the server
      accepted it, N if it refused.
  policy_raw.py --port P --user U --key FILE open HOST PORT
      open a direct-tcpip channel to HOST PORT; print Y if it was accepted
      and bytes sent through it came back (the target is an echo server),
      N if the server refused the channel.

Anything else (cannot log in, ...) exits 2.
"""

import argparse
import logging
import os
import sys

import paramiko


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("what", choices=("listen", "open"))
    ap.add_argument("host")
    ap.add_argument("rport", type=int)
    a = ap.parse_args()
    # a refused channel is an expected answer: no paramiko warning on stderr
    logging.getLogger("paramiko").addHandler(logging.NullHandler())

    t = paramiko.Transport(("127.0.0.1", a.port))
    try:
        t.connect()
        t.auth_publickey(a.user,
                         paramiko.Ed25519Key.from_private_key_file(a.key))
        if a.what == "listen":
            # paramiko sends the port as a uint32 as given
            try:
                t.request_port_forward(a.host, a.rport)
            except paramiko.SSHException:
                print("N")
                return 0
            print("Y")
            return 0
        try:
            ch = t.open_channel("direct-tcpip", (a.host, a.rport),
                                ("127.0.0.1", 40000), timeout=a.timeout)
        except paramiko.ChannelException:
            print("N")
            return 0
        data = os.urandom(300)
        ch.settimeout(a.timeout)
        ch.sendall(data)
        got = b""
        while len(got) < len(data):
            b = ch.recv(65536)
            if not b:
                break
            got += b
        print("Y" if got == data else "E")
        return 0
    except Exception as e:  # report, never a traceback
        print("error: %s" % e, file=sys.stderr)
        return 2
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(main())

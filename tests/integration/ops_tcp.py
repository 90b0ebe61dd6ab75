#!/usr/bin/env python3
"""TCP client for the operations tests (t_ops_reload.sh).

  gsource   connect to --host/--port, send --bytes pseudo-random bytes
            (seeded, 64 KiB chunks), shut down writing, print
            "SHA256HEX BYTES SECONDS" (SECONDS: time spent sending, the
            wait at the gate excluded).  Two points in the stream let a
            test act while data flows:
              --mark-at N --mark FILE  create FILE once N bytes are sent
                                       (and keep sending)
              --gate-at N --gate FILE  after N bytes, stop until FILE
                                       exists (polled; give up after
                                       --timeout seconds)
            so a test can be sure the transfer is running when it acts,
            and that it is not over before it has finished acting.

Pass/fail is the caller's: it compares the printed hash with what the
receiving end saw.
"""

import argparse
import hashlib
import os
import random
import socket
import sys
import time

CHUNK = 65536


def touch(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, path)


def wait_gate(path, timeout):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def cmd_gsource(args):
    c = socket.create_connection((args.host, args.port), timeout=args.timeout)
    c.settimeout(args.timeout)
    rnd = random.Random(args.seed)
    h = hashlib.sha256()
    sent = 0
    busy = 0.0
    marked = args.mark is None
    gated = args.gate is None
    t0 = time.monotonic()
    while sent < args.bytes:
        if not marked and sent >= args.mark_at:
            touch(args.mark)
            marked = True
        if not gated and sent >= args.gate_at:
            busy += time.monotonic() - t0
            if not wait_gate(args.gate, args.timeout):
                print("gsource: no %s within %ds (at %d bytes)" %
                      (args.gate, args.timeout, sent), file=sys.stderr)
                return 1
            gated = True
            t0 = time.monotonic()
        n = min(CHUNK, args.bytes - sent)
        b = rnd.randbytes(n)
        c.sendall(b)
        h.update(b)
        sent += n
    c.shutdown(socket.SHUT_WR)
    busy += time.monotonic() - t0
    # Wait for the peer's close, so the bytes are known to have left.
    while c.recv(CHUNK):
        pass
    c.close()
    print("%s %d %.3f" % (h.hexdigest(), sent, busy), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("gsource")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--mark-at", type=int, default=0)
    p.add_argument("--mark")
    p.add_argument("--gate-at", type=int, default=0)
    p.add_argument("--gate")
    p.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    try:
        return cmd_gsource(args)
    except OSError as e:
        print("ops_tcp %s: %s" % (args.cmd, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

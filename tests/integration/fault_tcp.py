#!/usr/bin/env python3
"""TCP ends for the fault tests (t_fault_*.sh).

  fault_tcp.py rst-server --port-file F [--after-read N] [--after-send N]
      Listen on 127.0.0.1 (port written to F); for every connection, read
      N bytes (--after-read) or send N random bytes (--after-send), then
      close with SO_LINGER 0: the kernel sends RST, not FIN, in the middle
      of the transfer.  Stops by itself after 300 s.

  fault_tcp.py push --port P --bytes B [--timeout S]
      Connect and send up to B bytes as fast as possible, reading nothing
      back; prints "closed SENT" when the other side ended the connection
      (EPIPE / ECONNRESET / EOF) before B, "complete SENT" otherwise.

  fault_tcp.py pull --port P [--timeout S]
      Connect, send nothing, read until EOF or reset; prints
      "closed RECEIVED" (or "timeout RECEIVED", exit 1).
"""
import argparse
import os
import select
import socket
import struct
import sys
import threading
import time


def rst_close(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def serve_one(c, a):
    c.settimeout(None)	# not the listener's accept timeout
    try:
        if a.after_read:
            got = 0
            while got < a.after_read:
                d = c.recv(min(65536, a.after_read - got))
                if not d:
                    break
                got += len(d)
        else:
            c.sendall(os.urandom(a.after_send))
    except OSError:
        pass
    rst_close(c)


def cmd_rst_server(a):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(tmp, a.port_file)
    s.settimeout(1)
    end = time.monotonic() + 300
    while time.monotonic() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve_one, args=(c, a), daemon=True).start()
    return 0


def cmd_push(a):
    s = socket.create_connection(("127.0.0.1", a.port), timeout=a.timeout)
    s.setblocking(False)
    buf = os.urandom(65536)
    sent = 0
    end = time.monotonic() + a.timeout
    while sent < a.bytes and time.monotonic() < end:
        r, w, _ = select.select([s], [s], [], 0.5)
        try:
            if r:
                if not s.recv(65536):
                    print("closed %d" % sent)
                    return 0
            if w:
                sent += s.send(buf[:min(len(buf), a.bytes - sent)])
        except (BrokenPipeError, ConnectionResetError):
            print("closed %d" % sent)
            return 0
        except BlockingIOError:
            pass
    print("%s %d" % ("complete" if sent >= a.bytes else "timeout", sent))
    return 0 if sent >= a.bytes else 1


def cmd_pull(a):
    s = socket.create_connection(("127.0.0.1", a.port), timeout=a.timeout)
    got = 0
    end = time.monotonic() + a.timeout
    while time.monotonic() < end:
        try:
            d = s.recv(65536)
        except ConnectionResetError:
            d = b""
        except socket.timeout:
            break
        if not d:
            print("closed %d" % got)
            return 0
        got += len(d)
    print("timeout %d" % got)
    return 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("rst-server")
    p.add_argument("--port-file", required=True)
    p.add_argument("--after-read", type=int, default=0)
    p.add_argument("--after-send", type=int, default=0)
    p = sub.add_parser("push")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--timeout", type=float, default=20)
    p = sub.add_parser("pull")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--timeout", type=float, default=20)
    a = ap.parse_args()
    return {"rst-server": cmd_rst_server, "push": cmd_push,
            "pull": cmd_pull}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())

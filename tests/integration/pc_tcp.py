#!/usr/bin/env python3
"""TCP helpers for the integration tests (used through lib.sh).

Subcommands:
  echo       echo every connection's bytes back (threaded, many connections)
  sink       accept one connection, read to EOF, write "SHA256HEX BYTES"
  blackhole  accept connections and never read from them
  source     connect, send N random bytes, shut down writing, print
             "SHA256HEX BYTES"; with --echo read everything back and fail
             unless it is identical
  probe      exit 0 if a TCP connect succeeds, 1 if not
  freeport   print a port that can be bound on 127.0.0.1

Servers write their port to --port-file once listening (atomically), and
exit by themselves after --lifetime seconds, so a test that dies cannot
leave them behind for long.  Only loopback or test-namespace addresses are
ever used by the tests.
"""

import argparse
import hashlib
import os
import random
import socket
import sys
import threading
import time

CHUNK = 65536


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listen(args):
    s = socket.socket(family_of(args.bind), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.bind, args.port))
    s.listen(128)
    port = s.getsockname()[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    else:
        print(port, flush=True)
    return s


def lifetime_guard(seconds):
    def die():
        time.sleep(seconds)
        os._exit(3)
    threading.Thread(target=die, daemon=True).start()


def echo_conn(c):
    try:
        while True:
            b = c.recv(CHUNK)
            if not b:
                break
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        c.close()


def cmd_echo(args):
    s = listen(args)
    while True:
        c, _ = s.accept()
        threading.Thread(target=echo_conn, args=(c,), daemon=True).start()


def cmd_sink(args):
    s = listen(args)
    c, _ = s.accept()
    s.close()
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(CHUNK)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.close()
    line = "%s %d\n" % (h.hexdigest(), n)
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(line)
        os.rename(tmp, args.out)
    else:
        sys.stdout.write(line)


def cmd_blackhole(args):
    s = listen(args)
    held = []
    while True:
        c, _ = s.accept()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        held.append(c)


def cmd_source(args):
    c = socket.create_connection((args.host, args.port), timeout=args.timeout)
    c.settimeout(args.timeout)
    rnd = random.Random(args.seed)
    sent = hashlib.sha256()
    got = hashlib.sha256()
    nsent = 0
    ngot = 0
    left = args.bytes
    reader = None
    result = {}

    if args.echo:
        def read_back():
            nonlocal ngot
            try:
                while True:
                    b = c.recv(CHUNK)
                    if not b:
                        break
                    got.update(b)
                    ngot += len(b)
            except OSError as e:
                result["error"] = str(e)
        reader = threading.Thread(target=read_back, daemon=True)
        reader.start()

    while left > 0:
        n = min(CHUNK, left)
        b = rnd.randbytes(n)
        c.sendall(b)
        sent.update(b)
        nsent += n
        left -= n
    c.shutdown(socket.SHUT_WR)
    print("%s %d" % (sent.hexdigest(), nsent), flush=True)
    if reader is None:
        c.close()
        return 0
    reader.join(args.timeout)
    c.close()
    if reader.is_alive():
        print("echo: timed out after %d of %d bytes" % (ngot, nsent),
              file=sys.stderr)
        return 1
    if "error" in result:
        print("echo: %s after %d bytes" % (result["error"], ngot),
              file=sys.stderr)
        return 1
    if ngot != nsent or got.hexdigest() != sent.hexdigest():
        print("echo: sent %s %d, received %s %d" %
              (sent.hexdigest(), nsent, got.hexdigest(), ngot),
              file=sys.stderr)
        return 1
    return 0


def cmd_probe(args):
    try:
        c = socket.create_connection((args.host, args.port),
                                     timeout=args.timeout)
    except OSError as e:
        print("probe %s:%d: %s" % (args.host, args.port, e), file=sys.stderr)
        return 1
    c.close()
    return 0


def cmd_freeport(args):
    exclude = {int(x) for x in args.exclude.split()}
    for _ in range(200):
        p = random.randint(10000, 32767)
        if p in exclude:
            continue
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            continue
        finally:
            s.close()
        print(p)
        return 0
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("echo", "sink", "blackhole"):
        p = sub.add_parser(name)
        p.add_argument("--bind", default="127.0.0.1")
        p.add_argument("--port", type=int, default=0)
        p.add_argument("--port-file")
        p.add_argument("--lifetime", type=float, default=300)
        if name == "sink":
            p.add_argument("--out")
    p = sub.add_parser("source")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--echo", action="store_true")
    p.add_argument("--timeout", type=float, default=30)
    p = sub.add_parser("probe")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--timeout", type=float, default=5)
    p = sub.add_parser("freeport")
    p.add_argument("--exclude", default="")
    args = ap.parse_args()

    if args.cmd in ("echo", "sink", "blackhole"):
        lifetime_guard(args.lifetime)
    fn = {"echo": cmd_echo, "sink": cmd_sink, "blackhole": cmd_blackhole,
          "source": cmd_source, "probe": cmd_probe,
          "freeport": cmd_freeport}[args.cmd]
    try:
        return fn(args) or 0
    except OSError as e:
        print("pc_tcp %s: %s" % (args.cmd, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

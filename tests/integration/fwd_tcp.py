#!/usr/bin/env python3
"""TCP helpers for the forwarding tests (t_fwd_*.sh, through fwd_lib.sh).

Servers (listen on --bind, default 127.0.0.1; write their port to
--port-file once ready; exit by themselves after --lifetime seconds):
  serve      on each connection send --bytes random bytes, close; the first
             connection's "SHA256HEX BYTES" goes to --out
  eofecho    per connection: read to EOF, *then* send everything back and
             close (proves half-close: the reply flows after our EOF)
  slowsink   accept one connection, read at most --rate bytes/s, write
             "SHA256HEX BYTES" to --out at EOF
  http       serve the files of --dir over HTTP/1.0

Clients:
  read       connect, read to EOF, print "SHA256HEX BYTES"
  halfclose  send --bytes, shut down writing, read the reply to EOF; fail
             unless it is exactly what was sent
  many       --count sequential connections, each a short echo round trip
  parallel   --conns parallel connections, each echoing --bytes random
             bytes; fail unless every one comes back intact
  hold       open --conns connections, send one byte on each and report
             "OK REFUSED" counts (echoed vs closed), then keep them open
             until stdin closes
"""

import argparse
import hashlib
import http.server
import os
import random
import socket
import sys
import threading
import time

CHUNK = 65536


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def listen(args, backlog=128):
    s = socket.socket(family_of(args.bind), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.bind, args.port))
    s.listen(backlog)
    return s


def announce(args, port):
    if args.port_file:
        write_atomic(args.port_file, "%d\n" % port)
    else:
        print(port, flush=True)


def lifetime_guard(seconds):
    def die():
        time.sleep(seconds)
        os._exit(3)
    threading.Thread(target=die, daemon=True).start()


def connect(args):
    c = socket.create_connection((args.host, args.port), timeout=args.timeout)
    c.settimeout(args.timeout)
    return c


def read_all(c):
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(CHUNK)
        if not b:
            return h, n
        h.update(b)
        n += len(b)


# ---- servers ----

def cmd_serve(args):
    s = listen(args)
    announce(args, s.getsockname()[1])
    first = True
    while True:
        c, _ = s.accept()
        rnd = random.Random()
        h = hashlib.sha256()
        left = args.bytes
        try:
            while left > 0:
                b = rnd.randbytes(min(CHUNK, left))
                c.sendall(b)
                h.update(b)
                left -= len(b)
            c.shutdown(socket.SHUT_WR)
            # wait for the peer's EOF so nothing is reset under it
            c.settimeout(args.lifetime)
            while c.recv(CHUNK):
                pass
        except OSError:
            pass
        c.close()
        if first and args.out:
            write_atomic(args.out, "%s %d\n" % (h.hexdigest(), args.bytes))
        first = False


def eofecho_conn(c):
    try:
        parts = []
        while True:
            b = c.recv(CHUNK)
            if not b:
                break
            parts.append(b)
        for b in parts:
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        c.close()


def cmd_eofecho(args):
    s = listen(args)
    announce(args, s.getsockname()[1])
    while True:
        c, _ = s.accept()
        threading.Thread(target=eofecho_conn, args=(c,), daemon=True).start()


def cmd_slowsink(args):
    s = listen(args)
    announce(args, s.getsockname()[1])
    c, _ = s.accept()
    s.close()
    h = hashlib.sha256()
    n = 0
    start = time.monotonic()
    while True:
        b = c.recv(CHUNK)
        if not b:
            break
        h.update(b)
        n += len(b)
        # keep the average at --rate: sleep off any lead
        lead = n / args.rate - (time.monotonic() - start)
        if lead > 0:
            time.sleep(lead)
    c.close()
    write_atomic(args.out, "%s %d\n" % (h.hexdigest(), n))


def cmd_http(args):
    os.chdir(args.dir)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    class Server(http.server.ThreadingHTTPServer):
        address_family = family_of(args.bind)

    srv = Server((args.bind, args.port), Quiet)
    announce(args, srv.server_address[1])
    srv.serve_forever()


# ---- clients ----

def cmd_read(args):
    c = connect(args)
    h, n = read_all(c)
    c.close()
    print("%s %d" % (h.hexdigest(), n), flush=True)
    return 0


def cmd_halfclose(args):
    c = connect(args)
    data = random.Random().randbytes(args.bytes)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    h, n = read_all(c)
    c.close()
    if n != len(data) or h.hexdigest() != hashlib.sha256(data).hexdigest():
        print("halfclose: sent %d bytes, got back %d (hash %s)" %
              (len(data), n, "differs" if n == len(data) else "n/a"),
              file=sys.stderr)
        return 1
    return 0


def cmd_many(args):
    for i in range(args.count):
        c = connect(args)
        msg = b"ping %d\n" % i
        c.sendall(msg)
        got = b""
        while len(got) < len(msg):
            b = c.recv(CHUNK)
            if not b:
                break
            got += b
        c.close()
        if got != msg:
            print("many: connection %d: sent %r, got %r" % (i, msg, got),
                  file=sys.stderr)
            return 1
    return 0


def cmd_parallel(args):
    errors = []
    lock = threading.Lock()

    def one(i):
        try:
            c = connect(args)
            data = random.Random(i).randbytes(args.bytes)
            box = {}

            def reader():
                try:
                    box["r"] = read_all(c)
                except OSError as e:
                    box["e"] = str(e)
            t = threading.Thread(target=reader, daemon=True)
            t.start()
            c.sendall(data)
            c.shutdown(socket.SHUT_WR)
            t.join(args.timeout)
            c.close()
            if "e" in box or "r" not in box:
                raise OSError(box.get("e", "timed out"))
            h, n = box["r"]
            if n != len(data) or \
                    h.hexdigest() != hashlib.sha256(data).hexdigest():
                raise OSError("got %d of %d bytes back, hash %s" %
                              (n, len(data), "differs"))
        except OSError as e:
            with lock:
                errors.append("connection %d: %s" % (i, e))

    threads = [threading.Thread(target=one, args=(i,))
               for i in range(args.conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in errors:
        print("parallel: " + e, file=sys.stderr)
    print("%d/%d intact" % (args.conns - len(errors), args.conns),
          flush=True)
    return 1 if errors else 0


def cmd_hold(args):
    ok = refused = 0
    held = []
    for _ in range(args.conns):
        c = connect(args)
        c.sendall(b"x")
        try:
            b = c.recv(1)
        except OSError:
            b = b""
        if b == b"x":
            ok += 1
            held.append(c)
        else:
            refused += 1
            c.close()
    print("%d %d" % (ok, refused), flush=True)
    sys.stdin.read()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "eofecho", "slowsink", "http"):
        p = sub.add_parser(name)
        p.add_argument("--bind", default="127.0.0.1")
        p.add_argument("--port", type=int, default=0)
        p.add_argument("--port-file")
        p.add_argument("--lifetime", type=float, default=300)
        if name in ("serve", "slowsink"):
            p.add_argument("--out")
        if name == "serve":
            p.add_argument("--bytes", type=int, required=True)
        if name == "slowsink":
            p.add_argument("--rate", type=int, required=True)
        if name == "http":
            p.add_argument("--dir", required=True)
    for name in ("read", "halfclose", "many", "parallel", "hold"):
        p = sub.add_parser(name)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--timeout", type=float, default=30)
        if name in ("halfclose", "parallel"):
            p.add_argument("--bytes", type=int, required=True)
        if name == "many":
            p.add_argument("--count", type=int, required=True)
        if name in ("parallel", "hold"):
            p.add_argument("--conns", type=int, required=True)
    args = ap.parse_args()

    if hasattr(args, "lifetime"):
        lifetime_guard(args.lifetime)
    fn = {"serve": cmd_serve, "eofecho": cmd_eofecho,
          "slowsink": cmd_slowsink,
          "http": cmd_http, "read": cmd_read, "halfclose": cmd_halfclose,
          "many": cmd_many, "parallel": cmd_parallel,
          "hold": cmd_hold}[args.cmd]
    try:
        return fn(args) or 0
    except OSError as e:
        print("fwd_tcp %s: %s" % (args.cmd, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

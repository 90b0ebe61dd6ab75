#!/usr/bin/env python3
"""tests/load/load_tool.py: traffic, slowloris and memory helpers of the
load tests (tests/load/l_*.sh, `make check-load`).

Subcommands (every result is one JSON line on stdout):
  ports N        N distinct free TCP ports on 127.0.0.1 (never 2222 nor
                 --exclude), one per line.
  echo           echo server for any number of connections in ONE thread
                 (selectors, backlog 4096): 300 or 1,000 concurrent
                 forwarded connections cost no thread each.  Writes its
                 port to --port-file; exits after --lifetime seconds.
  traffic        connect to every port of --ports at the same time, send
                 --bytes random bytes on each (different bytes per
                 connection) while reading the echo back; a connection
                 passes only if what came back has the same length and
                 SHA-256.  Prints {"conns", "ok", "failed", "bytes_sent",
                 "bytes_back", "secs", "errors": [first few]}.  --hold:
                 a connection stays open after its echo until every one
                 has finished, so all were open at once ("held_together":
                 how many were still open, unbroken, at that moment).
                 --max-pending K: at most K connections at a time between
                 connect and the end of their echo (0: all at once).
  slowloris      open --n connections to --port from --src and never send
                 a byte.  A connection closed by the server before it sent
                 its SSH banner was dropped by the listener (MaxStartups /
                 PerSourceMaxStartups); one closed after the banner was
                 closed by its connection process (LoginGraceTime).  Until
                 --stop-file exists, every dropped connection is opened
                 again (the attacker keeps the pressure on); after that it
                 waits until every connection is closed or --deadline
                 seconds pass.  Writes {"state": "ready"} to --ready-file
                 once the first --n connections are made; prints the
                 counts at the end.
  mem PID        the process tree of PID (PID and its descendants, from
                 /proc): {"procs", "rss_kib", "pss_kib"}; RSS sums shared
                 pages once per process, PSS splits them (the honest total).
  cpu PID        {"cpu_secs"}: utime+stime+cutime+cstime summed over the
                 same tree (children reaped by a live process included).
Loopback addresses only.
"""

import argparse
import hashlib
import json
import os
import selectors
import socket
import sys
import threading
import time

CHUNK = 65536


def say(**kw):
    sys.stdout.write(json.dumps(kw, sort_keys=True) + "\n")
    sys.stdout.flush()


def lifetime_guard(seconds):
    def die():
        time.sleep(seconds)
        os._exit(3)
    threading.Thread(target=die, daemon=True).start()


def cmd_ports(args):
    exclude = {2222} | {int(x) for x in args.exclude.split(",") if x}
    socks, out = [], []
    try:
        while len(out) < args.n:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)	# held until all are chosen: distinct
            p = s.getsockname()[1]
            if p not in exclude:
                out.append(p)
    finally:
        for s in socks:
            s.close()
    print("\n".join(str(p) for p in out))
    return 0


def cmd_echo(args):
    lifetime_guard(args.lifetime)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.bind, args.port))
    ls.listen(4096)
    ls.setblocking(False)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(tmp, args.port_file)
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ, None)
    pending = {}	# socket -> bytes not yet echoed

    def update(c):
        ev = selectors.EVENT_WRITE if pending[c] else selectors.EVENT_READ
        sel.modify(c, ev, "c")

    def drop(c):
        sel.unregister(c)
        del pending[c]
        c.close()

    while True:
        for key, ev in sel.select():
            s = key.fileobj
            if key.data is None:
                try:
                    c, _ = s.accept()
                except OSError:
                    continue
                c.setblocking(False)
                pending[c] = b""
                sel.register(c, selectors.EVENT_READ, "c")
                continue
            try:
                if ev & selectors.EVENT_WRITE:
                    n = s.send(pending[s])
                    pending[s] = pending[s][n:]
                    update(s)
                elif ev & selectors.EVENT_READ:
                    b = s.recv(CHUNK)
                    if not b:
                        drop(s)
                        continue
                    pending[s] = b
                    update(s)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                drop(s)


class Flow:
    def __init__(self, port, nbytes, i):
        self.port = port
        self.data = os.urandom(nbytes)
        self.sent = 0
        self.back = hashlib.sha256()
        self.nback = 0
        self.done = False
        self.error = None
        self.i = i


def cmd_traffic(args):
    ports = [int(p) for p in open(args.ports_file).read().split()]
    sel = selectors.DefaultSelector()
    flows = [Flow(p, args.bytes, i) for i, p in enumerate(ports)]
    t0 = time.monotonic()
    todo = list(flows)
    live = len(flows)

    def start_more():
        # --max-pending: at most that many connections between connect and
        # the end of their echo (a burst of 1,000 connects at one ssh -L
        # overflows its listen backlog of 128; the kernel then resets
        # some of them when the client is too busy to accept in time).
        nonlocal live
        pending = sum(1 for k in sel.get_map().values()
                      if not k.data.done)
        while todo and (args.max_pending == 0 or
                        pending < args.max_pending):
            f = todo.pop(0)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            f.sock = s
            err = s.connect_ex(("127.0.0.1", f.port))
            if err not in (0, 115):	# EINPROGRESS
                f.error = "connect :%d: %s" % (f.port, os.strerror(err))
                f.done = True
                live -= 1
                s.close()
                continue
            sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, f)
            pending += 1

    deadline = t0 + args.timeout
    start_more()
    while live > 0 and time.monotonic() < deadline:
        start_more()
        for key, ev in sel.select(timeout=1.0):
            f, s = key.data, key.fileobj
            try:
                if ev & selectors.EVENT_WRITE and f.sent < len(f.data):
                    f.sent += s.send(f.data[f.sent:f.sent + CHUNK])
                    if f.sent == len(f.data):
                        sel.modify(s, selectors.EVENT_READ, f)
                if ev & selectors.EVENT_READ:
                    b = s.recv(CHUNK)
                    if not b:
                        f.error = "port %d: EOF after %d of %d bytes" % (
                            f.port, f.nback, len(f.data))
                    f.back.update(b)
                    f.nback += len(b)
                    if f.nback >= len(f.data) and f.error is None:
                        if (f.nback != len(f.data) or f.back.digest() !=
                                hashlib.sha256(f.data).digest()):
                            f.error = "port %d: echo differs" % f.port
                    if f.error is not None or f.nback >= len(f.data):
                        sel.unregister(s)
                        if f.error is not None or not args.hold:
                            s.close()
                        f.done = True
                        live -= 1
            except (BlockingIOError, InterruptedError):
                pass
            except OSError as e:
                f.error = "port %d: %s" % (f.port, e)
                sel.unregister(s)
                s.close()
                f.done = True
                live -= 1
    # --hold: every connection stayed open until all had their echo, so
    # all of them were open at the same time; count those still open now.
    held = 0
    if args.hold:
        for f in flows:
            if f.error is None and f.done and f.sock.fileno() >= 0:
                try:
                    if f.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                        f.error = "port %d: bytes after the echo" % f.port
                    else:
                        f.error = "port %d: closed before the end" % f.port
                except BlockingIOError:
                    held += 1
                except OSError as e:
                    f.error = "port %d: %s before the end" % (f.port, e)
                f.sock.close()
    errors = []
    for f in flows:
        if not f.done:
            f.error = "port %d: timeout after %d/%d sent, %d back" % (
                f.port, f.sent, len(f.data), f.nback)
        if f.error is not None:
            errors.append(f.error)
    say(conns=len(flows), ok=len(flows) - len(errors), failed=len(errors),
        bytes_sent=sum(f.sent for f in flows),
        bytes_back=sum(f.nback for f in flows), held_together=held,
        secs=round(time.monotonic() - t0, 3), errors=errors[:10])
    return 0 if not errors else 1


class Loris:
    def __init__(self):
        self.sock = None
        self.banner = b""
        self.t0 = 0.0


def cmd_slowloris(args):
    sel = selectors.DefaultSelector()
    c = {"attempts": 0, "connect_failed": 0, "dropped_no_banner": 0,
         "closed_after_banner": 0, "reconnects": 0}
    grace_secs = []
    first_errors = []
    t_start = time.monotonic()

    def open_one():
        lo = Loris()
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c["attempts"] += 1
        try:
            s.bind((args.src, 0))
            s.settimeout(args.connect_timeout)
            s.connect((args.host, args.port))
        except OSError as e:
            c["connect_failed"] += 1
            if len(first_errors) < 5:
                first_errors.append(str(e))
            s.close()
            return False
        s.setblocking(False)
        lo.sock = s
        lo.t0 = time.monotonic()
        sel.register(s, selectors.EVENT_READ, lo)
        return True

    def poll(timeout):
        closed = 0
        for key, _ in sel.select(timeout=timeout):
            lo, s = key.data, key.fileobj
            try:
                b = s.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                b = b""
            if b:
                lo.banner += b[:256]
                continue
            sel.unregister(s)
            s.close()
            closed += 1
            if lo.banner:
                c["closed_after_banner"] += 1
                grace_secs.append(time.monotonic() - lo.t0)
            else:
                c["dropped_no_banner"] += 1
        return closed

    for _ in range(args.n):
        open_one()
    held = len(sel.get_map())
    with open(args.ready_file + ".tmp", "w") as f:
        json.dump({"state": "ready", "held": held}, f)
    os.rename(args.ready_file + ".tmp", args.ready_file)
    # Keep the pressure on while the legitimate client logs in.
    stop_at = time.monotonic() + args.deadline
    while not os.path.exists(args.stop_file) and time.monotonic() < stop_at:
        for _ in range(poll(0.05)):
            if open_one():
                c["reconnects"] += 1
    held_at_stop = len(sel.get_map())
    banner_held = sum(1 for k in sel.get_map().values() if k.data.banner)
    while sel.get_map() and time.monotonic() < stop_at:
        poll(0.2)
    still_open = len(sel.get_map())
    for k in list(sel.get_map().values()):
        k.fileobj.close()
    say(n=args.n, held_after_connect=held, held_at_stop=held_at_stop,
        banner_held_at_stop=banner_held, still_open=still_open,
        grace_close_secs_min=round(min(grace_secs), 2) if grace_secs else None,
        grace_close_secs_max=round(max(grace_secs), 2) if grace_secs else None,
        secs=round(time.monotonic() - t_start, 2), errors=first_errors, **c)
    return 0


def descendants(root):
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        ppid = int(st[st.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def cmd_mem(args):
    procs = rss = pss = 0
    for p in descendants(args.pid):
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                txt = f.read()
        except OSError:
            continue
        procs += 1
        for line in txt.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    say(procs=procs, rss_kib=rss, pss_kib=pss)
    return 0


def cmd_cpu(args):
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in descendants(args.pid):
        try:
            with open("/proc/%d/stat" % p) as f:
                st = f.read()
        except OSError:
            continue
        v = st[st.rindex(")") + 2:].split()
        total += sum(int(x) for x in v[11:15])	# utime stime cutime cstime
    say(cpu_secs=round(total / tick, 2))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ports")
    p.add_argument("n", type=int)
    p.add_argument("--exclude", default="")
    p = sub.add_parser("echo")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--lifetime", type=float, default=600)
    p = sub.add_parser("traffic")
    p.add_argument("--ports-file", required=True)
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--hold", action="store_true")
    p.add_argument("--max-pending", type=int, default=0)
    p = sub.add_parser("slowloris")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--src", default="127.0.0.2")
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--connect-timeout", type=float, default=5)
    p.add_argument("--ready-file", required=True)
    p.add_argument("--stop-file", required=True)
    p.add_argument("--deadline", type=float, default=120)
    p = sub.add_parser("mem")
    p.add_argument("pid", type=int)
    p = sub.add_parser("cpu")
    p.add_argument("pid", type=int)
    args = ap.parse_args()
    fn = {"ports": cmd_ports, "echo": cmd_echo, "traffic": cmd_traffic,
          "slowloris": cmd_slowloris, "mem": cmd_mem,
          "cpu": cmd_cpu}[args.cmd]
    return fn(args)


if __name__ == "__main__":
    sys.exit(main())

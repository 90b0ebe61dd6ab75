#!/usr/bin/env python3
"""Matrix runner of the t_policy_*.sh tests (used through policy_lib.sh).

  policy_run.py ports N [--suffix DIGITS] [--used FILE]
      print N distinct ports free on 127.0.0.1 and ::1 (10000-32767, never
      2222, none listed in FILE, which gets them appended).

  policy_run.py echo HOST PORT [--source ADDR]
      connect (from ADDR), send bytes, print Y if they come back (echo
      server at the end), N if the connection is closed first, R if it is
      refused (nothing listens), E otherwise.

  policy_run.py banner HOST PORT [--source ADDR]
      print the first line the server sends (an SSH banner), or EOF.

  policy_run.py run --cases FILE --port P --ssh-opts FILE --keys DIR ...
      run a case file against the daemon listening on 127.0.0.1:P with the
      real OpenSSH client, and judge every case by data through the
      forward.  Case file lines (whitespace separated):

        phase NAME CONFIG
        group GID user=U key=NAME [from=ADDR] [keyline=FILE:LINE]
        L ID LPORT HOST PORT EXP [nox] [known=TAG] [xknown=TAG]
        R ID LISTEN HOST PORT EXP [nox] [known=TAG] [xknown=TAG] [addrs=A,B]
        sync

      A phase installs CONFIG as the daemon's configuration (SIGHUP; wait
      for the reload) and runs its groups, --jobs at a time; "sync" waits
      for the groups before it (e.g. two groups using the same port).
      A group is one `ssh -N` connection (as user U with key $KEYS/NAME,
      from source address ADDR) carrying every L (-L LPORT:HOST:PORT) and R
      (-R LISTEN:HOST:PORT) case after it.  The client runs with
      ExitOnForwardFailure=no and LogLevel DEBUG1, so it reports each
      tcpip-forward reply ("remote forward success|failure for: ...") and
      one refused forward does not end the others.  Verdicts:
        L: connect to 127.0.0.1:LPORT, send bytes; Y if they come back
           identical, N if the client closed the connection without data.
        R: N if the server refused the request (and nothing listens on the
           port); Y if it accepted and bytes sent to the listener (the
           allocated port for port 0) come back through the forward.
      Anything else (no reply, partial data, a listener after a refusal)
      is an error E.  addrs=A,B: an accepted R must listen exactly on
      these addresses (as ss prints them, sorted: "127.0.0.1,[::1]").  EXP is Y, N, or ? (record only).  known=TAG marks a
      case whose expectation fails because of a known daemon bug (reported,
      not counted as a failure).

      With --x-daemon, every case (unless nox, or R with port 0) is also
      asked of `DAEMON -f CONFIG -X user=U,addr=A[,key=
      FILE:LINE],open=HOST:PORT|listen=LISTEN` and its exit status (0/1)
      must agree with the observed verdict (--x-opt KEY=VALUE: the same
      -o options as the daemon's).

      --daemon-pid is the running daemon (its configuration file is
      --config-target, its log --daemon-log).  Or, with --start-daemon
      PATH (run under `unshare -n`: a private network namespace), the
      runner brings lo up, starts echo servers (--echo ADDR:PORT, the same
      ports as the test's own), then PATH -D -e -f CONFIG-TARGET -p PORT
      with LD_PRELOAD=--daemon-preload and its own PidFile, and stops it at
      the end: the same matrix runs against a second daemon at the same
      time, on the same port numbers.

      Results go to --results: "ID EXP OBS X STATUS DETAIL" per case;
      STATUS is ok, FAIL, KNOWN or XPASS.  Exit 0 unless a case failed.
      POL_VERBOSE=1 prints the time each phase and group took.
"""

import argparse
import concurrent.futures
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

PAYLOAD = 700
REPLY = re.compile(r"remote forward (success|failure) for: listen "
                   r"(?:(.*):)?(\d+), connect")
ALLOC = re.compile(r"Allocated port (\d+) for remote forward")


def free_on(port, family, addr):
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.bind((addr, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def cmd_ports(args):
    used = set()
    if args.used and os.path.exists(args.used):
        with open(args.used) as f:
            used = {int(x) for x in f.read().split()}
    used.add(2222)
    out = []
    for _ in range(20000):
        if len(out) == args.n:
            break
        p = random.randint(10000, 32767)
        if args.suffix and not str(p).endswith(args.suffix):
            p = int(str(p)[:-len(args.suffix)] + args.suffix)
            if p < 10000 or p > 32767:
                continue
        if p in used or p in out:
            continue
        if not free_on(p, socket.AF_INET, "127.0.0.1"):
            continue
        if not free_on(p, socket.AF_INET6, "::1"):
            continue
        out.append(p)
    if len(out) != args.n:
        print("no %d free ports found" % args.n, file=sys.stderr)
        return 1
    if args.used:
        with open(args.used, "a") as f:
            f.write("".join("%d\n" % p for p in out))
    print(" ".join(str(p) for p in out))
    return 0


class Case:
    def __init__(self, kind, words, group):
        self.kind = kind
        self.group = group
        self.id, a, self.host, port, self.exp = words[:5]
        self.port = int(port)
        if kind == "L":
            self.lport = int(a)
            self.listen = None
        else:
            self.listen = a
        self.flags = {}
        for w in words[5:]:
            k, _, v = w.partition("=")
            self.flags[k] = v
        self.obs = "E"
        self.addrs = None
        self.x = "-"
        self.detail = ""
        self.xout = ""

    def fwd_args(self):
        h = "[%s]" % self.host if ":" in self.host else self.host
        if self.kind == "L":
            return ["-L", "%d:%s:%d" % (self.lport, h, self.port)]
        return ["-R", "%s:%s:%d" % (self.listen, h, self.port)]

    def listen_addr_port(self):
        """Where to connect to test an R case: (addr, port)."""
        spec = self.listen
        m = re.match(r"^\[([^]]*)\]:(\d+)$", spec)
        if m:
            addr, port = m.group(1), m.group(2)
        elif ":" in spec:
            addr, _, port = spec.rpartition(":")
        else:
            addr, port = "localhost", spec
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in addr else
                             socket.AF_INET, addr)
            if addr in ("0.0.0.0", "::"):
                addr = "127.0.0.1" if addr == "0.0.0.0" else "::1"
        except OSError:
            addr = "127.0.0.1"
        return addr, int(port)

    def xspec(self):
        g = self.group
        s = "user=%s,addr=%s" % (g.user, g.addr)
        if g.keyline:
            s += ",key=%s" % g.keyline
        if self.kind == "L":
            h = "[%s]" % self.host if ":" in self.host else self.host
            return s + ",open=%s:%d" % (h, self.port)
        # ssh sends "" for "*" (channel_rfwd_bind_host)
        listen = self.listen[1:] if self.listen.startswith("*:") \
            else self.listen
        return s + ",listen=%s" % listen


class Group:
    def __init__(self, words):
        self.id = words[0]
        kv = dict(w.partition("=")[::2] for w in words[1:])
        self.user = kv["user"]
        self.key = kv.get("key", self.user)
        self.addr = kv.get("from", "127.0.0.1")
        self.keyline = kv.get("keyline", "")
        self.cases = []
        self.err = []


class Phase:
    def __init__(self, name, config):
        self.name = name
        self.config = config
        self.groups = []
        self.err = ""


def parse_cases(path):
    phases = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if words[0] == "phase" and len(words) == 3:
                phases.append(Phase(words[1], words[2]))
            elif words[0] == "sync" and phases:
                phases[-1].groups.append(None)
            elif words[0] == "group" and phases:
                g = Group(words[1:])
                g.phase = phases[-1]
                phases[-1].groups.append(g)
            elif words[0] in ("L", "R") and phases and phases[-1].groups \
                    and phases[-1].groups[-1] and len(words) >= 6:
                g = phases[-1].groups[-1]
                g.cases.append(Case(words[0], words[1:], g))
            else:
                raise SystemExit("%s:%d: bad line" % (path, n))
    return phases


def echo_through(addr, port, timeout, source=None):
    """Y: our bytes came back; N: closed without data; R: connection
    refused (nothing listens); E: other."""
    data = os.urandom(PAYLOAD)
    try:
        c = socket.create_connection((addr, port), timeout=timeout,
                                     source_address=(source, 0)
                                     if source else None)
    except ConnectionRefusedError:
        return "R", "connection refused"
    except OSError as e:
        return "E", "connect: %s" % e
    got = b""
    try:
        c.settimeout(timeout)
        try:
            c.sendall(data)
        except OSError:
            pass    # closed under us: judged by what we read
        while len(got) < len(data):
            b = c.recv(65536)
            if not b:
                break
            got += b
    except ConnectionResetError:
        pass
    except OSError as e:
        return "E", "%s after %d bytes" % (e, len(got))
    finally:
        c.close()
    if got == data:
        return "Y", "echoed %d bytes" % len(got)
    if not got:
        return "N", "closed without data"
    return "E", "%d of %d bytes, differing" % (len(got), len(data))


def listen_addrs(port):
    """The local addresses listening on TCP port, as ss prints them without
    the port, sorted and comma-separated (e.g. "127.0.0.1,[::1]")."""
    out = subprocess.run(["ss", "-Hltn", "sport = :%d" % port],
                         capture_output=True, text=True).stdout
    addrs = sorted({line.split()[3].rsplit(":", 1)[0]
                    for line in out.splitlines() if len(line.split()) > 3})
    return ",".join(addrs) or "none"


def connect_addr(addrs, asked):
    """An address to reach a listener bound on addrs (listen_addrs)."""
    a = addrs.split(",")
    if "127.0.0.1" in a or "0.0.0.0" in a or "*" in a:
        return "127.0.0.1"
    if "[::1]" in a or "[::]" in a:
        return "::1"
    return a[0].strip("[]") if a[0] != "none" else asked


def refused(addr, port):
    try:
        c = socket.create_connection((addr, port), timeout=2)
    except OSError:
        return True
    c.close()
    return False


def stop(p, timeout):
    """SIGTERM, repeated: OpenSSH 9.2's client checks for it before poll(),
    so a signal landing just before poll() is only seen with the next."""
    end = time.monotonic() + timeout
    while p.poll() is None and time.monotonic() < end:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            pass
    if p.poll() is None:
        p.kill()
        p.wait()


class Runner:
    def __init__(self, args):
        self.a = args
        self.base = []
        with open(args.ssh_opts) as f:
            opts = [w.rstrip("\n") for w in f]
        i = 0
        while i < len(opts):
            if opts[i] == "-o" and i + 1 < len(opts) and \
                    re.match(r"(?i)(LogLevel|User)=", opts[i + 1]):
                i += 2
                continue
            if opts[i] == "-i":
                i += 2
                continue
            self.base.append(opts[i])
            i += 1
        self.env = {k: v for k, v in os.environ.items()
                    if not (k == "LD_PRELOAD" or k.startswith("NSS_WRAPPER")
                            or k.startswith("PAM_WRAPPER"))}
        self.xenv = dict(os.environ)
        if args.x_preload:
            self.xenv["LD_PRELOAD"] = args.x_preload

    def xstart(self, case):
        if not self.a.x_daemon or "nox" in case.flags:
            return None
        if case.kind == "R" and case.listen_addr_port()[1] == 0:
            return None
        opts = [w for o in self.a.x_opt for w in ("-o", o)]
        return subprocess.Popen(
            [self.a.x_daemon, "-f", case.group.phase.config] + opts +
            ["-X", case.xspec()],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=self.xenv, text=True)

    def run_group(self, g):
        t = self.a.timeout
        cmd = ["ssh"] + self.base + [
            "-o", "User=%s" % g.user, "-i", os.path.join(self.a.keys, g.key),
            "-o", "LogLevel=DEBUG1", "-o", "ExitOnForwardFailure=no", "-N"]
        if g.addr != "127.0.0.1":
            cmd += ["-o", "BindAddress=%s" % g.addr]
        nr = 0
        for c in g.cases:
            cmd += c.fwd_args()
            nr += c.kind == "R"
        cmd += ["-p", str(self.a.port), "127.0.0.1"]
        xprocs = [(c, self.xstart(c)) for c in g.cases]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env=self.env,
                             text=True, errors="replace")
        lines = []
        cond = threading.Condition()

        def reader():
            for line in p.stderr:
                with cond:
                    lines.append(line.rstrip("\n"))
                    cond.notify_all()
            with cond:
                lines.append(None)
                cond.notify_all()
        threading.Thread(target=reader, daemon=True).start()

        rcases = [c for c in g.cases if c.kind == "R"]

        def ready():
            if lines and lines[-1] is None:
                return True
            if not any("Entering interactive session" in x
                       for x in lines if x):
                return False
            reps = [m.group(1) for m in (REPLY.search(x) for x in lines if x)
                    if m]
            if len(reps) < nr:
                return False
            # port 0: "Allocated port" follows the success line
            want = sum(1 for c, r in zip(rcases, reps) if r == "success"
                       and c.listen_addr_port()[1] == 0)
            return sum(1 for x in lines if x and ALLOC.search(x)) >= want
        tm = [time.monotonic()]
        with cond:
            cond.wait_for(ready, timeout=t)
            ok = ready() and lines[-1] is not None
            snapshot = [x for x in lines if x]
        try:
            if not ok:
                why = "ssh exited" if lines and lines[-1] is None \
                    else "no reply within %ds" % t
                for c in g.cases:
                    c.obs, c.detail = "E", why
                g.err = snapshot[-15:]
                return
            replies = [m for m in (REPLY.search(x) for x in snapshot) if m]
            allocated = [int(m.group(1)) for m in
                         (ALLOC.search(x) for x in snapshot) if m]
            ri = 0
            for c in g.cases:
                if c.kind == "L":
                    c.obs, c.detail = echo_through("127.0.0.1", c.lport, t)
                    if c.obs == "R":
                        c.obs = "E"     # ssh does not listen on LPORT
                    continue
                m = replies[ri] if ri < len(replies) else None
                ri += 1
                addr, port = c.listen_addr_port()
                if m is None:
                    c.obs, c.detail = "E", "no reply line from ssh"
                elif m.group(1) == "failure":
                    if port == 0 or refused(addr, port):
                        c.obs, c.detail = "N", "request refused"
                    else:
                        c.obs = "E"
                        c.detail = "refused, but %s:%d listens" % (addr, port)
                else:
                    if port == 0:
                        if not allocated:
                            c.obs, c.detail = "E", "no allocated port"
                            continue
                        port = allocated.pop(0)
                        c.detail = "allocated %d; " % port
                    if "addrs" in c.flags:
                        c.addrs = listen_addrs(port)
                        c.detail += "addrs=%s " % c.addrs
                    o, d = echo_through(addr, port, t)
                    if o == "R":
                        # bound elsewhere than asked (GatewayPorts)
                        addr = connect_addr(listen_addrs(port), addr)
                        o, d = echo_through(addr, port, t)
                    c.detail += d
                    c.obs = "Y" if o == "Y" else "E"
                    if o != "Y":
                        c.detail = "accepted, but " + c.detail
                    c.alloc = port
        finally:
            tm.append(time.monotonic())
            stop(p, t)
            tm.append(time.monotonic())
            for c, xp in xprocs:
                if xp is None:
                    continue
                out, _ = xp.communicate(timeout=t)
                c.xout = out.strip().replace("\n", " | ")
                c.x = {0: "Y", 1: "N"}.get(xp.returncode, "E")
            tm.append(time.monotonic())
            if os.environ.get("POL_VERBOSE"):
                print("  group %s: ready+cases %.2fs, ssh exit %.2fs, "
                      "-X %.2fs" % (g.id, tm[1] - tm[0], tm[2] - tm[1],
                                    tm[3] - tm[2]), file=sys.stderr)
            if any(c.obs == "E" for c in g.cases) and not g.err:
                g.err = [x for x in lines if x][-15:]

    def verdict(self, c):
        bad = []
        if c.exp != "?" and c.obs != c.exp:
            bad.append("expected %s, observed %s" % (c.exp, c.obs))
        want = c.flags.get("addrs")
        if want and c.obs == "Y" and c.addrs != want:
            bad.append("expected listeners on %s, found %s" % (want, c.addrs))
            return "FAIL", "; ".join(bad)
        if c.x not in ("-", c.obs):
            bad.append("-X says %s, observed %s" % (c.x, c.obs))
        if not bad:
            if c.flags.get("known") or (c.flags.get("xknown") and
                                        c.x != "-"):
                return "XPASS", ""
            return "ok", ""
        if c.obs == "E":
            return "FAIL", "; ".join(bad)
        known = c.flags.get("known") if c.exp != "?" and c.obs != c.exp \
            else None
        xknown = c.flags.get("xknown") if c.x not in ("-", c.obs) else None
        need = [k for k, b in ((known, c.exp != "?" and c.obs != c.exp),
                               (xknown, c.x not in ("-", c.obs))) if b]
        if all(need):
            return "KNOWN", "; ".join(bad)
        return "FAIL", "; ".join(bad)


def log_count(path, needles):
    try:
        with open(path, errors="replace") as f:
            return sum(1 for line in f if any(n in line for n in needles))
    except OSError:
        return 0


def own_config(args, text):
    """With --start-daemon, the daemon's PidFile is its own."""
    if not args.start_daemon:
        return text
    return re.sub(rb"(?mi)^PidFile .*$",
                  ("PidFile %s.pid" % args.config_target).encode(), text)


def echo_server(spec):
    """Listen on [ADDR]:PORT / ADDR:PORT and echo every connection."""
    m = re.match(r"^\[(.*)\]:(\d+)$", spec) or re.match(r"^(.*):(\d+)$", spec)
    addr, port = m.group(1), int(m.group(2))
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)

    def conn(c):
        try:
            while True:
                b = c.recv(65536)
                if not b:
                    break
                c.sendall(b)
            c.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            c.close()

    def loop():
        while True:
            c, _ = s.accept()
            threading.Thread(target=conn, args=(c,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()


def start_daemon(args, phases):
    """--start-daemon: bring lo up (a fresh network namespace), start the
    echo servers and the daemon with the first phase's configuration."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    for e in args.echo:
        echo_server(e)
    with open(phases[0].config, "rb") as f:
        text = own_config(args, f.read())
    with open(args.config_target, "wb") as f:
        f.write(text)
    if args.backend == "openssh":
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    env = dict(os.environ)
    if args.daemon_preload:
        env["LD_PRELOAD"] = args.daemon_preload
    log = open(args.daemon_log, "ab")
    p = subprocess.Popen([args.start_daemon, "-D", "-e", "-f",
                          args.config_target, "-p", str(args.port)],
                         stdin=subprocess.DEVNULL, stdout=log,
                         stderr=subprocess.STDOUT, env=env)
    log.close()
    end = time.monotonic() + args.timeout
    done = ["Server listening on 127.0.0.1 port %d." % args.port]
    while log_count(args.daemon_log, done) == 0:
        if p.poll() is not None or time.monotonic() > end:
            raise SystemExit("%s: %s did not start (see %s)" % (
                args.tag, args.start_daemon, args.daemon_log))
        time.sleep(0.02)
    args.daemon_pid = p.pid
    return p


def switch_config(args, ph):
    """Install ph.config as the daemon's configuration (SIGHUP) and wait
    until new connections get it.  Returns an error text or ""."""
    with open(ph.config, "rb") as f:
        new = own_config(args, f.read())
    try:
        with open(args.config_target, "rb") as f:
            if f.read() == new:
                return ""
    except OSError:
        pass
    with open(args.config_target + ".tmp", "wb") as f:
        f.write(new)
    os.rename(args.config_target + ".tmp", args.config_target)
    if args.backend == "openssh":
        # sshd re-executes itself on SIGHUP and needs this directory
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        done = ["Server listening on 127.0.0.1 port %d." % args.port]
        bad = ["Missing privilege separation", "terminating"]
    else:
        done = ["Configuration reloaded.", "Configuration reload failed"]
        bad = ["Configuration reload failed"]
    n0 = log_count(args.daemon_log, done)
    b0 = log_count(args.daemon_log, bad)
    os.kill(args.daemon_pid, signal.SIGHUP)
    end = time.monotonic() + args.timeout
    while time.monotonic() < end:
        if log_count(args.daemon_log, bad) > b0:
            return "the daemon refused configuration %s" % ph.config
        if log_count(args.daemon_log, done) > n0:
            return ""
        time.sleep(0.02)
    return "no reload of %s within %ds" % (ph.config, args.timeout)


def cmd_run(args):
    phases = parse_cases(args.cases)
    daemon = start_daemon(args, phases) if args.start_daemon else None
    try:
        return run_phases(args, phases)
    finally:
        if daemon is not None:
            stop(daemon, args.timeout)


def run_phases(args, phases):
    r = Runner(args)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        for ph in phases:
            t0 = time.monotonic()
            ph.err = switch_config(args, ph)
            t1 = time.monotonic()
            if ph.err:
                print("%s: phase %s: %s" % (args.tag, ph.name, ph.err),
                      file=sys.stderr)
                return 1
            batch = []
            for g in ph.groups + [None]:
                if g is not None:
                    batch.append(ex.submit(r.run_group, g))
                    continue
                for f in batch:
                    f.result()
                batch = []
            ph.groups = [g for g in ph.groups if g is not None]
            if os.environ.get("POL_VERBOSE"):
                print("%s: phase %s: reload %.2fs, %d group(s) %.2fs" % (
                    args.tag, ph.name, t1 - t0, len(ph.groups),
                    time.monotonic() - t1), file=sys.stderr)
    failed = 0
    with open(args.results, "w") as out:
        for g in [g for ph in phases for g in ph.groups]:
            for c in g.cases:
                st, why = r.verdict(c)
                failed += st == "FAIL"
                out.write("%s %s %s %s %s %s\n" % (
                    c.id, c.exp, c.obs, c.x, st, c.detail))
                if st != "ok":
                    tag = c.flags.get("known") or c.flags.get("xknown") or ""
                    print("%s: %s %s: %s (%s) %s" % (
                        args.tag, st, c.id, why or "passes now", c.detail,
                        tag), file=sys.stderr)
                    if c.xout and st != "XPASS":
                        print("    -X %s: %s" % (c.xspec(), c.xout),
                              file=sys.stderr)
            if g.err and any(r.verdict(c)[0] == "FAIL" for c in g.cases):
                print("    ssh (group %s) said:" % g.id, file=sys.stderr)
                for x in g.err:
                    print("      " + x, file=sys.stderr)
    return 1 if failed else 0


def cmd_echo(args):
    v, d = echo_through(args.host, args.port, args.timeout, args.source)
    print(v)
    if v in ("E", "R"):
        print(d, file=sys.stderr)
    return 0


def cmd_banner(args):
    """Print the first line the server sends, or EOF if it closes first."""
    c = socket.create_connection((args.host, args.port), timeout=args.timeout,
                                 source_address=(args.source, 0)
                                 if args.source else None)
    c.settimeout(args.timeout)
    got = b""
    try:
        while b"\n" not in got:
            b = c.recv(256)
            if not b:
                break
            got += b
    except ConnectionResetError:
        pass
    finally:
        c.close()
    print(got.split(b"\n")[0].decode("ascii", "replace").strip() if got
          else "EOF")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ports")
    p.add_argument("n", type=int)
    p.add_argument("--suffix", default="")
    p.add_argument("--used")
    p = sub.add_parser("run")
    p.add_argument("--cases", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ssh-opts", required=True)
    p.add_argument("--keys", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--tag", default="policy")
    p.add_argument("--jobs", type=int, default=4)
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("--daemon-pid", type=int)
    p.add_argument("--start-daemon")
    p.add_argument("--daemon-preload")
    p.add_argument("--echo", action="append", default=[])
    p.add_argument("--daemon-log", required=True)
    p.add_argument("--config-target", required=True)
    p.add_argument("--backend", default="portcullis")
    p.add_argument("--x-daemon")
    p.add_argument("--x-preload")
    p.add_argument("--x-opt", action="append", default=[])
    for name in ("echo", "banner"):
        p = sub.add_parser(name)
        p.add_argument("host")
        p.add_argument("port", type=int)
        p.add_argument("--source")
        p.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    if args.cmd == "run" and not (args.daemon_pid or args.start_daemon):
        ap.error("run needs --daemon-pid or --start-daemon")
    return {"ports": cmd_ports, "run": cmd_run, "echo": cmd_echo,
            "banner": cmd_banner}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())

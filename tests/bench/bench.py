#!/usr/bin/python3
"""tests/bench/bench.py: portcullisd against Debian's OpenSSH sshd.

Run through `make bench` / `make bench-quick` (or tests/bench/bench.sh).
Needs root (both daemons log in root with a key), OpenSSH's ssh and
/usr/sbin/sshd, python3-paramiko (for the 1,000-channel load client) and
tests/bench/blast (the C data source/sink).  Loopback only; ports come from
the kernel (never 22 or 2222); the system's ssh service is never touched.

Setup
  A temp dir holds one ed25519 host key per daemon, one ed25519 client key,
  authorized_keys (root logs in: PermitRootLogin prohibit-password,
  AuthorizedKeysFile pointing into the temp dir, StrictModes no, UsePAM no)
  and one sshd_config per daemon with the same lines (Port, ListenAddress
  127.0.0.1, HostKey, PidFile, KexAlgorithms curve25519-sha256 and its
  @libssh.org alias for paramiko, MaxStartups/MaxSessions raised so the
  parallel workloads are not throttled, LogLevel INFO).  Both daemons run
  with -D -e -f CONFIG for the whole run, under nss_wrapper (LD_PRELOAD)
  with a copy of the system's passwd in which root's home is the temp dir
  and its shell /bin/sh: the host's root dotfiles must not be measured
  (bash started by sshd sources ~/.bashrc).  The client is the real OpenSSH
  ssh: -F /dev/null, -c CIPHER (aes128-gcm@openssh.com unless a workload
  names another), -o KexAlgorithms=curve25519-sha256, ed25519 host and user
  keys.  blast (C, 1 MiB buffers, epoll) is the data source, sink and echo
  target; it moves about 2.7 GB/s on loopback here, far above any tunnel.

Order
  For each workload: repetition 1 on every daemon (A B), repetition 2
  (A B), ... (BENCH_REPS, default 3).  Reported: median [min-max] per daemon
  and the ratio portcullisd/OpenSSH of the medians.  No figure is ever
  asserted; the exit status is 1 only if a workload failed (transfer not
  delivered, every connection refused, a daemon died...).

Server CPU
  CPU of a daemon = the sum of utime+stime+cutime+cstime (/proc/PID/stat)
  over its whole process tree: the listener and every live (or zombie)
  descendant.  Both daemons reap their children with waitpid() at every
  level (listener -> connection/monitor -> session child -> command), so the
  CPU of a process that exits is folded into its parent's cutime/cstime and
  the sum never loses it.  A workload is measured as the difference between
  a reading taken once its SSH connection is up (so handshake cost is
  excluded from transfer workloads) and one taken after the client has gone
  and the tree is back to the bare listener (every connection process
  exited and reaped).  Handshake workloads take both readings with the tree
  bare, so they include everything a connection costs.  Resolution: 10 ms
  per reading (CLK_TCK 100).

Memory
  RSS and PSS (/proc/PID/smaps_rollup) of the daemon's tree while N idle
  authenticated `ssh -N` sessions are up, once every client has logged
  "Authenticated to" and the process count is stable.  RSS per session =
  RSS summed over the processes that are not the bare listener, / N.
  PSS per session = (tree PSS with the sessions - tree PSS bare) / N, i.e.
  the marginal memory (forked children share pages with the listener).

Workloads (BENCH_WORKLOADS: comma list of names; default all but the two
marked optional)
  L-aes, L-chacha   BENCH_SIZE bytes pushed into one `ssh -N -L` port to a
                    sink behind the server: client->server, the server's
                    receive/decrypt path.  MB/s (10^6) measured from connect
                    until the sink's byte count came back through the tunnel
                    (full delivery), server CPU-s per GB (10^9), and the
                    system (kernel) part of it, sys-s/GB; client CPU-s/GB is
                    the `ssh` client's own (the other end of the tunnel:
                    on 2 cores what it spends is taken from the server).
  R-aes, R-chacha   BENCH_SIZE bytes pushed into the server's `-R` listener
                    to a sink behind the client: the server's encrypt path.
  par100            100 parallel connections x 10 MiB through one -L.
  seq1000           1,000 sequential short connections through -L to an echo
                    target (connect, 32 bytes there and back, close): conn/s,
                    p50/p99 ms, server CPU-ms per connection.
  pingpong          1-byte ping-pong through -L, 10,000 round trips: p50/p99.
  hs-W              sequential `ssh -W` to the echo target (stdin at EOF):
                    conn/s, p50/p99 ms (wall time of each ssh), server
                    CPU-ms per connection.
  hs-exec           sequential `ssh HOST true`.
  hs-exec4          `ssh HOST true` from 4 parallel workers.
  hs-W4             (optional) `ssh -W` from 4 parallel workers.
  idle50            50 idle authenticated `ssh -N`: RSS and PSS KiB/session.
  chan1000          paramiko (own load client, aes128-ctr: paramiko has no
                    GCM) opens 1,000 direct-tcpip channels on ONE connection,
                    16 bytes echoed on each, all held open: failures, open
                    rate, marginal PSS KiB per channel, server CPU-ms/channel.
  chan-ssh          (optional) the same through one `ssh -N -L` with 1,000 concurrent
                    TCP connections (OpenSSH's client multiplexes them).

Knobs (environment)
  BENCH_REPS (3)  BENCH_SIZE (1G; K/M/G suffixes, binary)  BENCH_QUICK=1
  (tiny sizes, 1 repetition: proves the harness in < 3 minutes)
  BENCH_PAR (NxSIZE, default 100x10M: par100's connections and size)
  BENCH_SERVERS (portcullisd,openssh)  BENCH_WORKLOADS  BENCH_OUT (result
  file; default $BENCH_RESULTS_DIR/results-DATE.txt, plus a .json beside it
  with every sample)  BENCH_KEEP=1 (keep the temp dir and daemon logs)
  BENCH_LOGIN (root; or pcbench, an nss_wrapper user uid 20050: OpenSSH
  skips its post-auth privilege split for root, so root logins cost it one
  process per connection less than a real user's)
  PORTCULLISD, BENCH_BLAST, BENCH_SSHD (/usr/sbin/sshd), BENCH_SSH (ssh).
  BENCH_PC_WRAPPER: a command put before portcullisd, for profiling, e.g.
  "valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p" (with
  BENCH_SERVERS=portcullisd BENCH_WORKLOADS=L-aes BENCH_SIZE=64M
  BENCH_REPS=1; then callgrind_annotate the connection process's file).
  Its timings and CPU figures are then meaningless; instruction counts
  are what to read.  BENCH_OSSH_WRAPPER: the same for OpenSSH's sshd (e.g.
  "strace -f -c -o FILE" around both to compare system calls).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import (DEADLINE, BenchError, fmt, free_port, listening,
                      loadavg, mem_kb, parse_size, render, spawn, stop,
                      stop_all, summarize, tree, tree_cpu, wait_for,
                      version_of, git_rev)

BENCH_USER = "pcbench"
BENCH_UID = 20050
CHAN_CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "chanclient.py")

# ---------------------------------------------------------------------------
# Settings


class Settings:
    def __init__(self):
        env = os.environ
        self.quick = env.get("BENCH_QUICK", "") not in ("", "0")
        self.reps = int(env.get("BENCH_REPS", "1" if self.quick else "3"))
        self.size = parse_size(env.get("BENCH_SIZE",
                                       "32M" if self.quick else "1G"))
        q = self.quick
        self.par_n, self.par_size = (10, 1 << 20) if q else (100, 10 << 20)
        if env.get("BENCH_PAR"):
            n, size = env["BENCH_PAR"].lower().split("x", 1)
            self.par_n, self.par_size = int(n), parse_size(size)
        self.seq_n = 100 if q else 1000
        self.ping_n = 500 if q else 10000
        self.hs_n = 10 if q else 100
        self.hs4_n = 12 if q else 200
        self.idle_n = 5 if q else 50
        self.chan_n = 50 if q else 1000
        self.servers = [s.strip() for s in
                        env.get("BENCH_SERVERS", "portcullisd,openssh")
                        .split(",") if s.strip()]
        default_wl = [w for w in WORKLOADS if w not in OPTIONAL]
        wl = env.get("BENCH_WORKLOADS", "")
        self.workloads = ([w.strip() for w in wl.split(",") if w.strip()]
                          if wl else default_wl)
        for w in self.workloads:
            if w not in WORKLOADS:
                sys.exit("bench: unknown workload %r (known: %s)"
                         % (w, ", ".join(WORKLOADS)))
        for s in self.servers:
            if s not in ("portcullisd", "openssh"):
                sys.exit("bench: unknown server %r" % s)
        here = os.path.dirname(os.path.abspath(__file__))
        self.portcullisd = env.get("PORTCULLISD", "")
        self.blast = env.get("BENCH_BLAST", "")
        self.sshd = env.get("BENCH_SSHD", "/usr/sbin/sshd")
        self.ssh = env.get("BENCH_SSH", shutil.which("ssh") or "/usr/bin/ssh")
        self.keep = env.get("BENCH_KEEP", "") not in ("", "0")
        self.results_dir = env.get("BENCH_RESULTS_DIR", here)
        self.out = env.get("BENCH_OUT", "")
        self.python = env.get("BENCH_PYTHON", "/usr/bin/python3")
        self.pc_wrapper = env.get("BENCH_PC_WRAPPER", "").split()
        self.ossh_wrapper = env.get("BENCH_OSSH_WRAPPER", "").split()
        self.user = env.get("BENCH_LOGIN", "root")
        if self.user not in ("root", BENCH_USER):
            sys.exit("bench: BENCH_LOGIN is root or " + BENCH_USER)


# ---------------------------------------------------------------------------
# Daemons


class Daemon:
    def __init__(self, name, tmp, cfg):
        self.name = name
        self.tmp = tmp
        self.cfg = cfg
        self.port = None
        self.proc = None
        self.baseline = set()
        self.log = os.path.join(tmp, name + ".log")
        self.hostkey = os.path.join(tmp, "hostkey_" + name)
        self.config = os.path.join(tmp, name + "_config")

    def argv(self):
        if self.name == "openssh":
            return self.cfg.ossh_wrapper + [self.cfg.sshd, "-D", "-e", "-f",
                                            self.config]
        return self.cfg.pc_wrapper + [self.cfg.portcullisd, "-D", "-e", "-f",
                                      self.config]

    def write_config(self):
        lines = [
            "Port %d" % self.port,
            "ListenAddress 127.0.0.1",
            "HostKey " + self.hostkey,
            "PidFile " + os.path.join(self.tmp, self.name + ".pid"),
            "AuthorizedKeysFile " + os.path.join(self.tmp,
                                                 "authorized_keys"),
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org",
            "AllowTcpForwarding yes",
            "MaxStartups 1000",
            "MaxSessions 100",
            "LogLevel INFO",
        ]
        with open(self.config, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self, daemon_env):
        if self.name == "openssh":
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        for attempt in range(5):
            self.port = free_port()
            self.write_config()
            logf = open(self.log, "a")
            self.proc = spawn(self.argv(), stdout=logf,
                              stderr=subprocess.STDOUT, env=daemon_env)
            logf.close()
            try:
                wait_for(lambda: listening(self.port),
                         "%s listening on %d" % (self.name, self.port),
                         timeout=20, proc=self.proc)
                break
            except BenchError:
                stop(self.proc)
                if attempt == 4:
                    raise
        self.baseline = set(tree(self.proc.pid))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def quiesce(self, timeout=DEADLINE):
        """Wait until the tree is back to the bare listener."""
        def bare():
            return set(tree(self.proc.pid)) <= self.baseline
        wait_for(bare, "%s connection processes to exit" % self.name,
                 timeout=timeout, proc=self.proc)

    def cpu(self):
        return tree_cpu(self.proc.pid)

    def mem(self):
        """(rss_new_kb, pss_total_kb, n_procs): RSS of non-baseline
        processes, PSS of the whole tree."""
        rss_new = pss = n = 0
        for pid in tree(self.proc.pid):
            m = mem_kb(pid)
            if m is None:
                continue
            n += 1
            pss += m[1]
            if pid not in self.baseline:
                rss_new += m[0]
        return rss_new, pss, n

    def nprocs(self):
        return len(tree(self.proc.pid))

    def log_tail(self, n=15):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


# ---------------------------------------------------------------------------
# Clients


class Env:
    """What every workload needs: settings, temp dir, targets, daemons."""

    def __init__(self, cfg, tmp):
        self.cfg = cfg
        self.tmp = tmp
        self.key = os.path.join(tmp, "client_key")
        self.known_hosts = os.path.join(tmp, "known_hosts")
        self.sink_port = None
        self.echo_port = None

    def ssh_argv(self, d, cipher="aes128-gcm@openssh.com", extra=(),
                 loglevel="ERROR"):
        return [self.cfg.ssh, "-F", "/dev/null", "-p", str(d.port),
                "-i", self.key, "-l", self.cfg.user,
                "-c", cipher,
                "-o", "KexAlgorithms=curve25519-sha256",
                "-o", "HostKeyAlgorithms=ssh-ed25519",
                "-o", "PubkeyAcceptedAlgorithms=ssh-ed25519",
                "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + self.known_hosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "UpdateHostKeys=no",
                "-o", "ControlMaster=no",
                "-o", "ControlPath=none",
                "-o", "ConnectTimeout=30",
                "-o", "LogLevel=" + loglevel] + list(extra) + ["127.0.0.1"]

    def blast(self, *args, timeout=None):
        argv = [self.cfg.blast] + [str(a) for a in args]
        r = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           timeout=timeout or 600)
        out = r.stdout.strip().splitlines()
        if r.returncode not in (0, 1) or not out:
            raise BenchError("blast %s: exit %d: %s %s"
                             % (" ".join(argv[1:]), r.returncode,
                                r.stdout, r.stderr))
        kv = {}
        for tok in out[-1].split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                kv[k] = float(v)
        return kv


class Tunnel:
    """One `ssh -N -L|-R` connection, up until closed."""

    def __init__(self, env, d, mode, target_port, cipher):
        self.env, self.d = env, d
        self.port = free_port()
        spec = "%d:127.0.0.1:%d" % (self.port, target_port)
        self.errlog = os.path.join(env.tmp, "tunnel.err")
        errf = open(self.errlog, "w")
        self.proc = spawn(env.ssh_argv(
            d, cipher, ["-N", "-o", "ExitOnForwardFailure=yes",
                        "-" + mode, spec]), stderr=errf)
        errf.close()
        try:
            wait_for(lambda: listening(self.port),
                     "-%s tunnel on port %d" % (mode, self.port),
                     proc=self.proc)
        except BenchError as e:
            self.close()
            raise BenchError("%s (ssh: %s)" % (e, self.err()))

    def err(self):
        try:
            with open(self.errlog) as f:
                return f.read().strip()
        except OSError:
            return ""

    def close(self):
        stop(self.proc)


def with_tunnel(env, d, mode, target, cipher, body):
    """Run body(port) with a tunnel up; return (body result, server CPU s
    from the tunnel being up to the tree being bare again, the ssh client's
    CPU s during body)."""
    t = Tunnel(env, d, mode, target, cipher)
    try:
        cpu0 = d.cpu()
        ccpu0 = tree_cpu(t.proc.pid)
        res = body(t.port)
        ccpu = tree_cpu(t.proc.pid) - ccpu0
    finally:
        t.close()
    d.quiesce()
    return res, d.cpu() - cpu0, ccpu


# ---------------------------------------------------------------------------
# Workloads: each returns {metric: value}.  Metric names carry their unit.


def wl_throughput(mode, cipher):
    def run(env, d):
        size = env.cfg.size
        target = env.sink_port
        tmo = max(120, size / 5e6)
        r, cpu, ccpu = with_tunnel(env, d, mode, target, cipher,
                                   lambda p: env.blast("send", p, size,
                                                       timeout=tmo))
        if r.get("failed", 1) != 0:
            raise BenchError("transfer not fully delivered: %s" % r)
        return {"MB/s": r["mbps"], "CPU-s/GB": cpu.total / (size / 1e9),
                "sys-s/GB": cpu.sys / (size / 1e9),
                "client CPU-s/GB": ccpu.total / (size / 1e9)}
    return run


def wl_par(env, d):
    n, size = env.cfg.par_n, env.cfg.par_size
    r, cpu, _ = with_tunnel(env, d, "L", env.sink_port,
                            "aes128-gcm@openssh.com",
                            lambda p: env.blast("par", p, n, size))
    total = n * size
    return {"MB/s": r["mbps"], "CPU-s/GB": cpu.total / (total / 1e9),
            "sys-s/GB": cpu.sys / (total / 1e9),
            "failed conns": r["failed"]}


def wl_seq(env, d):
    n = env.cfg.seq_n
    r, cpu, _ = with_tunnel(env, d, "L", env.echo_port,
                            "aes128-gcm@openssh.com",
                            lambda p: env.blast("seq", p, n))
    return {"conn/s": r["rate"], "p50 ms": r["p50_ms"],
            "p99 ms": r["p99_ms"], "CPU-ms/conn": cpu.total * 1e3 / n,
            "failed conns": r["failed"]}


def wl_ping(env, d):
    n = env.cfg.ping_n
    r, cpu, _ = with_tunnel(env, d, "L", env.echo_port,
                            "aes128-gcm@openssh.com",
                            lambda p: env.blast("pingpong", p, n))
    if r["failed"]:
        raise BenchError("ping-pong failed: %s" % r)
    return {"p50 us": r["p50_ms"] * 1e3, "p99 us": r["p99_ms"] * 1e3,
            "CPU-us/rtt": cpu.total * 1e6 / n}


def pct(vals, p):
    v = sorted(vals)
    if not v:
        return float("nan")
    i = max(1, min(len(v), int(p / 100.0 * len(v) + 0.999999)))
    return v[i - 1]


def wl_handshake(kind, workers):
    def run(env, d):
        n = env.cfg.hs4_n if workers > 1 else env.cfg.hs_n
        if kind == "W":
            argv = env.ssh_argv(d, extra=["-W",
                                          "127.0.0.1:%d" % env.echo_port])
        else:
            argv = env.ssh_argv(d) + ["true"]
        lat, fails, lock = [], [], threading.Lock()
        todo = list(range(n))

        def worker():
            while True:
                with lock:
                    if not todo:
                        return
                    todo.pop()
                t0 = time.monotonic()
                r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, timeout=60)
                dt = time.monotonic() - t0
                with lock:
                    if r.returncode == 0:
                        lat.append(dt)
                    else:
                        fails.append(r.stderr.decode(errors="replace")
                                     .strip()[:200])

        d.quiesce()
        cpu0 = d.cpu()
        t0 = time.monotonic()
        threads = [threading.Thread(target=worker) for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        d.quiesce()
        cpu = d.cpu() - cpu0
        if len(fails) == n:
            raise BenchError("every ssh failed, e.g.: %s" % fails[0])
        return {"conn/s": len(lat) / elapsed, "p50 ms": pct(lat, 50) * 1e3,
                "p99 ms": pct(lat, 99) * 1e3,
                "CPU-ms/conn": cpu.total * 1e3 / n,
                "sys-ms/conn": cpu.sys * 1e3 / n,
                "minflt/conn": cpu.faults / n, "failed conns": len(fails)}
    return run


def settle(d, timeout=DEADLINE):
    """Wait until the daemon's process count stops changing (5 readings
    100 ms apart)."""
    start, last, same = time.monotonic(), -1, 0
    while same < 5:
        n = d.nprocs()
        same = same + 1 if n == last else 0
        last = n
        if time.monotonic() - start > timeout:
            break
        time.sleep(0.1)


def wl_idle(env, d):
    n = env.cfg.idle_n
    d.quiesce()
    _, pss0, _ = d.mem()
    procs, logs = [], []
    try:
        for i in range(n):
            log = os.path.join(env.tmp, "idle%d.err" % i)
            logs.append(log)
            with open(log, "w") as f:
                procs.append(spawn(env.ssh_argv(d, extra=["-N"],
                                                loglevel="VERBOSE"),
                                   stderr=f))

        def authed():
            k = 0
            for p, log in zip(procs, logs):
                if p.poll() is not None:
                    raise BenchError("idle ssh exited: %s"
                                     % open(log).read()[-300:])
                with open(log, errors="replace") as f:
                    if "Authenticated to" in f.read():
                        k += 1
            return k == n
        wait_for(authed, "%d idle sessions to authenticate" % n,
                 timeout=120)
        settle(d)
        rss_new, pss1, nproc = d.mem()
    finally:
        for p in procs:
            stop(p)
    d.quiesce()
    return {"RSS KiB/session": rss_new / n,
            "PSS KiB/session": (pss1 - pss0) / n,
            "procs/session": (nproc - len(d.baseline)) / n}




def cfg_user(env):
    return env.cfg.user


def wl_chan(env, d):
    n = env.cfg.chan_n
    d.quiesce()
    p = spawn([env.cfg.python, CHAN_CLIENT, str(d.port), env.key,
               d.hostkey + ".pub", str(env.echo_port), str(n),
               cfg_user(env)],
              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def expect(state):
        line = p.stdout.readline()
        if not line:
            raise BenchError("channel client died (exit %s)" % p.wait())
        msg = json.loads(line)
        if msg.get("state") != state:
            raise BenchError("channel client: %s" % msg)
        return msg

    try:
        expect("connected")
        settle(d)
        cpu0 = d.cpu()
        _, pss0, _ = d.mem()
        p.stdin.write("go\n")
        p.stdin.flush()
        r = expect("open")
        _, pss1, _ = d.mem()
        p.stdin.write("close\n")
        p.stdin.flush()
        expect("closed")
        p.wait(30)
    finally:
        stop(p)
    d.quiesce()
    cpu = d.cpu() - cpu0
    return {"failed channels": r["failed"],
            "open ch/s": r["opened"] / r["open_secs"],
            "PSS KiB/channel": (pss1 - pss0) / max(1, r["opened"]),
            "CPU-ms/channel": cpu.total * 1e3 / n}


def wl_chan_ssh(env, d):
    n = env.cfg.chan_n
    holder = {}

    def body(port):
        _, pss0, _ = d.mem()
        p = spawn([env.cfg.blast, "hold", str(port), str(n)],
                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            line = p.stdout.readline()
            if not line:
                raise BenchError("blast hold died")
            holder["r"] = dict(tok.split("=") for tok in line.split()[1:])
            _, pss1, _ = d.mem()
            holder["pss"] = pss1 - pss0
            p.stdin.write("\n")
            p.stdin.flush()
            p.wait(60)
        finally:
            stop(p)

    _, cpu, _ = with_tunnel(env, d, "L", env.echo_port,
                            "aes128-gcm@openssh.com", body)
    r = holder["r"]
    return {"failed channels": float(r["failed"]),
            "open ch/s": float(r["rate"]),
            "PSS KiB/channel": holder["pss"] / n,
            "CPU-ms/channel": cpu.total * 1e3 / n}


WORKLOADS = {
    "L-aes": (wl_throughput("L", "aes128-gcm@openssh.com"),
              "-L push, aes128-gcm"),
    "L-chacha": (wl_throughput("L", "chacha20-poly1305@openssh.com"),
                 "-L push, chacha20-poly1305"),
    "R-aes": (wl_throughput("R", "aes128-gcm@openssh.com"),
              "-R push, aes128-gcm"),
    "R-chacha": (wl_throughput("R", "chacha20-poly1305@openssh.com"),
                 "-R push, chacha20-poly1305"),
    "par100": (wl_par, "parallel conns through one -L"),
    "seq1000": (wl_seq, "sequential short conns via -L"),
    "pingpong": (wl_ping, "1-byte ping-pong via -L"),
    "hs-W": (wl_handshake("W", 1), "handshake ssh -W, sequential"),
    "hs-exec": (wl_handshake("exec", 1), "handshake exec true, sequential"),
    "hs-exec4": (wl_handshake("exec", 4), "handshake exec true, 4 parallel"),
    "hs-W4": (wl_handshake("W", 4), "handshake ssh -W, 4 parallel"),
    "idle50": (wl_idle, "idle authenticated sessions"),
    "chan1000": (wl_chan, "channels on one conn (paramiko)"),
    "chan-ssh": (wl_chan_ssh, "channels on one conn (ssh -L)"),
}

OPTIONAL = ("chan-ssh", "hs-W4")

# Targets from the issue (ratio portcullisd/OpenSSH of the medians).
TARGETS = {
    ("L-aes", "MB/s"): (">=", 1.0), ("L-chacha", "MB/s"): (">=", 1.0),
    ("R-aes", "MB/s"): (">=", 1.25), ("R-chacha", "MB/s"): (">=", 1.25),
    ("L-aes", "CPU-s/GB"): ("<=", 1.25),
    ("L-chacha", "CPU-s/GB"): ("<=", 1.25),
    ("R-aes", "CPU-s/GB"): ("<=", 0.8), ("R-chacha", "CPU-s/GB"): ("<=", 0.8),
}
TARGETS.update({
    ("hs-W", "CPU-ms/conn"): ("<=", 0.3), ("hs-W", "conn/s"): (">=", 1.65),
    ("hs-exec4", "conn/s"): (">=", 2.0),
    ("par100", "MB/s"): (">=", 1.0),
    ("seq1000", "conn/s"): (">=", 1.25),
    ("pingpong", "p99 us"): ("<=", 1.0),
    ("idle50", "PSS KiB/session"): ("<=", 0.5),
    ("idle50", "RSS KiB/session"): ("<=", 1.0),
})


# ---------------------------------------------------------------------------


def nss_wrapper_env(tmp):
    """Environment for both daemons: the system's passwd and group, but
    root's home is TMP/home and its shell /bin/sh, plus the unprivileged
    user BENCH_USER (same home and shell), through nss_wrapper.
    Otherwise `ssh HOST true` would measure root's login shell: bash run
    by sshd sources ~/.bashrc (here ~0.9 s of pyenv init)."""
    home = os.path.join(tmp, "home")
    os.makedirs(home, mode=0o755, exist_ok=True)
    os.chown(home, BENCH_UID, BENCH_UID)
    lines = []
    with open("/etc/passwd") as f:
        for line in f:
            fields = line.rstrip("\n").split(":")
            if len(fields) == 7 and fields[0] in ("root", BENCH_USER):
                continue
            lines.append(":".join(fields))
    lines.insert(0, "root:x:0:0:root:%s:/bin/sh" % home)
    lines.append("%s:x:%d:%d:bench:%s:/bin/sh"
                 % (BENCH_USER, BENCH_UID, BENCH_UID, home))
    with open(os.path.join(tmp, "passwd"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open("/etc/group") as f:
        groups = [g for g in f.read().splitlines()
                  if not g.startswith(BENCH_USER + ":")]
    groups.append("%s:x:%d:" % (BENCH_USER, BENCH_UID))
    with open(os.path.join(tmp, "group"), "w") as f:
        f.write("\n".join(groups) + "\n")
    env = dict(os.environ)
    env.update(LD_PRELOAD="libnss_wrapper.so",
               NSS_WRAPPER_PASSWD=os.path.join(tmp, "passwd"),
               NSS_WRAPPER_GROUP=os.path.join(tmp, "group"))
    return env


def keygen(path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                    "bench", "-f", path], check=True,
                   stdout=subprocess.DEVNULL)


def main():
    cfg = Settings()
    if os.geteuid() != 0:
        sys.exit("bench: must run as root (both daemons log in root)")
    for tool in [cfg.blast, cfg.ssh] + \
            ([cfg.sshd] if "openssh" in cfg.servers else []) + \
            ([cfg.portcullisd] if "portcullisd" in cfg.servers else []):
        if not tool or not os.access(tool, os.X_OK):
            sys.exit("bench: not executable: %r (set PORTCULLISD, "
                     "BENCH_BLAST, BENCH_SSHD, BENCH_SSH)" % tool)

    tmp = tempfile.mkdtemp(prefix="pc-bench.")
    os.chmod(tmp, 0o755)
    env = Env(cfg, tmp)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = cfg.out or os.path.join(cfg.results_dir,
                                  "results-%s.txt" % stamp)
    loads = [loadavg()]
    samples, errors = {}, []
    t_start = time.monotonic()

    def on_signal(sig, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    try:
        keygen(env.key)
        shutil.copy(env.key + ".pub", os.path.join(tmp, "authorized_keys"))
        targets = {}
        for mode in ("sink", "echo"):
            p = spawn([cfg.blast, "serve", mode], stdout=subprocess.PIPE,
                      text=True)
            line = p.stdout.readline()
            if not line.startswith("port="):
                raise BenchError("blast serve %s did not start" % mode)
            targets[mode] = int(line.strip().split("=")[1])
        env.sink_port, env.echo_port = targets["sink"], targets["echo"]

        daemon_env = nss_wrapper_env(tmp)
        daemons = []
        for name in cfg.servers:
            d = Daemon(name, tmp, cfg)
            keygen(d.hostkey)
            d.start(daemon_env)
            daemons.append(d)
            with open(d.hostkey + ".pub") as f:
                pub = " ".join(f.read().split()[:2])
            with open(env.known_hosts, "a") as f:
                f.write("[127.0.0.1]:%d %s\n" % (d.port, pub))
            print("bench: %s listening on 127.0.0.1:%d (pid %d)"
                  % (name, d.port, d.proc.pid), flush=True)

        for w in cfg.workloads:
            fn, _ = WORKLOADS[w]
            for rep in range(cfg.reps):
                for d in daemons:
                    if not d.alive():
                        errors.append("%s %s: daemon is gone" % (w, d.name))
                        continue
                    loads.append(loadavg())
                    t0 = time.monotonic()
                    try:
                        res = fn(env, d)
                    except (BenchError, subprocess.TimeoutExpired,
                            OSError, ValueError, KeyError) as e:
                        msg = "%s rep %d %s: %s" % (w, rep + 1, d.name, e)
                        errors.append(msg)
                        print("bench: FAILED " + msg, flush=True)
                        tail = d.log_tail()
                        if tail:
                            print("---- %s log tail ----\n%s----"
                                  % (d.name, tail), flush=True)
                        try:
                            d.quiesce(timeout=20)
                        except BenchError:
                            pass
                        continue
                    samples.setdefault(w, {}).setdefault(d.name, []) \
                        .append(res)
                    print("bench: %-9s rep %d %-11s %5.1fs  %s"
                          % (w, rep + 1, d.name, time.monotonic() - t0,
                             "  ".join("%s=%s" % (k, fmt(v))
                                       for k, v in res.items())),
                          flush=True)
    except KeyboardInterrupt:
        errors.append("interrupted")
    finally:
        stop_all()
        loads.append(loadavg())
        if cfg.keep:
            print("bench: kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    header = [
        "Portcullis benchmark: portcullisd vs OpenSSH sshd (loopback)",
        "started %s, %.0f s; %d repetition(s), alternating; BENCH_SIZE=%d%s"
        % (started, time.monotonic() - t_start, cfg.reps, cfg.size,
           " (QUICK)" if cfg.quick else ""),
        "host: %d CPUs, load average (1 min) min %.2f / max %.2f over the "
        "run (start %.2f, end %.2f)"
        % (os.cpu_count(), min(loads), max(loads), loads[0], loads[-1]),
        "portcullisd %s (git %s); %s; client %s"
        % (cfg.portcullisd or "-",
           git_rev(os.path.dirname(os.path.abspath(__file__))),
           version_of(["dpkg-query", "-W", "-f", "openssh-server ${Version}",
                       "openssh-server"]),
           version_of([cfg.ssh, "-V"])),
        "login %s; kex curve25519-sha256, ed25519 keys; cipher "
        "aes128-gcm@openssh.com unless named; MB = 10^6 B, GB = 10^9 B; ratio = portcullisd "
        "median / OpenSSH median" % cfg.user,
        "method: header of tests/bench/bench.py",
    ]
    text = render(summarize(samples, cfg.servers, cfg.workloads, TARGETS),
                  cfg.servers, header)
    if errors:
        text += "\nerrors:\n" + "".join("  %s\n" % e for e in errors)
    print()
    print(text, end="")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump({"header": header, "samples": samples, "errors": errors,
                   "loads": loads}, f, indent=1)
    print("bench: results written to " + out)
    # A workload that fails is a broken harness or a broken daemon, never
    # a slow one: say so in the exit status (CI runs bench-quick).
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

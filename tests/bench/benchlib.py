"""tests/bench/benchlib.py: helpers of bench.py that know nothing of the
workloads: /proc readings (CPU of a process tree, memory, listening
ports), the processes the benchmark starts (all stopped by PID), and the
result table.  The method is documented in the header of bench.py."""

import os
import signal
import socket
import statistics
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
DEADLINE = 60.0


def parse_size(s):
    s = s.strip().upper().rstrip("B").rstrip("I")
    mult = 1
    for suffix, m in (("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)):
        if s.endswith(suffix):
            s, mult = s[:-1], m
            break
    return int(float(s) * mult)


# ---------------------------------------------------------------------------
# /proc helpers


def proc_stat(pid):
    """(ppid, state, (user, sys) ticks of itself + reaped children, minor
    page faults of itself + reaped children) or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rindex(")") + 2:].split()
    # rest[0] state, [1] ppid, [7] minflt, [8] cminflt, [11] utime,
    # [12] stime, [13] cutime, [14] cstime
    ticks = (int(rest[11]) + int(rest[13]), int(rest[12]) + int(rest[14]))
    return int(rest[1]), rest[0], ticks, int(rest[7]) + int(rest[8])


def all_procs():
    procs = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st is not None:
                procs[int(name)] = st
    return procs


def tree(root):
    """{pid: (ppid, state, ticks)} for root and all its descendants."""
    procs = all_procs()
    if root not in procs:
        return {}
    kids = {}
    for pid, st in procs.items():
        kids.setdefault(st[0], []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in out or pid not in procs:
            continue
        out[pid] = procs[pid]
        todo.extend(kids.get(pid, []))
    return out


class Cpu:
    """CPU seconds, user and system, and minor page faults."""

    def __init__(self, user=0.0, sys=0.0, faults=0):
        self.user, self.sys, self.faults = user, sys, faults

    @property
    def total(self):
        return self.user + self.sys

    def __sub__(self, other):
        return Cpu(self.user - other.user, self.sys - other.sys,
                   self.faults - other.faults)


def tree_cpu(root):
    t = tree(root).values()
    return Cpu(sum(st[2][0] for st in t) / CLK_TCK,
               sum(st[2][1] for st in t) / CLK_TCK,
               sum(st[3] for st in t))


def mem_kb(pid):
    """(rss_kb, pss_kb) from smaps_rollup, or None if the process is gone."""
    rss = pss = None
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        return None
    if rss is None or pss is None:
        return None
    return rss, pss


def listening(port):
    """True if some TCP socket listens on PORT (v4 or v6)."""
    hexport = ":%04X" % port
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A" and fields[1].endswith(hexport):
                        return True
        except OSError:
            pass
    return False


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(cond, what, timeout=DEADLINE, proc=None):
    start = time.monotonic()
    while not cond():
        if proc is not None and proc.poll() is not None:
            raise BenchError("%s: process exited (%s) first"
                             % (what, proc.returncode))
        if time.monotonic() - start > timeout:
            raise BenchError("timed out waiting for " + what)
        time.sleep(0.02)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class BenchError(Exception):
    pass


# ---------------------------------------------------------------------------
# Processes we start (all stopped by PID at exit)

STARTED = []


def spawn(argv, **kw):
    kw.setdefault("stdin", subprocess.DEVNULL)
    p = subprocess.Popen(argv, **kw)
    STARTED.append(p)
    return p


def stop(p, timeout=10.0):
    """SIGTERM P and every descendant it has (found before it dies)."""
    if p is None:
        return
    pids = [pid for pid in tree(p.pid) if pid != p.pid]
    for pid in [p.pid] + pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    for pid in pids:
        start = time.monotonic()
        while proc_stat(pid) is not None and proc_stat(pid)[1] not in "ZX":
            if time.monotonic() - start > timeout:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
                break
            time.sleep(0.02)
    if p in STARTED:
        STARTED.remove(p)


def stop_all():
    for p in list(reversed(STARTED)):
        stop(p, 5.0)


# ---------------------------------------------------------------------------
# Report


def fmt(v):
    if v is None or v != v:
        return "-"
    a = abs(v)
    if a >= 1000:
        return "%.0f" % v
    if a >= 100:
        return "%.1f" % v
    if a >= 10:
        return "%.2f" % v
    return "%.3g" % v


def summarize(samples, servers, workloads, targets):
    """Rows: (workload label, metric, {server: (median, min, max, n)},
    ratio, target text)."""
    rows = []
    for w in workloads:
        metrics = []
        for s in servers:
            for rep in samples.get(w, {}).get(s, []):
                for m in rep:
                    if m not in metrics:
                        metrics.append(m)
        for m in metrics:
            cells = {}
            for s in servers:
                vals = [rep[m] for rep in samples.get(w, {}).get(s, [])
                        if m in rep]
                cells[s] = ((statistics.median(vals), min(vals), max(vals),
                             len(vals)) if vals else None)
            ratio = None
            a, b = cells.get("portcullisd"), cells.get("openssh")
            if a and b and b[0]:
                ratio = a[0] / b[0]
            tgt = ""
            if (w, m) in targets:
                op, x = targets[(w, m)]
                tgt = "%s%.2fx" % (op, x)
                if ratio is not None:
                    ok = ratio >= x if op == ">=" else ratio <= x
                    tgt += " met" if ok else " MISSED"
            rows.append((w, m, cells, ratio, tgt))
    return rows


def render(rows, servers, header):
    def cell(c):
        if not c:
            return "failed"
        med, lo, hi, n = c
        return "%s [%s-%s]" % (fmt(med), fmt(lo), fmt(hi))

    table = [["workload", "metric"] +
             ["%s median [min-max]" % s for s in servers] +
             ["ratio pc/ossh", "target"]]
    for w, m, cells, ratio, tgt in rows:
        table.append([w, m] + [cell(cells.get(s)) for s in servers] +
                     ["%.2fx" % ratio if ratio is not None else "-", tgt])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = list(header) + [""]
    for i, r in enumerate(table):
        lines.append("  ".join(c.ljust(widths[j])
                               for j, c in enumerate(r)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * x for x in widths))
    return "\n".join(lines) + "\n"


def version_of(argv):
    try:
        r = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=10)
        return r.stdout.strip().splitlines()[0] if r.stdout.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def git_rev(path):
    try:
        r = subprocess.run(["git", "-C", path, "describe", "--always",
                            "--dirty"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, timeout=10)
        return r.stdout.strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"

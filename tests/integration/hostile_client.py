#!/usr/bin/env python3
"""A hostile SSH client for the hardening tests (t_hostile_*.sh).

  hostile_client.py --port P --daemon-pid PID [--user U --key F] CASE...

Each CASE is one attack on its own connection.  Wire cases (raw socket,
no SSH library): garbage-banner, bad-version, long-banner, random-after-banner,
len-7fffffff, len-ffffffff, len-256k1, len-1m, len-max-kexinit.
Authenticated cases (paramiko's Transport internals): big-packet,
global-flood, direct-flood, session-flood, listen-flood, window-flood,
session-requests, rekey-flood, close-request.

For every case the process serving the connection on the daemon side
(found through /proc: the descendants of the listener that hold the
server end of our socket) is sampled while the case runs, and one line
is printed:

  CASE name result=... peak_rss_kb=N peak_hwm_kb=N [details]

The exit status is 1 if a case did not end as expected or a process went
over --rss-limit-mb; the reason is on the line (result=FAIL:...).
With --hold FILE the authenticated floods keep their connection (and
everything it holds) open until FILE exists, after writing FILE.ready,
so the test can check a legitimate client meanwhile.
"""
import argparse
import os
import socket
import struct
import sys
import threading
import time

TIMEOUT = 20.0


# ---- the daemon side of a connection, from /proc ---------------------------

def proc_children():
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
    return kids


def descendants(pid):
    kids = proc_children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for k in kids.get(p, []):
            out.append(k)
            todo.append(k)
    return out


def tcp_inode(lport, rport):
    want_l = "0100007F:%04X" % lport
    want_r = "0100007F:%04X" % rport
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            x = line.split()
            if x[1] == want_l and x[2] == want_r:
                return x[9]
    return None


def server_pids(daemon_pid, port, sock):
    """Processes under the listener holding the server end of sock."""
    inode = tcp_inode(port, sock.getsockname()[1])
    if inode is None or inode == "0":
        return []
    target = "socket:[%s]" % inode
    found = []
    for p in descendants(daemon_pid):
        try:
            fds = os.listdir("/proc/%d/fd" % p)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink("/proc/%d/fd/%s" % (p, fd)) == target:
                    found.append(p)
                    break
            except OSError:
                continue
    return found


def mem_kb(pid):
    rss = hwm = 0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


class Sampler:
    """Peak VmRSS / VmHWM of the connection's processes while a case runs."""

    def __init__(self, daemon_pid, port):
        self.daemon_pid, self.port = daemon_pid, port
        self.pids = []
        self.rss = self.hwm = 0
        self.stop = threading.Event()
        self.thread = None

    def attach(self, sock, wait=5.0):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            self.pids = server_pids(self.daemon_pid, self.port, sock)
            if self.pids:
                break
            time.sleep(0.02)
        self.sample()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def sample(self):
        for p in self.pids:
            rss, hwm = mem_kb(p)
            self.rss = max(self.rss, rss)
            self.hwm = max(self.hwm, hwm)

    def run(self):
        while not self.stop.wait(0.05):
            self.sample()

    def alive(self):
        return [p for p in self.pids if os.path.exists("/proc/%d" % p)]

    def gone(self, wait):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not self.alive():
                return True
            time.sleep(0.02)
        return False

    def finish(self):
        self.sample()
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        return "peak_rss_kb=%d peak_hwm_kb=%d pids=%s" % (
            self.rss, self.hwm, ",".join(map(str, self.pids)) or "-")


# ---- raw wire cases ---------------------------------------------------------

def raw_connect(a):
    s = socket.create_connection(("127.0.0.1", a.port), timeout=TIMEOUT)
    return s


def read_line(s):
    buf = b""
    while not buf.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            break
        buf += c
    return buf


def send_all(s, data):
    """Send until done or the server hangs up; the bytes it took."""
    sent = 0
    try:
        while sent < len(data):
            n = s.send(data[sent:sent + 65536])
            if n <= 0:
                break
            sent += n
    except OSError:
        pass
    return sent


def closed_by_server(s, wait):
    """True when the server closes the connection within wait seconds."""
    s.settimeout(0.2)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return True
        if not d:
            return True
    return False


def wire_case(a, name, payload_fn, sampler):
    s = raw_connect(a)
    try:
        banner = read_line(s)
        if not banner.startswith(b"SSH-2.0-"):
            return "FAIL:no server banner (%r)" % banner[:40], ""
        sampler.attach(s)
        sent = send_all(s, payload_fn())
        closed = closed_by_server(s, a.close_wait)
    finally:
        s.close()
    if not closed:
        return "FAIL:server kept the connection %ss" % a.close_wait, \
            "sent=%d" % sent
    if not sampler.gone(5):
        return "FAIL:connection process still alive", "sent=%d" % sent
    return "ok", "sent=%d" % sent


def pkt_len(n, body=b""):
    return lambda: b"SSH-2.0-hostile_1.0\r\n" + struct.pack(">I", n) + body


WIRE = {
    # not an SSH banner at all
    # (with a terminal escape that must not reach the log as such)
    "garbage-banner": lambda: b"\x1b[2J\x07" + os.urandom(300) + b"\r\n" +
                              os.urandom(300),
    # a version we do not speak, with escapes the log must not copy
    "bad-version": lambda: b"SSH-1.5-\x1b[2J\x07evil\r\n",
    # an endless banner line, no newline
    "long-banner": lambda: b"SSH-2.0-" + b"A" * (1 << 20),
    # 1 MiB of noise where the first binary packet should be
    "random-after-banner":
        lambda: b"SSH-2.0-hostile_1.0\r\n" + os.urandom(1 << 20),
    "len-7fffffff": pkt_len(0x7fffffff, os.urandom(64)),
    "len-ffffffff": pkt_len(0xffffffff, os.urandom(64)),
    "len-256k1": pkt_len(256 * 1024 + 1, os.urandom(64)),
    "len-1m": pkt_len(1 << 20, os.urandom(1 << 20)),
    # the largest packet libssh takes: a KEXINIT (padding 4, type 20)
    # full of noise
    "len-max-kexinit": pkt_len(256 * 1024 - 4, b"\x04\x14" +
                               os.urandom(256 * 1024 - 6)),
}


# ---- authenticated cases (paramiko) -------------------------------------------

def ssh_connect(a):
    import paramiko
    s = socket.create_connection(("127.0.0.1", a.port), timeout=TIMEOUT)
    t = paramiko.Transport(s)
    t.start_client(timeout=TIMEOUT)
    key = paramiko.Ed25519Key.from_private_key_file(a.key)
    t.auth_publickey(a.user, key)
    if not t.is_authenticated():
        raise RuntimeError("authentication failed")
    return s, t


def msg(*fields):
    import paramiko
    m = paramiko.Message()
    for f in fields:
        if isinstance(f, bool):
            m.add_boolean(f)
        elif isinstance(f, bytes) and len(f) == 1:
            m.add_byte(f)
        elif isinstance(f, int):
            m.add_int(f)
        else:
            m.add_string(f)
    return m


class Replies:
    """Counts SSH_MSG_REQUEST_SUCCESS/FAILURE and channel replies by
    hooking the transport's dispatch tables (per instance)."""

    def __init__(self, t):
        from paramiko import common as c
        self.lock = threading.Lock()
        self.ok = self.fail = 0
        self.after_close = []		# (chanid, kind) seen after CLOSE
        self.closed = {}		# chanid -> threading.Event
        self.t = t
        h = dict(t._handler_table)
        h[c.MSG_REQUEST_SUCCESS] = lambda tr, m: self.count(True)
        h[c.MSG_REQUEST_FAILURE] = lambda tr, m: self.count(False)
        t._handler_table = h
        ch = dict(t._channel_handler_table)
        self.orig_close = ch[c.MSG_CHANNEL_CLOSE]
        orig_ok = ch[c.MSG_CHANNEL_SUCCESS]
        orig_fail = ch[c.MSG_CHANNEL_FAILURE]

        def on_close(chan, m):
            ev = self.closed.get(chan.chanid)
            if ev is None:
                return self.orig_close(chan, m)
            ev.set()	# keep the channel: we answer CLOSE later

        def on_reply(orig, kind):
            def f(chan, m):
                ev = self.closed.get(chan.chanid)
                if ev is not None and ev.is_set():
                    with self.lock:
                        self.after_close.append((chan.chanid, kind))
                    return None
                return orig(chan, m)
            return f
        ch[c.MSG_CHANNEL_CLOSE] = on_close
        ch[c.MSG_CHANNEL_SUCCESS] = on_reply(orig_ok, "SUCCESS")
        ch[c.MSG_CHANNEL_FAILURE] = on_reply(orig_fail, "FAILURE")
        t._channel_handler_table = ch

    def count(self, ok):
        with self.lock:
            if ok:
                self.ok += 1
            else:
                self.fail += 1

    def total(self):
        with self.lock:
            return self.ok + self.fail

    def wait_total(self, n, wait):
        deadline = time.monotonic() + wait
        while self.total() < n and time.monotonic() < deadline:
            if not self.t.is_active():
                break
            time.sleep(0.01)
        return self.total()


def barrier(t, rep, wait=TIMEOUT):
    """Every earlier request has been handled once this returns True:
    the daemon answers in order."""
    from paramiko.common import cMSG_GLOBAL_REQUEST
    n = rep.total() + 1
    t._send_user_message(msg(cMSG_GLOBAL_REQUEST, "keepalive@openssh.com",
                             True))
    return rep.wait_total(n, wait) >= n


def echo_on(ch):
    """Run `echo still-here` on session channel CH; its whole output."""
    ch.settimeout(TIMEOUT)
    ch.exec_command("echo still-here")
    out = b""
    while True:
        d = ch.recv(4096)
        if not d:
            break
        out += d
    return out


def still_works(t):
    """A session on the same connection still runs a command."""
    ch = t.open_session(timeout=TIMEOUT)
    out = echo_on(ch)
    ch.close()
    return out.strip() == b"still-here"


def hold(a, t):
    if not a.hold:
        return
    with open(a.hold + ".ready", "w"):
        pass
    deadline = time.monotonic() + 60
    while not os.path.exists(a.hold) and time.monotonic() < deadline:
        if not t.is_active():
            break
        time.sleep(0.05)


def case_global_flood(a, sampler):
    from paramiko.common import cMSG_GLOBAL_REQUEST
    s, t = ssh_connect(a)
    rep = Replies(t)
    sampler.attach(s)
    want = 0
    n = a.count
    for i in range(n):
        k = i % 5
        if k == 0:
            t._send_user_message(msg(cMSG_GLOBAL_REQUEST,
                                     "keepalive@openssh.com", True))
            want += 1
        elif k == 1:
            t._send_user_message(msg(cMSG_GLOBAL_REQUEST,
                                     "hostile-%d@example.org" % i, True,
                                     os.urandom(64)))
            want += 1
        elif k == 2:
            t._send_user_message(msg(cMSG_GLOBAL_REQUEST,
                                     "no-more-sessions@openssh.com", False))
        elif k == 3:
            # a listener that does not exist: refused
            t._send_user_message(msg(cMSG_GLOBAL_REQUEST,
                                     "cancel-tcpip-forward", True,
                                     "127.0.0.1", 1 + i % 60000))
            want += 1
        else:
            t._send_user_message(msg(cMSG_GLOBAL_REQUEST,
                                     "cancel-tcpip-forward", False,
                                     "127.0.0.1", 1 + i % 60000))
    got = rep.wait_total(want, a.flood_wait)
    alive = t.is_active()
    works = alive and still_works(t)
    hold(a, t)
    t.close()
    s.close()
    det = "sent=%d want_reply=%d replies=%d success=%d failure=%d" % (
        n, want, got, rep.ok, rep.fail)
    if not alive:
        return "FAIL:the daemon dropped the connection", det
    if got != want:
        return "FAIL:%d of %d replies" % (got, want), det
    if not works:
        return "FAIL:no session after the flood", det
    return "ok", det


def open_direct(t, host, port, timeout):
    try:
        return t.open_channel("direct-tcpip", dest_addr=(host, port),
                              src_addr=("127.0.0.1", 40000),
                              timeout=timeout)
    except Exception:		# paramiko.ChannelException, SSHException
        return None


def case_chan_flood(a, sampler, kind):
    s, t = ssh_connect(a)
    rep = Replies(t)
    sampler.attach(s)
    held = []
    refused = 0
    for i in range(a.count):
        if kind == "direct":
            ch = open_direct(t, "127.0.0.1", a.target_port, TIMEOUT)
        else:
            try:
                ch = t.open_session(timeout=TIMEOUT)
            except Exception:
                ch = None
        if ch is None:
            refused += 1
            if not t.is_active():
                break
        else:
            held.append(ch)
    ok = len(held)
    # the held channels carry data (echo target, or a shell)
    echoed = 0
    if kind == "direct":
        for ch in held[:10]:
            ch.settimeout(TIMEOUT)
            ch.sendall(b"ping\n")
            got = b""
            while len(got) < 5:
                d = ch.recv(16)
                if not d:
                    break
                got += d
            echoed += got == b"ping\n"
    alive = t.is_active() and barrier(t, rep)
    hold(a, t)
    # ends, then a new one fits again
    for ch in held:
        ch.close()
    again = False
    if alive:
        deadline = time.monotonic() + TIMEOUT
        while not again and time.monotonic() < deadline:
            if kind == "direct":
                ch = open_direct(t, "127.0.0.1", a.target_port, TIMEOUT)
            else:
                try:
                    ch = t.open_session(timeout=TIMEOUT)
                except Exception:
                    ch = None
            if ch is not None:
                again = True
                ch.close()
            else:
                time.sleep(0.05)
    t.close()
    s.close()
    det = "tried=%d opened=%d refused=%d echoed=%d" % (a.count, ok, refused,
                                                      echoed)
    if not alive:
        return "FAIL:the daemon dropped the connection", det
    if ok != a.expect_open:
        return "FAIL:opened %d, expected %d" % (ok, a.expect_open), det
    if kind == "direct" and echoed != min(10, ok):
        return "FAIL:held channels do not carry data", det
    if not again:
        return "FAIL:no new channel after closing the held ones", det
    return "ok", det


def case_listen_flood(a, sampler):
    from paramiko.common import cMSG_GLOBAL_REQUEST
    s, t = ssh_connect(a)
    rep = Replies(t)
    sampler.attach(s)
    for i in range(a.count):
        t._send_user_message(msg(cMSG_GLOBAL_REQUEST, "tcpip-forward", True,
                                 "127.0.0.1", 0))
    got = rep.wait_total(a.count, a.flood_wait)
    alive = t.is_active()
    hold(a, t)
    t.close()
    s.close()
    det = "tried=%d replies=%d bound=%d refused=%d" % (a.count, got, rep.ok,
                                                      rep.fail)
    if not alive:
        return "FAIL:the daemon dropped the connection", det
    if got != a.count:
        return "FAIL:%d of %d replies" % (got, a.count), det
    if rep.ok != a.expect_open:
        return "FAIL:bound %d, expected %d" % (rep.ok, a.expect_open), det
    return "ok", det


def case_big_packet(a, sampler):
    """A packet over libssh's 256 KiB limit after key exchange: the daemon
    drops the connection (and nothing else)."""
    from paramiko.common import cMSG_IGNORE
    s, t = ssh_connect(a)
    sampler.attach(s)
    # a large but legal one first: the connection survives it
    t._send_user_message(msg(cMSG_IGNORE, os.urandom(200 * 1024)))
    ok_before = still_works(t)
    try:
        t._send_user_message(msg(cMSG_IGNORE, os.urandom(300 * 1024)))
    except Exception:
        pass
    closed = closed_transport(t, a.close_wait)
    s.close()
    det = "legal_200k_ok=%s" % ok_before
    if not ok_before:
        return "FAIL:a 200 KiB packet broke the connection", det
    if not closed:
        return "FAIL:the 300 KiB packet did not end the connection", det
    if not sampler.gone(5):
        return "FAIL:connection process still alive", det
    return "ok", det


def closed_transport(t, wait):
    deadline = time.monotonic() + wait
    while t.is_active() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not t.is_active()


def case_close_request(a, sampler):
    """Channel requests (want-reply) sent after the daemon's CLOSE of a
    session channel, before ours: RFC 4254 5.3 allows no answer."""
    from paramiko.common import cMSG_CHANNEL_REQUEST, cMSG_CHANNEL_CLOSE
    s, t = ssh_connect(a)
    rep = Replies(t)
    sampler.attach(s)
    bad = []
    for i in range(a.count):
        ch = t.open_session(timeout=TIMEOUT)
        ev = threading.Event()
        rep.closed[ch.chanid] = ev
        ch.exec_command("true")
        if not ev.wait(TIMEOUT):
            return "FAIL:no CLOSE from the daemon for round %d" % i, ""
        rid = ch.remote_chanid
        reqs = [
            msg(cMSG_CHANNEL_REQUEST, rid, "env", True, "LANG", "C"),
            msg(cMSG_CHANNEL_REQUEST, rid, "exec", True, "true"),
            msg(cMSG_CHANNEL_REQUEST, rid, "pty-req", True, "xterm", 80,
                24, 0, 0, b""),
            msg(cMSG_CHANNEL_REQUEST, rid,
                "winadj@putty.projects.tartarus.org", True),
            msg(cMSG_CHANNEL_REQUEST, rid, "hostile@example.org", True),
        ]
        for m in reqs:
            t._send_user_message(m)
        if not barrier(t, rep):
            return "FAIL:no answer to the barrier in round %d" % i, ""
        with rep.lock:
            bad.extend(rep.after_close)
            rep.after_close.clear()
        # now our CLOSE, through paramiko so it forgets the channel
        del rep.closed[ch.chanid]
        t._send_user_message(msg(cMSG_CHANNEL_CLOSE, rid))
        t._unlink_channel(ch.chanid)
        ch.closed = True
    alive = t.is_active() and still_works(t)
    t.close()
    s.close()
    det = "rounds=%d requests_after_close=%d replies_after_close=%d" % (
        a.count, 5 * a.count, len(bad))
    if bad:
        return "FAIL:replies after our CLOSE: %s" % ",".join(
            "%d:%s" % x for x in bad[:10]), det
    if not alive:
        return "FAIL:the connection did not survive", det
    return "ok", det


def case_session_requests(a, sampler):
    """One session channel, before any start: 10,000 env requests (128
    accepted at most), 1,000 pty-req (the second and later refused),
    5,000 window-change with absurd sizes, 1,000 unknown requests; then
    the channel still runs a command, and nothing grew."""
    from paramiko.common import cMSG_CHANNEL_REQUEST
    s, t = ssh_connect(a)
    rep = Replies(t)
    sampler.attach(s)
    ch = t.open_session(timeout=TIMEOUT)
    rid = ch.remote_chanid
    ok_fail = {"ok": 0, "fail": 0}

    def count(kind):
        def f(chan, m):
            ok_fail[kind] += 1
        return f
    from paramiko import common as c
    table = dict(t._channel_handler_table)
    table[c.MSG_CHANNEL_SUCCESS] = count("ok")
    table[c.MSG_CHANNEL_FAILURE] = count("fail")
    t._channel_handler_table = table
    want = 0
    for i in range(a.count):
        t._send_user_message(msg(cMSG_CHANNEL_REQUEST, rid, "env", True,
                                 "LC_HOSTILE_%d" % i, "x" * 1000))
        want += 1
        if i % 10 == 0:
            t._send_user_message(msg(cMSG_CHANNEL_REQUEST, rid, "pty-req",
                                     True, "xterm", 100000, 100000,
                                     1 << 30, 1 << 30, b""))
            want += 1
            t._send_user_message(msg(cMSG_CHANNEL_REQUEST, rid,
                                     "hostile-%d@example.org" % i, True))
            want += 1
        if i % 2 == 0:
            t._send_user_message(msg(cMSG_CHANNEL_REQUEST, rid,
                                     "window-change", False,
                                     0x7fffffff, 0x7fffffff, 0, 0))
    alive = t.is_active() and barrier(t, rep, a.flood_wait)
    got = ok_fail["ok"] + ok_fail["fail"]
    # hand the channel back to paramiko and run something on it
    t._channel_handler_table = type(t)._channel_handler_table
    works = False
    if alive:
        works = b"still-here" in echo_on(ch)
    t.close()
    s.close()
    det = "requests=%d want_reply=%d replies=%d success=%d failure=%d" % (
        want + a.count // 2, want, got, ok_fail["ok"], ok_fail["fail"])
    if not alive:
        return "FAIL:the daemon dropped the connection", det
    if got != want:
        return "FAIL:%d of %d replies" % (got, want), det
    if ok_fail["ok"] > a.expect_open:
        return "FAIL:%d accepted, at most %d expected" % (
            ok_fail["ok"], a.expect_open), det
    if not works:
        return "FAIL:the channel does not run a command afterwards", det
    return "ok", det


def case_rekey_flood(a, sampler):
    """Key re-exchanges back to back on an authenticated connection,
    with a forward carrying data in between."""
    s, t = ssh_connect(a)
    sampler.attach(s)
    done = 0
    for i in range(a.count):
        t.renegotiate_keys()
        done += 1
    works = t.is_active() and still_works(t)
    t.close()
    s.close()
    det = "rekeys=%d" % done
    if not works:
        return "FAIL:no session after the re-exchanges", det
    return "ok", det


def case_window_flood(a, sampler):
    """CHANNEL_DATA far beyond the window the daemon granted, on a
    direct-tcpip channel whose target never reads: libssh 0.10 buffers
    data past the window ("buggy remote"), so the daemon has to stop it."""
    from paramiko.common import cMSG_CHANNEL_DATA
    s, t = ssh_connect(a)
    rep = Replies(t)
    sampler.attach(s)
    ch = open_direct(t, "127.0.0.1", a.target_port, TIMEOUT)
    if ch is None:
        return "FAIL:channel refused", ""
    chunk = os.urandom(32 * 1024)
    total = a.count * 1024 * 1024
    sent = 0
    try:
        while sent < total and t.is_active() and not ch.closed:
            t._send_user_message(msg(cMSG_CHANNEL_DATA, ch.remote_chanid,
                                     chunk))
            sent += len(chunk)
    except Exception:
        pass
    # the daemon has read everything sent once it answers the barrier
    try:
        alive = t.is_active() and barrier(t, rep, a.flood_wait)
    except Exception:	# EOFError: the daemon hung up meanwhile
        alive = False
    sampler.sample()
    chan_closed = ch.closed
    t.close()
    s.close()
    det = "sent_kb=%d conn_alive=%s chan_closed=%s" % (
        sent >> 10, alive, chan_closed)
    if alive and not chan_closed and a.expect_open == 0:
        return "FAIL:the daemon took %d kB past the window" % (
            sent >> 10), det
    return "ok", det


def main():
    global TIMEOUT
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--daemon-pid", type=int, required=True)
    ap.add_argument("--user", default="alice")
    ap.add_argument("--key")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--close-wait", type=float, default=15)
    ap.add_argument("--flood-wait", type=float, default=40)
    ap.add_argument("--rss-limit-mb", type=int, default=64)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--expect-open", type=int, default=0)
    ap.add_argument("--target-port", type=int, default=0)
    ap.add_argument("--hold")
    ap.add_argument("cases", nargs="+")
    a = ap.parse_args()
    TIMEOUT = a.timeout

    fails = 0
    for name in a.cases:
        sampler = Sampler(a.daemon_pid, a.port)
        try:
            if name in WIRE:
                res, det = wire_case(a, name, WIRE[name], sampler)
            elif name == "global-flood":
                res, det = case_global_flood(a, sampler)
            elif name == "direct-flood":
                res, det = case_chan_flood(a, sampler, "direct")
            elif name == "session-flood":
                res, det = case_chan_flood(a, sampler, "session")
            elif name == "listen-flood":
                res, det = case_listen_flood(a, sampler)
            elif name == "big-packet":
                res, det = case_big_packet(a, sampler)
            elif name == "session-requests":
                res, det = case_session_requests(a, sampler)
            elif name == "rekey-flood":
                res, det = case_rekey_flood(a, sampler)
            elif name == "window-flood":
                res, det = case_window_flood(a, sampler)
            elif name == "close-request":
                res, det = case_close_request(a, sampler)
            else:
                res, det = "FAIL:unknown case", ""
        except Exception as e:	# report, do not hide
            res, det = "FAIL:%s: %s" % (type(e).__name__, e), ""
        mem = sampler.finish()
        if res == "ok" and sampler.hwm > a.rss_limit_mb * 1024:
            res = "FAIL:peak %d kB over %d MB" % (sampler.hwm,
                                                   a.rss_limit_mb)
        if res == "ok" and not sampler.pids:
            res = "FAIL:connection process not found"
        if not os.path.exists("/proc/%d" % a.daemon_pid):
            res = "FAIL:the listener is gone"
        print("CASE %s result=%s %s %s" % (name, res.replace(" ", "_"), mem,
                                           det), flush=True)
        fails += res != "ok"
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

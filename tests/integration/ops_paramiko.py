#!/usr/bin/env python3
"""paramiko as the client of portcullisd (t_ops_paramiko.sh).

One connection (public key, host key checked against --known-hosts), then:
  exec     a command with stdout, stderr and exit status 7
  local    the -L equivalent: a direct-tcpip channel to --echo-port on
           127.0.0.1 (an echo server); 1 MB random bytes must come back
  remote   the -R equivalent: tcpip-forward for 127.0.0.1:--rport; a TCP
           client on this machine connects to that listener and sends
           random bytes, which must arrive through the forwarded-tcpip
           channel paramiko accepts, and the reply sent back on the channel
           must reach the TCP client; then cancel-tcpip-forward, after
           which the port must stop accepting connections
Prints one "ok ..." line per step; the first failure prints "FAIL: ..."
and exits 1.  Every wait has a deadline (--timeout).
"""

import argparse
import hashlib
import os
import socket
import sys
import threading
import time

import paramiko

CHUNK = 65536


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def recv_all(chan, deadline):
    """Read a channel to EOF; returns the bytes."""
    out = bytearray()
    while True:
        if time.monotonic() > deadline:
            raise Failure("channel: no EOF after %d bytes" % len(out))
        b = chan.recv(CHUNK)
        if not b:
            return bytes(out)
        out += b


def connect(args):
    client = paramiko.SSHClient()
    client.load_host_keys(args.known_hosts)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect("127.0.0.1", port=args.port, username=args.user,
                   key_filename=args.key, look_for_keys=False,
                   allow_agent=False, timeout=args.timeout,
                   banner_timeout=args.timeout, auth_timeout=args.timeout)
    t = client.get_transport()
    check(t.is_authenticated(), "not authenticated")
    return client


def step_exec(client, args):
    token = "paramiko-%d" % os.getpid()
    stdin, stdout, stderr = client.exec_command(
        "echo %s; echo to-stderr >&2; exit 7" % token, timeout=args.timeout)
    stdin.close()
    out = stdout.read().decode()
    err = stderr.read().decode()
    status = stdout.channel.recv_exit_status()
    check(out == token + "\n", "exec: stdout %r, expected %r" %
          (out, token + "\n"))
    check(err == "to-stderr\n", "exec: stderr %r" % err)
    check(status == 7, "exec: exit status %d, expected 7" % status)
    # A bigger output, to cross the channel window.
    stdin, stdout, stderr = client.exec_command(
        "head -c 300000 /dev/zero | tr '\\0' x", timeout=args.timeout)
    stdin.close()
    out = stdout.read()
    status = stdout.channel.recv_exit_status()
    check(out == b"x" * 300000 and status == 0,
          "exec: 300000-byte output came back as %d bytes, status %d" %
          (len(out), status))
    print("ok exec (stdout, stderr, exit status 7; 300000-byte output)")


def step_local(client, args):
    t = client.get_transport()
    data = os.urandom(1000000)
    chan = t.open_channel("direct-tcpip", ("127.0.0.1", args.echo_port),
                          ("127.0.0.1", 40000), timeout=args.timeout)
    chan.settimeout(args.timeout)
    deadline = time.monotonic() + args.timeout
    got = {}

    def reader():
        try:
            got["data"] = recv_all(chan, deadline)
        except (Failure, OSError) as e:
            got["error"] = str(e)

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    chan.sendall(data)
    chan.shutdown_write()
    th.join(args.timeout)
    chan.close()
    check(not th.is_alive(), "local: no EOF from the echo server")
    check("error" not in got, "local: %s" % got.get("error"))
    check(got["data"] == data, "local: sent %d bytes (sha256 %s), got %d "
          "(sha256 %s)" % (len(data), hashlib.sha256(data).hexdigest(),
                           len(got["data"]),
                           hashlib.sha256(got["data"]).hexdigest()))
    print("ok local (direct-tcpip to 127.0.0.1:%d, %d bytes echoed)" %
          (args.echo_port, len(data)))


def refused(port):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    s.close()
    return False


def step_remote(client, args):
    t = client.get_transport()
    port = t.request_port_forward("127.0.0.1", args.rport)
    check(port == args.rport, "remote: tcpip-forward gave port %r, asked %d"
          % (port, args.rport))
    data = os.urandom(500000)
    reply = b"reply through the forwarded-tcpip channel\n"
    res = {}

    def tcp_client():
        try:
            s = socket.create_connection(("127.0.0.1", port),
                                         timeout=args.timeout)
            s.settimeout(args.timeout)
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            back = bytearray()
            while True:
                b = s.recv(CHUNK)
                if not b:
                    break
                back += b
            s.close()
            res["back"] = bytes(back)
        except OSError as e:
            res["error"] = str(e)

    th = threading.Thread(target=tcp_client, daemon=True)
    th.start()
    chan = t.accept(args.timeout)
    check(chan is not None, "remote: no forwarded-tcpip channel arrived")
    chan.settimeout(args.timeout)
    got = recv_all(chan, time.monotonic() + args.timeout)
    check(got == data, "remote: sent %d bytes to the listener, %d arrived "
          "through the channel (sha256 %s vs %s)" %
          (len(data), len(got), hashlib.sha256(data).hexdigest(),
           hashlib.sha256(got).hexdigest()))
    chan.sendall(reply)
    chan.shutdown_write()
    th.join(args.timeout)
    chan.close()
    check(not th.is_alive(), "remote: the TCP client got no EOF")
    check("error" not in res, "remote: TCP client: %s" % res.get("error"))
    check(res["back"] == reply, "remote: the TCP client got %r back" %
          res["back"][:80])
    print("ok remote (tcpip-forward 127.0.0.1:%d, %d bytes in, reply out)"
          % (port, len(data)))

    t.cancel_port_forward("127.0.0.1", port)
    deadline = time.monotonic() + args.timeout
    while not refused(port):
        check(time.monotonic() < deadline,
              "remote: 127.0.0.1:%d still accepts connections after "
              "cancel-tcpip-forward" % port)
        time.sleep(0.05)
    print("ok cancel (127.0.0.1:%d refuses connections)" % port)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--known-hosts", required=True)
    ap.add_argument("--steps", default="exec,local,remote")
    ap.add_argument("--echo-port", type=int)
    ap.add_argument("--rport", type=int)
    ap.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    steps = {"exec": step_exec, "local": step_local, "remote": step_remote}
    client = None
    try:
        client = connect(args)
        print("ok connect (%s, %s)" % (args.user,
                                       client.get_transport().remote_version))
        for name in args.steps.split(","):
            check(name in steps, "unknown step %r" % name)
            steps[name](client, args)
    except (Failure, paramiko.SSHException, OSError) as e:
        print("FAIL: %s: %s" % (type(e).__name__, e), flush=True)
        return 1
    finally:
        if client is not None:
            client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

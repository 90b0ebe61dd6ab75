#!/usr/bin/python3
"""tests/bench/chanclient.py: the 1,000-channel load client of bench.py.

usage: chanclient.py PORT CLIENT_KEY HOSTKEY_PUB ECHO_PORT N USER

Logs in with paramiko (kex curve25519-sha256@libssh.org, aes128-ctr with
hmac-sha2-256: paramiko 2.12 has neither GCM nor chacha20), checks the host
key, prints {"state": "connected"} and waits for a line on stdin; then opens
N direct-tcpip channels to 127.0.0.1:ECHO_PORT on this ONE connection (each
open waits for its confirmation), writes 16 bytes on every channel and
reads them back, prints {"state": "open", opened, failed, open_secs,
all_secs} and waits for another line; then closes everything and prints
{"state": "closed"}.
"""
import json
import socket
import sys
import time

import paramiko

MSG = b"0123456789abcdef"


def say(**kw):
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()


def recv_exact(chan, n):
    got = b""
    chan.settimeout(30)
    try:
        while len(got) < n:
            b = chan.recv(n - len(got))
            if not b:
                break
            got += b
    except Exception:
        pass
    return got


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    port, key, hostkey, user = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                                sys.argv[6])
    target, n = int(sys.argv[4]), int(sys.argv[5])
    t = paramiko.Transport(socket.create_connection(("127.0.0.1", port)))
    so = t.get_security_options()
    so.kex = ["curve25519-sha256@libssh.org"]
    so.ciphers = ["aes128-ctr"]
    so.digests = ["hmac-sha2-256"]
    so.key_types = ["ssh-ed25519"]
    t.start_client(timeout=30)
    with open(hostkey) as f:
        want = f.read().split()[1]
    if t.get_remote_server_key().get_base64() != want:
        say(state="error", error="host key mismatch")
        return 1
    t.auth_publickey(user, paramiko.Ed25519Key.from_private_key_file(key))
    say(state="connected")
    sys.stdin.readline()

    chans, failed = [], 0
    t0 = time.monotonic()
    for i in range(n):
        try:
            chans.append(t.open_channel(
                "direct-tcpip", ("127.0.0.1", target),
                ("127.0.0.1", 40000 + i % 20000), timeout=30))
        except Exception:
            failed += 1
    t_open = time.monotonic() - t0
    for c in chans:
        c.sendall(MSG)
    for c in chans:
        if recv_exact(c, len(MSG)) != MSG:
            failed += 1
    say(state="open", opened=len(chans), failed=failed, open_secs=t_open,
        all_secs=time.monotonic() - t0)
    sys.stdin.readline()

    for c in chans:
        c.close()
    t.close()
    say(state="closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Connect, send nothing, read until the server closes.

Exit 0 when the server closed the connection within --timeout seconds,
1 otherwise.  Used to check LoginGraceTime and MaxStartups."""
import argparse
import socket
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--host", default="127.0.0.1")
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--timeout", type=float, default=20)
a = ap.parse_args()
deadline = time.monotonic() + a.timeout
try:
    s = socket.create_connection((a.host, a.port), timeout=a.timeout)
except OSError as e:
    print(f"connect failed: {e}", file=sys.stderr)
    sys.exit(1)
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit(1)
    s.settimeout(left)
    try:
        if not s.recv(4096):
            sys.exit(0)
    except socket.timeout:
        sys.exit(1)
    except OSError:
        sys.exit(0)

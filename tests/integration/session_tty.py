#!/usr/bin/env python3
"""Run a command (normally ssh -tt ...) on a local pseudo-terminal of a
given size, so that the client has a real terminal to report; optionally
resize it once TEXT has been seen (the kernel sends SIGWINCH to the client,
which sends "window-change", RFC 4254 6.7).  Prints everything the command
wrote, with CR removed, and exits with the command's status.

  session_tty.py --rows R --cols C [--resize R2xC2 --after TEXT]
                 [--until TEXT] [--timeout S] -- COMMAND...

--until: stop (kill the command) once TEXT has been seen after the resize
(or at all, without --resize) and exit 0.
"""
import argparse
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--cols", type=int, required=True)
    ap.add_argument("--resize")
    ap.add_argument("--after")
    ap.add_argument("--until")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("command", nargs="+")
    a = ap.parse_args()

    master, slave = os.openpty()
    set_size(master, a.rows, a.cols)

    def ctty():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen(a.command, stdin=slave, stdout=slave, stderr=slave,
                         start_new_session=True, preexec_fn=ctty)
    os.close(slave)
    out = b""
    resized = a.resize is None
    mark = 0
    deadline = time.monotonic() + a.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            p.kill()
            p.wait()
            sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
            sys.exit("session_tty.py: timed out")
        r, _, _ = select.select([master], [], [], left)
        if not r:
            continue
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if not data:
            break
        out += data
        if not resized and a.after and a.after.encode() in out:
            rows, cols = (int(x) for x in a.resize.split("x"))
            set_size(master, rows, cols)
            resized = True
            mark = len(out)
        if resized and a.until and a.until.encode() in out[mark:]:
            p.kill()
            break
    rc = p.wait()
    sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
    if a.until:
        sys.exit(0 if a.until.encode() in out[mark:] else 1)
    sys.exit(rc)


if __name__ == "__main__":
    main()

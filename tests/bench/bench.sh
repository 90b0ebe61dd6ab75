#!/bin/bash
# tests/bench/bench.sh: run the benchmark (portcullisd vs OpenSSH sshd).
# Usually through `make bench` / `make bench-quick`, which set PORTCULLISD,
# BENCH_BLAST and BENCH_RESULTS_DIR.  By hand from a build dir:
#	BENCH_SERVERS=openssh BENCH_QUICK=1 \
#	BENCH_BLAST=tests/bench/blast bash ../tests/bench/bench.sh
# The method and every knob are documented in the header of bench.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# python3-paramiko is Debian's: use Debian's python3, not a pyenv shim.
py=${BENCH_PYTHON:-/usr/bin/python3}
[ -x "$py" ] || py=python3
export BENCH_PYTHON=$py
# bench.py imports benchlib.py: leave no byte-code in the source tree.
export PYTHONDONTWRITEBYTECODE=1
: "${BENCH_RESULTS_DIR:=$PWD/tests/bench}"
export BENCH_RESULTS_DIR
if [ -z "${BENCH_BLAST:-}" ] && [ -x tests/bench/blast ]; then
	export BENCH_BLAST=$PWD/tests/bench/blast
fi
if [ -z "${PORTCULLISD:-}" ] && [ -x sshd/portcullisd ]; then
	export PORTCULLISD=$PWD/sshd/portcullisd
fi
ulimit -n 65536 2>/dev/null || true
exec "$py" "$here/bench.py" "$@"

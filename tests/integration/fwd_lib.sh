# shellcheck shell=bash
# tests/integration/fwd_lib.sh: helpers shared by the t_fwd_*.sh tests, on
# top of lib.sh (source lib.sh first, then this, then pc_init).
#
# fwd_tcp ARGS...          run fwd_tcp.py (see its docstring)
# fwd_server MODE ARGS...  start a fwd_tcp.py server in the background;
#                          sets FWD_PORT, FWD_PID (BIND=ADDR as in lib.sh)
# fwd_user_pid USER        print the PID of USER's session-loop process
#                          (the daemon's descendant running as USER's uid)
# fwd_wait_user_pid USER   the same, waiting for it to exist
# fwd_listen_addrs PORT    the local addresses listening on PORT, sorted,
#                          space-separated, as ss prints them
#                          (e.g. "127.0.0.1:5000 [::1]:5000")
# fwd_wait_listen PORT [EXPECTED]
#                          wait until something (exactly EXPECTED) listens
# fwd_wait_free PORT [SECONDS]
#                          wait until nothing listens on PORT
# fwd_nfds PID / fwd_rss_kb PID   open fds / VmRSS of a process
# fwd_ssh_bg USER ARGS...  pc_bg pc_ssh USER -N ARGS (stderr to $T/ssh.N.err)
#                          sets FWD_SSH_PID and FWD_SSH_ERR
# fwd_wait_fwd PORT        wait until a -L port accepts connections
# fwd_client_pid PID       the ssh process started by fwd_ssh_bg (PID is
#                          FWD_SSH_PID, the background subshell)

fwd_tcp() {
	"$PC_PYTHON" "$PC_SRCDIR/tests/integration/fwd_tcp.py" "$@"
}

fwd_server() {
	local pf
	pf=$(mktemp "$T/fwdport.XXXXXX")
	rm -f "$pf"
	fwd_tcp "$@" --bind "${BIND:-127.0.0.1}" --port-file "$pf" &
	FWD_PID=$!
	PC_PIDS+=("$FWD_PID")
	pc_wait_for test -s "$pf" ||
		pc_fail "fwd_tcp.py $1 did not start listening"
	FWD_PORT=$(cat "$pf")
}

fwd_user_pid() {
	local uid=${PC_UID[$1]} p
	[ -n "${PC_DAEMON_PID:-}" ] || return 1
	for p in $(pc__descendants "$PC_DAEMON_PID"); do
		if [ "$(stat -c %u "/proc/$p" 2>/dev/null)" = "$uid" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

fwd_wait_user_pid() {
	pc_wait_for fwd_user_pid "$1" >/dev/null ||
		pc_fail "no session process for $1 appeared"
	fwd_user_pid "$1"
}

fwd_listen_addrs() {
	ss -Hltn "sport = :$1" 2>/dev/null | awk '{ print $4 }' | LC_ALL=C sort | tr '\n' ' ' |
		sed 's/ $//'
}

fwd__listen_is() {
	local got
	got=$(fwd_listen_addrs "$1")
	if [ $# -ge 2 ]; then
		[ "$got" = "$2" ]
	else
		[ -n "$got" ]
	fi
}

fwd_wait_listen() {
	pc_wait_for fwd__listen_is "$@" ||
		pc_fail "port $1: expected listeners '${2:-any}', have '$(fwd_listen_addrs "$1")'"
}

fwd__free() {
	[ -z "$(fwd_listen_addrs "$1")" ]
}

fwd_wait_free() {
	local save=$PC_TIMEOUT rc=0
	PC_TIMEOUT=${2:-$PC_TIMEOUT}
	pc_wait_for fwd__free "$1" || rc=1
	PC_TIMEOUT=$save
	[ "$rc" -eq 0 ] ||
		pc_fail "port $1 still listening after ${2:-$PC_TIMEOUT}s: $(fwd_listen_addrs "$1")"
}

fwd_nfds() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}

fwd_rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

FWD_SSH_N=0
fwd_ssh_bg() {
	local u=$1
	shift
	FWD_SSH_N=$((FWD_SSH_N + 1))
	FWD_SSH_ERR=$T/ssh.$FWD_SSH_N.err
	pc_bg pc_ssh "$u" -N "$@" 2>"$FWD_SSH_ERR"
	FWD_SSH_PID=$PC_BG_PID
}

fwd__probe() {
	pc_tcp probe --host "${2:-127.0.0.1}" --port "$1" --timeout 2 \
		>/dev/null 2>&1
}

# A -L port listens as soon as ssh parsed its arguments; the tunnel works
# once the session is up: wait for both.
fwd_wait_fwd() {
	pc_wait_for fwd__probe "$@" ||
		pc_fail "forwarded port ${2:-127.0.0.1}:$1 does not accept connections"
}

fwd_client_pid() {
	local p
	for p in $(pc__descendants "$1"); do
		if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = ssh ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

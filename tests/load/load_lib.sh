# shellcheck shell=bash
# tests/load/load_lib.sh: what the load tests (tests/load/l_*.sh) share on
# top of the integration harness tests/integration/lib.sh (sourced here:
# every pc_* function is available).
#
# ld_init              pc_init, plus: file-descriptor limit raised for the
#                      test and everything it starts (as an administrator
#                      would for a busy daemon), LD_TOOL, LD_FIG (figures
#                      file, printed by ld_figures and at the end).
# ld_start_daemon [ARGS]  pc_start_daemon with the soft descriptor limit
#                      a service manager gives a daemon (LD_DAEMON_NOFILE,
#                      default 1024, systemd's default soft LimitNOFILE)
#                      and the raised hard limit: the daemon must raise its
#                      own soft limit if it needs more (DESIGN.md: "The
#                      daemon raises RLIMIT_NOFILE to fit
#                      MaxForwardChannels"); the clients keep the raised one.
# ld_tool ARGS...      run tests/load/load_tool.py (see its header).
# ld_echo              start load_tool.py echo (one thread, any number of
#                      connections); sets LD_ECHO_PORT.
# ld_fig KEY VALUE     record one figure (printed as "FIGURE KEY VALUE").
# ld_daemon_procs      number of processes in the daemon's tree (1 = only
#                      the listener).
# ld_wait_until SECONDS CMD...   like pc_wait_for with its own deadline.

# shellcheck source=../integration/lib.sh disable=SC2034
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

LD_NOFILE=${LD_NOFILE:-16384}

ld_init() {
	pc_init
	LD_TOOL=$PC_SRCDIR/tests/load/load_tool.py
	LD_FIG=$T/figures
	: >"$LD_FIG"
	LD_T0=$(pc__now)
	# 300 sessions or 1,000 channels need more than the usual 1024
	# descriptors in the listener's children and in the test itself.
	if [ "$(ulimit -Hn)" != unlimited ] &&
	    [ "$(ulimit -Hn)" -lt "$LD_NOFILE" ]; then
		LD_NOFILE=$(ulimit -Hn)
	fi
	ulimit -n "$LD_NOFILE" ||
		pc_fail "cannot raise the descriptor limit to $LD_NOFILE"
	ld_fig nofile_limit "$(ulimit -n)"
}

ld_start_daemon() {
	ulimit -S -n "${LD_DAEMON_NOFILE:-1024}" ||
		pc_fail "cannot set the soft descriptor limit for the daemon"
	pc_start_daemon "$@"
	ulimit -S -n "$LD_NOFILE"
	ld_fig daemon_nofile_soft "$(awk '/^Max open files/ { print $4 }' \
		"/proc/$PC_DAEMON_PID/limits")"
}

# Soft descriptor limit and descriptors in use of the daemon's process
# that has the most open ("SOFT USED").
ld_busiest_fds() {
	local p n best=0 lim=0
	for p in $(pc__descendants "$PC_DAEMON_PID") "$PC_DAEMON_PID"; do
		n=$(ls "/proc/$p/fd" 2>/dev/null | wc -l) || continue
		if [ "$n" -gt "$best" ]; then
			best=$n
			lim=$(awk '/^Max open files/ { print $4 }' \
				"/proc/$p/limits" 2>/dev/null) || lim=0
		fi
	done
	echo "$lim $best"
}

ld_tool() {
	"$PC_PYTHON" "$LD_TOOL" "$@"
}

ld_echo() {
	local pf=$T/echo.port
	rm -f "$pf"
	pc_bg "$PC_PYTHON" "$LD_TOOL" echo --port-file "$pf"
	pc_wait_for pc__started "$pf" "$PC_BG_PID" ||
		pc_fail "load_tool.py echo did not start"
	[ -s "$pf" ] || pc_fail "load_tool.py echo exited before listening"
	LD_ECHO_PORT=$(cat "$pf")
}

ld_fig() {
	echo "FIGURE $1 $2" | tee -a "$LD_FIG"
}

ld_daemon_procs() {
	local n
	n=$(pc__descendants "$PC_DAEMON_PID" | wc -l)
	echo $((n + 1))
}

ld_wait_until() {
	local secs=$1 start
	shift
	start=$(pc__now)
	until "$@"; do
		if pc__deadline_passed "$start" "$secs"; then
			return 1
		fi
		sleep 0.1
	done
}

# Seconds (3 decimals) since a pc__now value.
ld_since() {
	local us=$(($(pc__now) - $1))
	printf '%d.%03d' $((us / 1000000)) $((us % 1000000 / 1000))
}

# A JSON field of a load_tool.py result line.
ld_json() {
	"$PC_PYTHON" -c 'import json,sys; v=json.loads(sys.argv[1])[sys.argv[2]]; print(json.dumps(v) if isinstance(v,(list,dict)) else v)' "$1" "$2"
}

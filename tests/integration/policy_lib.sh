# shellcheck shell=bash
# tests/integration/policy_lib.sh: the forwarding-policy matrix helpers of
# the t_policy_*.sh tests, on top of lib.sh (source lib.sh, then this, then
# call pc_init and pol_init).
#
# A matrix is a list of phases (one sshd_config each), each with groups (one
# `ssh -N` connection each, as one user with one key from one source
# address), each with -L and -R cases.  policy_run.py runs it against the
# running daemon: it installs each phase's configuration with SIGHUP, runs
# the groups of a phase at the same time, judges every case by data
# through the forward, and (for portcullisd) asks `portcullisd -X` the same
# question, whose answer must agree.  The same matrix can then be run
# against Debian's OpenSSH sshd (pol_backend openssh) and the verdicts
# compared (pol_verdicts).
#
# pol_init             $POL (work dir), POL_ECHO (an echo server on
#                      127.0.0.1), the ssh option file for the runner.
# pol_echo VAR ADDR    another echo server, on ADDR; VAR is its port.
# pol_take VAR...      set each VAR to a port free on 127.0.0.1 and ::1
#                      (from a pool; never the same twice in a test).
# pol_take_suffix VAR DIGITS
#                      the same, for a port whose decimal form ends in DIGITS.
# pol_key USER NAME [OPTIONS]
#                      new key $T/keys/NAME (NAME=USER: the user's default
#                      key) appended to USER's authorized_keys with
#                      OPTIONS; POL_KEYLINE[NAME] is its FILE:LINE.
# pol_phase NAME       a new phase; its configuration is pc_config's, from
#                      the lines on stdin.
# pol_group GID USER [KEY [FROM]]
#                      a new group in the phase: one connection as USER with
#                      key KEY (default USER) from source address FROM
#                      (default 127.0.0.1).
# pol_sync             the groups after this one start once the groups
#                      before it are done (e.g. when they share a port).
# pol_L ID LPORT HOST PORT EXP [FLAGS...]
# pol_R ID LISTEN HOST PORT EXP [FLAGS...]
#                      a case in the group: ssh -L LPORT:HOST:PORT or
#                      -R LISTEN:HOST:PORT; EXP is Y (allowed), N (denied)
#                      or ? (record only); FLAGS: nox (no -X), known=TAG
#                      (a known daemon bug makes it fail: reported, not
#                      counted), xknown=TAG (the same for the -X answer).
# pol_backend portcullis|openssh
#                      the daemon pol_run uses (openssh: /usr/sbin/sshd, no
#                      -X; returns 1 if it is not installed), and its log
#                      (PC_LOG: $T/daemon.log for portcullisd, checked for
#                      sanitizer reports at exit; $T/daemon.openssh.log).
#                      Stop the running one first (pol_stop).
# pol_run TAG          run the matrix (starting the daemon if needed) and
#                      append "TAG ID EXP OBS X STATUS DETAIL" lines to
#                      $POL/results.BACKEND; fail the test on any FAIL.
#                      POL_DAEMON_ARGS: -o KEY=VALUE pairs the daemon is
#                      started with (and -X given).
#                      The matrix stays, to be run on another backend;
#                      pol_reset clears it.  POL_JOBS connections at a time
#                      (default 6).
# pol_raw ID USER KEY listen|open HOST PORT EXP [known=TAG] [xknown=TAG]
#         [wire16]
#                      one request the OpenSSH client cannot make (a port
#                      above 65535) through policy_raw.py (paramiko) to the
#                      running daemon, judged and checked with -X like a
#                      matrix case; the result goes to the same results.
#                      wire16: a libssh limitation, not a daemon bug:
#                      libssh 0.10 keeps only the low 16 bits of the port
#                      before the daemon sees the request, so the daemon
#                      can only judge PORT % 65536.  Then -X for PORT must
#                      say N (the policy refuses it), and the observed
#                      verdict must be -X's for PORT % 65536 (what was
#                      judged is what was bound or connected: no bypass);
#                      if that differs from EXP the case counts as LIMIT
#                      (reported, not a failure).
# pol_netns ARGS...    (before pc_init, with "$0" "$@") re-run the test in
#                      a private network namespace (only lo) and mount
#                      namespace when unshare works, so it may bind wildcard
#                      and privileged ports without touching the host's;
#                      POL_NETNS=1 inside, 0 when the test runs where it is.
# pol_hosts            (POL_NETNS=1 only, else returns 1) the lines on stdin
#                      are added to a private copy of /etc/hosts, bind-mounted
#                      over it in the test's own mount namespace.
# pol_echo_at ADDR PORT
#                      an echo server on ADDR and that very PORT.
# pol_run_both TAG     pol_run on portcullisd, and the same matrix on
#                      OpenSSH's sshd: at the same time in a private network
#                      namespace (same port numbers, its own echo servers;
#                      see policy_run.py --start-daemon) when unshare works,
#                      else after it (then the portcullisd daemon is
#                      stopped).  Without /usr/sbin/sshd only portcullisd
#                      runs.
# pol_diff             fail unless both backends gave the same verdicts
#                      (nothing to compare without OpenSSH's results).
# pol_stop             stop the daemon.
# pol_verdicts BACKEND print "TAG/ID OBS [addrs=...]" for every case run on
#                      BACKEND.
# pol_summary          one line per backend: cases, -X checks, known bugs,
#                      libssh limitations (wire16).

declare -A POL_KEYLINE=()
POL_BACKEND=portcullis
POL_DAEMON_ARGS=()
POL_POOL=()
POL_NPHASE=0

pol_init() {
	POL=$T/pol
	mkdir -p "$POL"
	: >"$POL/cases"
	pc_ssh_opts "" | grep -v -e '^-i$' >"$POL/sshopts"
	local asan
	pc_tcp_echo
	POL_ECHO=$PC_TCP_PORT
	POL_ECHOS=("127.0.0.1:$POL_ECHO")
	POL_RUN_PY=$PC_SRCDIR/tests/integration/policy_run.py
	POL_PORTCULLISD=$PORTCULLISD
	POL_DAEMON=$PORTCULLISD
	# -X runs the daemon binary too: an ASan build needs its runtime first
	POL_XPRELOAD=$PC_PRELOAD
	asan=$(ldd "$PORTCULLISD" 2>/dev/null | awk '/libasan/ { print $3 }')
	[ -z "$asan" ] || POL_XPRELOAD=$asan:$PC_PRELOAD
}

pol_echo() {
	BIND=$2 pc_tcp_echo
	printf -v "$1" '%s' "$PC_TCP_PORT"
	case "$2" in
	*:*) POL_ECHOS+=("[$2]:$PC_TCP_PORT") ;;
	*) POL_ECHOS+=("$2:$PC_TCP_PORT") ;;
	esac
}

pol_take() {
	local v
	for v in "$@"; do
		if [ "${#POL_POOL[@]}" -eq 0 ]; then
			read -r -a POL_POOL <<<"$("$PC_PYTHON" "$POL_RUN_PY" ports 48 \
				--used "$T/used_ports")" || pc_fail "pol_take: no free ports"
		fi
		printf -v "$v" '%s' "${POL_POOL[0]}"
		POL_POOL=("${POL_POOL[@]:1}")
	done
}

pol_take_suffix() {
	local p
	p=$("$PC_PYTHON" "$POL_RUN_PY" ports 1 --suffix "$2" --used "$T/used_ports") ||
		pc_fail "pol_take_suffix: no free port ending in $2"
	printf -v "$1" '%s' "$p"
}

pol_key() {
	local u=$1 name=$2 opts=${3:-} ak
	ak=$T/home/$u/.ssh/authorized_keys
	[ -f "$T/keys/$name" ] || pc_userkey "$u" ed25519 "$name"
	pc_authorize -k "$name" "$u" "$opts"
	POL_KEYLINE[$name]=$ak:$(wc -l <"$ak")
}

pol_phase() {
	POL_NPHASE=$((POL_NPHASE + 1))
	pc_config
	cp "$T/sshd_config" "$POL/cfg.$POL_NPHASE"
	echo "phase $1 $POL/cfg.$POL_NPHASE" >>"$POL/cases"
}

pol_group() {
	local kl=
	if [ -n "${POL_KEYLINE[${3:-$2}]:-}" ]; then
		kl=" keyline=${POL_KEYLINE[${3:-$2}]}"
	fi
	echo "group $1 user=$2 key=${3:-$2} from=${4:-127.0.0.1}$kl" >>"$POL/cases"
}

pol_sync() {
	echo sync >>"$POL/cases"
}

pol_L() {
	echo "L $*" >>"$POL/cases"
}

pol_R() {
	echo "R $*" >>"$POL/cases"
}

pol_backend() {
	case "$1" in
	portcullis)
		POL_DAEMON=$POL_PORTCULLISD
		PC_LOG=$T/daemon.log
		;;
	openssh)
		[ -x /usr/sbin/sshd ] || return 1
		POL_DAEMON=/usr/sbin/sshd
		PC_LOG=$T/daemon.openssh.log
		;;
	*) pc_fail "pol_backend: portcullis or openssh, not '$1'" ;;
	esac
	POL_BACKEND=$1
}

pol_reset() {
	: >"$POL/cases"
}

# shellcheck disable=SC2153 # PORT: set by pc_config
pol_run() {
	local tag=$1 xa=() rc=0 first o
	if [ -z "${PC_DAEMON_PID:-}" ]; then
		first=$(awk '$1 == "phase" { print $3; exit }' "$POL/cases")
		[ -n "$first" ] || pc_fail "pol_run: no phase"
		cp "$first" "$T/sshd_config"
		if [ "$POL_BACKEND" = openssh ]; then
			[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd; }
		fi
		PORTCULLISD=$POL_DAEMON pc_start_daemon "${POL_DAEMON_ARGS[@]}"
	fi
	if [ "$POL_BACKEND" = portcullis ]; then
		xa=(--x-daemon "$POL_PORTCULLISD" --x-preload "$POL_XPRELOAD")
		for o in "${POL_DAEMON_ARGS[@]}"; do
			[ "$o" = -o ] || xa+=(--x-opt "$o")
		done
	fi
	"$PC_PYTHON" "$POL_RUN_PY" run --cases "$POL/cases" --port "$PORT" \
		--ssh-opts "$POL/sshopts" --keys "$T/keys" \
		--daemon-pid "$PC_DAEMON_PID" --daemon-log "$PC_LOG" \
		--config-target "$T/sshd_config" --backend "$POL_BACKEND" \
		--results "$POL/res" --tag "$POL_BACKEND/$tag" \
		--jobs "${POL_JOBS:-6}" --timeout "$PC_TIMEOUT" "${xa[@]}" || rc=$?
	[ ! -f "$POL/res" ] || sed "s/^/$tag /" "$POL/res" >>"$POL/results.$POL_BACKEND"
	rm -f "$POL/res"
	[ "$rc" -eq 0 ] || pc_fail "$POL_BACKEND: policy matrix '$tag' failed (see above)"
}

pol_stop() {
	pc_stop_daemon
}

pol_run_both() {
	local tag=$1 twin='' rc=0 e ech=() start=$SECONDS
	if [ "$POL_BACKEND" != portcullis ]; then
		pc_fail "pol_run_both: start from the portcullis backend"
	fi
	if [ -x /usr/sbin/sshd ] && unshare -n true 2>/dev/null; then
		for e in "${POL_ECHOS[@]}"; do
			ech+=(--echo "$e")
		done
		: >"$T/daemon.openssh.log"
		pc_bg unshare -n -- "$PC_PYTHON" "$POL_RUN_PY" run \
			--cases "$POL/cases" --port "$PORT" --ssh-opts "$POL/sshopts" \
			--keys "$T/keys" --start-daemon /usr/sbin/sshd \
			--daemon-preload "$PC_PRELOAD" \
			--daemon-log "$T/daemon.openssh.log" \
			--config-target "$POL/twin_config" --backend openssh \
			--results "$POL/res.openssh" --tag "openssh/$tag" \
			--jobs "${POL_JOBS:-6}" --timeout "$PC_TIMEOUT" "${ech[@]}" \
			2>"$POL/twin.err"
		twin=$PC_BG_PID
	fi
	pol_run "$tag"
	if [ -n "$twin" ]; then
		wait "$twin" || rc=$?
		pc__forget "$twin"
		cat "$POL/twin.err" >&2
		[ ! -f "$POL/res.openssh" ] ||
			sed "s/^/$tag /" "$POL/res.openssh" >>"$POL/results.openssh"
		[ "$rc" -eq 0 ] ||
			pc_fail "openssh: policy matrix '$tag' failed (see above; log $T/daemon.openssh.log)"
		echo "portcullisd and OpenSSH sshd (at the same time): $((SECONDS - start))s"
	elif pol_backend openssh; then
		echo "portcullisd: $((SECONDS - start))s"
		start=$SECONDS
		pol_stop
		pol_run "$tag"
		pol_stop
		pol_backend portcullis
		echo "OpenSSH sshd: $((SECONDS - start))s"
	else
		echo "no /usr/sbin/sshd: differential part skipped"
	fi
}

pol_netns() {
	if [ -n "${POL_NETNS:-}" ]; then
		return 0
	fi
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
		command -v ip >/dev/null && unshare -n -m true 2>/dev/null; then
		export POL_NETNS=1
		exec unshare -n -m -- bash -c 'ip link set lo up && exec bash "$@"' \
			bash "$@"
	fi
	POL_NETNS=0
}

pol_hosts() {
	[ "${POL_NETNS:-0}" = 1 ] || return 1
	{
		cat /etc/hosts
		cat
	} >"$POL/hosts"
	chmod 644 "$POL/hosts"
	mount --bind "$POL/hosts" /etc/hosts
}

pol_echo_at() {
	local pf=$POL/echo.$1.$2
	pc_bg pc_tcp echo --bind "$1" --port "$2" --port-file "$pf"
	pc_wait_for test -s "$pf" || pc_fail "no echo server on $1 port $2"
	case "$1" in
	*:*) POL_ECHOS+=("[$1]:$2") ;;
	*) POL_ECHOS+=("$1:$2") ;;
	esac
}

pol_raw() {
	local id=$1 u=$2 key=$3 what=$4 host=$5 port=$6 exp=$7 f obs x=-
	local spec known='' xknown='' st=ok why='' wire16='' x16=-
	shift 7
	for f in "$@"; do
		case "$f" in
		known=*) known=${f#known=} ;;
		xknown=*) xknown=${f#xknown=} ;;
		wire16) wire16=1 ;;
		*) pc_fail "pol_raw: unknown flag '$f'" ;;
		esac
	done
	obs=$("$PC_PYTHON" "$PC_SRCDIR/tests/integration/policy_raw.py" \
		--port "$PORT" --user "$u" --key "$T/keys/$key" \
		--timeout "$PC_TIMEOUT" "$what" "$host" "$port") ||
		pc_fail "policy_raw.py $what $host $port as $u failed"
	: >"$POL/raw.x"
	if [ "$POL_BACKEND" = portcullis ]; then
		spec=user=$u,addr=127.0.0.1
		[ -z "${POL_KEYLINE[$key]:-}" ] || spec+=,key=${POL_KEYLINE[$key]}
		x=$(pol__raw_x "$spec,$what=$host:$port" "$POL/raw.x")
		if [ -n "$wire16" ]; then
			x16=$(pol__raw_x "$spec,$what=$host:$((port % 65536))" "$POL/raw.x16")
		fi
	fi
	if [ -n "$wire16" ] && [ "$x" != - ]; then
		if [ "$x" != N ]; then
			pc_fail "$POL_BACKEND/raw $id: -X for port $port says $x, want N (above 65535): $(tr '\n' ' ' <"$POL/raw.x")"
		fi
		if [ "$obs" != "$x16" ]; then
			pc_fail "$POL_BACKEND/raw $id: observed $obs, but the policy says $x16 for port $((port % 65536)), the port libssh hands the daemon: the truncation changed the verdict ($(tr '\n' ' ' <"$POL/raw.x16"))"
		fi
		if [ "$obs" != "$exp" ]; then
			st=LIMIT
			why="libssh 0.10 keeps 16 bits of port $port: judged and served as port $((port % 65536)) ($obs); -X for $port says N"
		fi
		echo "raw $id $exp $obs $x $st $what $host:$port" >>"$POL/results.$POL_BACKEND"
		[ "$st" = ok ] || echo "$POL_BACKEND/raw: LIMIT $id: $why" >&2
		return 0
	fi
	if [ "$obs" != "$exp" ]; then
		why="expected $exp, observed $obs"
		[ -n "$known" ] && st=KNOWN || st=FAIL
	fi
	if [ "$x" != - ] && [ "$x" != "$obs" ]; then
		why="${why:+$why; }-X says $x, observed $obs"
		if [ -z "$xknown" ]; then
			st=FAIL
		elif [ "$st" = ok ]; then
			st=KNOWN
		fi
	fi
	if [ "$st" = ok ] && [ -n "$known$xknown" ]; then
		st=XPASS
	fi
	echo "raw $id $exp $obs $x $st $what $host:$port" >>"$POL/results.$POL_BACKEND"
	case "$st" in
	ok) ;;
	FAIL) pc_fail "$POL_BACKEND/raw $id: $why ($(tr '\n' ' ' <"$POL/raw.x"))" ;;
	*) echo "$POL_BACKEND/raw: $st $id: ${why:-passes now} ${known:-$xknown}" >&2 ;;
	esac
}

# -X SPEC, output to FILE; prints Y (0), N (1) or E.
pol__raw_x() {
	local rc=0
	env LD_PRELOAD="$POL_XPRELOAD" "$POL_PORTCULLISD" -f "$T/sshd_config" \
		-X "$1" >"$2" 2>&1 || rc=$?
	case "$rc" in
	0) echo Y ;;
	1) echo N ;;
	*) echo E ;;
	esac
}

pol_verdicts() {
	[ -f "$POL/results.$1" ] || return 0
	awk '{ a = ""; for (i = 7; i <= NF; i++) if ($i ~ /^addrs=/) a = " " $i
		print $1 "/" $2, $4 a }' "$POL/results.$1"
}

pol_diff() {
	[ -s "$POL/results.openssh" ] || return 0
	diff <(pol_verdicts portcullis) <(pol_verdicts openssh) >"$POL/diff" ||
		pc_fail "portcullisd and OpenSSH's sshd gave different verdicts (< portcullisd, > OpenSSH):
$(cat "$POL/diff")"
}

pol_summary() {
	local b f
	for b in portcullis openssh; do
		f=$POL/results.$b
		[ -s "$f" ] || continue
		awk -v b="$b" '{ n++; if ($5 != "-") x++; if ($6 == "KNOWN") k++
				if ($6 == "LIMIT") l++ }
			END { printf "%s: %d cases, %d also checked with -X, %d known bug(s)",
				b, n, x, k
				if (l > 0) printf ", %d libssh limitation(s)", l
				printf "\n" }' "$f"
	done
}

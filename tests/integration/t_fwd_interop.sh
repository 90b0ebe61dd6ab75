#!/usr/bin/env bash
# Other ways clients use direct-tcpip / tcpip-forward: ssh -D with SOCKS5
# (curl --socks5-hostname: the server resolves the name; --socks5: an
# address), ssh -W as a ProxyCommand and ssh -J through the daemon to
# itself, and PuTTY's plink -L and -R.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_config </dev/null
pc_start_daemon

pc_tcp_echo
echo4=$PC_TCP_PORT
mkdir -p "$T/www"
head -c 300000 /dev/urandom >"$T/www/blob"
fwd_server http --dir "$T/www"
http=$FWD_PORT

# ---- -D: SOCKS5 ----
if command -v curl >/dev/null; then
	d=$(pc_free_port)
	fwd_ssh_bg alice -D "127.0.0.1:$d"
	fwd_wait_listen "$d"
	curl -sS --max-time "$PC_TIMEOUT" --socks5-hostname "127.0.0.1:$d" \
		-o "$T/blob.1" "http://localhost:$http/blob" ||
		pc_fail "curl --socks5-hostname through -D failed"
	cmp -s "$T/www/blob" "$T/blob.1" || pc_fail "-D (socks5h): the file differs"
	pc_wait_log -F "forward open allowed: user=alice from=127.0.0.1"
	pc_wait_log -F "to=localhost:$http rule=\"default\""
	curl -sS --max-time "$PC_TIMEOUT" --socks5 "127.0.0.1:$d" \
		-o "$T/blob.2" "http://127.0.0.1:$http/blob" ||
		pc_fail "curl --socks5 through -D failed"
	cmp -s "$T/www/blob" "$T/blob.2" || pc_fail "-D (socks5): the file differs"
	pc_wait_log -F "to=127.0.0.1:$http rule=\"default\""
	pc_kill "$FWD_SSH_PID"
else
	echo "curl not installed: -D part skipped"
fi

# ---- -W: the daemon as a jump host to itself ----
proxy="ssh $(pc_ssh_opts alice | tr '\n' ' ') -W %h:%p -p $PORT 127.0.0.1"
l=$(pc_free_port)
fwd_ssh_bg alice -o "ProxyCommand=$proxy" -L "$l:127.0.0.1:$echo4"
fwd_wait_listen "$l"
pc_tcp_echo_check 127.0.0.1 "$l" 200000 || pc_fail "-L over a -W proxied connection failed"
pc_wait_log -F "to=127.0.0.1:$PORT rule=\"default\""
pc_kill "$FWD_SSH_PID"
# ... and as ProxyJump (ssh passes -F on to the jump ssh it starts; the
# destination is named localhost, or ssh sees a jump host loop)
sed "s/^\[127\.0\.0\.1\]/[localhost]/" "$T/known_hosts" >"$T/known_hosts_j"
cat "$T/known_hosts" >>"$T/known_hosts_j"
cat >"$T/ssh_config" <<CONF
Host *
	User alice
	IdentityFile $T/keys/alice
	IdentitiesOnly yes
	UserKnownHostsFile $T/known_hosts_j
	GlobalKnownHostsFile /dev/null
	CheckHostIP no
	StrictHostKeyChecking yes
	BatchMode yes
	LogLevel ERROR
CONF
l=$(pc_free_port)
pc_bg pc__client_env ssh -F "$T/ssh_config" -J "alice@127.0.0.1:$PORT" -N \
	-L "$l:127.0.0.1:$echo4" -p "$PORT" localhost 2>"$T/jump.err"
jump=$PC_BG_PID
pc_wait_for fwd__listen_is "$l" || pc_fail "ssh -J did not come up: $(cat "$T/jump.err")"
pc_tcp_echo_check 127.0.0.1 "$l" 200000 || pc_fail "-L over a -J connection failed"
pc_wait_log -F "to=localhost:$PORT rule=\"default\""
pc_kill "$jump"

# ---- PuTTY plink -L and -R ----
if command -v plink >/dev/null && command -v puttygen >/dev/null; then
	puttygen "$T/keys/alice" -O private -o "$T/alice.ppk" >/dev/null 2>&1 ||
		pc_fail "puttygen could not convert alice's key"
	fp=$(ssh-keygen -l -E sha256 -f "$T/hostkey.pub" | awk '{ print $2 }')
	pl=$(pc_free_port)
	pr=$(pc_free_port)
	mkdir -p "$T/puttyhome"
	pc_bg env -u LD_PRELOAD -u NSS_WRAPPER_PASSWD -u NSS_WRAPPER_GROUP \
		HOME="$T/puttyhome" plink -batch -ssh -N -P "$PORT" -l alice \
		-i "$T/alice.ppk" -hostkey "$fp" \
		-L "$pl:127.0.0.1:$echo4" -R "$pr:127.0.0.1:$echo4" 127.0.0.1 \
		>"$T/plink.out" 2>&1
	plink_pid=$PC_BG_PID
	pc_wait_for fwd__listen_is "$pl" ||
		pc_fail "plink -L did not listen: $(cat "$T/plink.out")"
	fwd_wait_listen "$pr"
	# PuTTY sends winadj@putty.projects.tartarus.org requests (want-reply)
	# on its channels and treats a reply after our CLOSE as fatal: several
	# channels in a row, then plink must still be running
	for i in 1 2 3 4; do
		pc_tcp_echo_check 127.0.0.1 "$pl" 200000 ||
			pc_fail "plink -L: echo $i failed: $(cat "$T/plink.out")"
		pc_tcp_echo_check 127.0.0.1 "$pr" 200000 ||
			pc_fail "plink -R: echo $i failed: $(cat "$T/plink.out")"
	done
	pc__alive "$plink_pid" || pc_fail "plink exited: $(cat "$T/plink.out")"
	if grep -q "FATAL" "$T/plink.out"; then
		pc_fail "plink: $(cat "$T/plink.out")"
	fi
	pc_wait_log -F "listen=localhost:$pr rule=\"default\""
	pc_kill "$plink_pid"
	fwd_wait_free "$pr"
else
	echo "plink/puttygen not installed: PuTTY part skipped"
fi
pc_pass

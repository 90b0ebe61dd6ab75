#!/usr/bin/env bash
# GatewayPorts no / yes / clientspecified x -R P / -R :P / -R 0.0.0.0:P /
# -R 127.0.0.1:P: where the listener is bound (ss -ltn) must be POLICY.md
# A.3's table; the forwarded-tcpip open echoes the client's exact string
# (the client accepts the channel: data flows); GatewayPorts yes tells the
# client "overridden" (shown with ssh -v).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fwd_lib.sh"
pc_init
pc_authorize alice
pc_tcp_echo
echo4=$PC_TCP_PORT
ports=("$(pc_free_port)" "$(pc_free_port)" "$(pc_free_port)" "$(pc_free_port)")

# -R spec (by index) for port P
spec() {
	case $1 in
	0) echo "$2" ;;
	1) echo ":$2" ;;
	2) echo "0.0.0.0:$2" ;;
	3) echo "127.0.0.1:$2" ;;
	esac
}
# expected listeners: KIND PORT
addrs() {
	case $1 in
	lo) echo "127.0.0.1:$2 [::1]:$2" ;;
	wild) echo "0.0.0.0:$2 [::]:$2" ;;
	v4lo) echo "127.0.0.1:$2" ;;
	v4wild) echo "0.0.0.0:$2" ;;
	esac
}
# GatewayPorts | expected for -R P, -R :P, -R 0.0.0.0:P, -R 127.0.0.1:P |
# which of them get the "overridden" notice
cases=(
	"no|lo lo lo v4lo|"
	"yes|wild wild wild wild|0 3"
	"clientspecified|lo wild v4wild v4lo|"
)

for c in "${cases[@]}"; do
	IFS='|' read -r gw kinds notices <<<"$c"
	read -r -a kind <<<"$kinds"
	pc_config <<-CFG
	GatewayPorts $gw
	CFG
	pc_start_daemon
	args=()
	for i in 0 1 2 3; do
		args+=(-R "$(spec "$i" "${ports[$i]}"):127.0.0.1:$echo4")
	done
	fwd_ssh_bg alice -o ExitOnForwardFailure=yes -o LogLevel=DEBUG1 "${args[@]}"
	for i in 0 1 2 3; do
		p=${ports[$i]}
		want=$(addrs "${kind[$i]}" "$p")
		fwd_wait_listen "$p" "$want"
		pc_tcp_echo_check 127.0.0.1 "$p" 1000 ||
			pc_fail "GatewayPorts $gw, -R $(spec "$i" "$p"): no data through 127.0.0.1:$p"
		echo "GatewayPorts $gw, -R $(spec "$i" "$p"): $want"
	done
	# the client is told when GatewayPorts yes replaced its address
	for i in 0 1 2 3; do
		case " $notices " in
		*" $i "*) want=yes ;;
		*) want=no ;;
		esac
		a=$(spec "$i" "${ports[$i]}")
		a=${a%:*}
		[ "$i" -eq 0 ] && a=localhost
		if grep -qF "Forwarding listen address \"$a\" overridden by server GatewayPorts" "$FWD_SSH_ERR"; then
			got=yes
		else
			got=no
		fi
		pc_expect_eq "$want" "$got" "GatewayPorts $gw, -R $(spec "$i" "${ports[$i]}"): 'overridden' notice"
	done
	pc_kill "$FWD_SSH_PID"
	for p in "${ports[@]}"; do
		fwd_wait_free "$p"
	done
	pc_stop_daemon
done
pc_pass

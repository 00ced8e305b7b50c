#!/usr/bin/env bash
# Configuration 7: two users on one LAN, but alice's browser cannot use UDP at all (a network that passes only
# TCP, as many corporate and hotel networks do): her calls must reach a TURN server over TCP or TLS.
#   alice 198.18.207.11 --- lan --- bob 198.18.207.12
# alice's node still gossips and relays over UDP (on its own ports), which keeps signaling working; only the
# browser's sockets are blocked. The browser's ephemeral ports are moved to 20000-29999 in alice's namespace
# (ip_local_port_range is per namespace) and UDP from or to them is dropped, loopback included.
TOPO=7-udp-blocked TOPO_ID=7
source "$(dirname "$0")/lib.sh"
BROWSER_PORTS=20000:29999
build() {
  switch lan
  host alice; plug alice 198.18.207.11/24 lan
  host bob;   plug bob   198.18.207.12/24 lan
  local a; a=$(ns alice)
  ip netns exec "$a" sysctl -qw net.ipv4.ip_local_port_range="20000 29999"
  ip netns exec "$a" iptables -A OUTPUT -p udp --sport "$BROWSER_PORTS" -j DROP
  ip netns exec "$a" iptables -A INPUT -p udp --dport "$BROWSER_PORTS" -j DROP
  user alice alice -bind 198.18.207.11
  user bob   bob   -bind 198.18.207.12 -peers 198.18.207.11:5000
}
main "$@"

#!/usr/bin/env bash
# Shared pieces of the topology scripts: hosts are network namespaces joined by veth pairs and a bridge,
# NAT routers are namespaces with iptables MASQUERADE. Addresses come from 198.18.0.0/15 only.
# A topology script sets TOPO (its name) and defines build(); this file gives it `up|down|status`.
set -euo pipefail

TOPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$TOPO_DIR/../.." && pwd)
JAR=${DECWEBRTC_JAR:-$REPO/deploy/target/decwebrtc.jar}
STATE_ROOT=${DECWEBRTC_TOPO_STATE:-/run/decwebrtc-topologies}
RTIMER=${DECWEBRTC_RTIMER:-2}
GUI_PORT=8443

state() { echo "$STATE_ROOT/$TOPO"; }
ns() { echo "dw${TOPO_ID}-$1"; }

# host NAME : a namespace with loopback up
host() {
  local n; n=$(ns "$1")
  ip netns add "$n"
  echo "$n" >> "$(state)/namespaces"
  ip -n "$n" link set lo up
}

# wire A IP_A/24 B IP_B/24 : a veth pair between hosts A and B (interface names are the peer's name)
wire() {
  local a=$1 aip=$2 b=$3 bip=$4
  ip link add "v$TOPO_ID$a$b" netns "$(ns "$a")" type veth peer name "v$TOPO_ID$b$a" netns "$(ns "$b")"
  ip -n "$(ns "$a")" link set "v$TOPO_ID$a$b" name "to-$b"
  ip -n "$(ns "$b")" link set "v$TOPO_ID$b$a" name "to-$a"
  ip -n "$(ns "$a")" addr add "$aip" dev "to-$b"
  ip -n "$(ns "$b")" addr add "$bip" dev "to-$a"
  ip -n "$(ns "$a")" link set "to-$b" up
  ip -n "$(ns "$b")" link set "to-$a" up
}

# switch NAME : a host holding one bridge ("the internet" or a LAN); plug HOST IP/24 SWITCH connects a host to it
switch() {
  host "$1"
  ip -n "$(ns "$1")" link add br0 type bridge
  ip -n "$(ns "$1")" link set br0 up
}
plug() {
  local h=$1 ipaddr=$2 sw=$3
  ip link add "p$TOPO_ID$h" netns "$(ns "$h")" type veth peer name "s$TOPO_ID$h" netns "$(ns "$sw")"
  ip -n "$(ns "$h")" link set "p$TOPO_ID$h" name "to-$sw"
  ip -n "$(ns "$h")" addr add "$ipaddr" dev "to-$sw"
  ip -n "$(ns "$h")" link set "to-$sw" up
  ip -n "$(ns "$sw")" link set "s$TOPO_ID$h" master br0 up
}

route_default() { ip -n "$(ns "$1")" route add default via "$2"; }
forwarding() { ip netns exec "$(ns "$1")" sysctl -qw net.ipv4.ip_forward=1; }

# nat ROUTER WAN_IF [symmetric] : masquerade everything leaving WAN_IF; symmetric picks a random port per flow
nat() {
  local r=$1 wan=$2 mode=${3:-cone}
  forwarding "$r"
  if [ "$mode" = symmetric ]; then
    ip netns exec "$(ns "$r")" iptables -t nat -A POSTROUTING -o "$wan" -j MASQUERADE --random-fully
  else
    ip netns exec "$(ns "$r")" iptables -t nat -A POSTROUTING -o "$wan" -j MASQUERADE
  fi
  # Nothing from the outside gets in unless it answers a flow from inside. Drop unsolicited packets before
  # conntrack confirms them: a tracked stray packet would take the port a hole-punching flow needs, and the
  # NAT would pick another port, behaving like a symmetric NAT even in cone mode.
  ip netns exec "$(ns "$r")" iptables -t mangle -A PREROUTING -i "$wan" -m conntrack --ctstate NEW -j DROP
  ip netns exec "$(ns "$r")" iptables -A FORWARD -i "$wan" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  ip netns exec "$(ns "$r")" iptables -A FORWARD -i "$wan" -j DROP
}

# node HOST NAME ARGS... : a decwebrtc node inside HOST's namespace
node() {
  local h=$1 name=$2; shift 2
  local dir; dir=$(state)/$name
  mkdir -p "$dir"
  ip netns exec "$(ns "$h")" setsid java -Xmx256m -jar "$JAR" -name "$name" -dataDir "$dir/data" \
    -rtimer "$RTIMER" "$@" > "$dir/node.log" 2>&1 < /dev/null 9>&- &
  echo $! > "$dir/pid"
  echo "$name $(ns "$h") $!" >> "$(state)/nodes"
}

# user HOST NAME ARGS... : a node with a GUI, reachable from a browser inside the same namespace
user() {
  local h=$1 name=$2; shift 2
  node "$h" "$name" -guiPort "$GUI_PORT" "$@"
  echo "$name $(ns "$h") https://127.0.0.1:$GUI_PORT" >> "$(state)/users"
}

# The node writes its GUI access token to <dataDir>/gui-token at every start; /api/node takes it as ?k=.
token_of() {
  cat "$(state)/$1/data/gui-token" 2>/dev/null || true
}

wait_for_guis() {
  local name n url
  while read -r name n url; do
    for _ in $(seq 1 150); do
      ip netns exec "$n" curl -skf -m 2 -o /dev/null "$url/api/node?k=$(token_of "$name")" && break
      sleep 0.2
    done
  done < "$(state)/users"
}

down() {
  local s; s=$(state)
  [ -d "$s" ] || return 0
  if [ -f "$s/nodes" ]; then
    while read -r _ _ pid; do kill "$pid" 2>/dev/null || true; done < "$s/nodes"
    sleep 0.5
    while read -r _ _ pid; do kill -9 "$pid" 2>/dev/null || true; done < "$s/nodes"
  fi
  if [ -f "$s/namespaces" ]; then
    while read -r n; do
      ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
      ip netns del "$n" 2>/dev/null || true
    done < "$s/namespaces"
  fi
  rm -rf "$s"
}

main() {
  [ "$(id -u)" = 0 ] || { echo "$TOPO: run as root (network namespaces)" >&2; exit 1; }
  mkdir -p "$STATE_ROOT"
  exec 9>"$STATE_ROOT/.lock"
  flock -w 60 9 || { echo "$TOPO: another topology script is running" >&2; exit 1; }
  case "${1:-}" in
    up)
      if [ -d "$(state)" ]; then echo "$TOPO: already up (run '$0 down' first)" >&2; exit 1; fi
      [ -f "$JAR" ] || { echo "$TOPO: $JAR missing: run 'mvn -B package -DskipTests' first" >&2; exit 1; }
      # leftovers of a run that died without 'down' (its state is gone, its namespaces may not be)
      for n in $(ip netns list | awk '{print $1}' | grep "^dw${TOPO_ID}-" || true); do
        ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$n"
      done
      mkdir -p "$(state)"
      : > "$(state)/namespaces"; : > "$(state)/nodes"; : > "$(state)/users"
      trap 'echo "$TOPO: build failed, tearing down" >&2; down' ERR
      build
      wait_for_guis
      trap - ERR
      echo "$TOPO is up. Users (open each inside its namespace, e.g. ip netns exec NS chromium URL):"
      while read -r name n url; do echo "  $name  ns=$n  $url/#k=$(token_of "$name")"; done < "$(state)/users"
      ;;
    down) down; echo "$TOPO is down" ;;
    status) [ -d "$(state)" ] && cat "$(state)/users" || echo "$TOPO is down" ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
}

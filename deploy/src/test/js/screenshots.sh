#!/usr/bin/env bash
# Starts two nodes on loopback from the built jar and takes the page's screenshots into docs/screenshots.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../../.. && pwd)
jar=$root/deploy/target/decwebrtc.jar
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ga=$(free_port); gb=$(free_port); ua=$(free_port); ub=$(free_port); sa=$(free_port); sb=$(free_port)
java -jar "$jar" -name alice -dataDir "$work/alice" -bind 127.0.0.1 -gossipPort "$ga" -guiPort "$ua" -stunPort "$sa" -rtimer 1 > "$work/alice.log" 2>&1 &
pids+=($!)
java -jar "$jar" -name bob -dataDir "$work/bob" -bind 127.0.0.1 -gossipPort "$gb" -guiPort "$ub" -stunPort "$sb" -rtimer 1 -peers "127.0.0.1:$ga" > "$work/bob.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q 'GUI at' "$work/alice.log" && grep -q 'GUI at' "$work/bob.log" && break; sleep 0.2; done
mkdir -p "$root/docs/screenshots"
node screenshots.mjs "https://127.0.0.1:$ua/#k=$(cat "$work/alice/gui-token")" "https://127.0.0.1:$ub/#k=$(cat "$work/bob/gui-token")" "$root/docs/screenshots"

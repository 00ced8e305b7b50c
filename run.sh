#!/usr/bin/env bash
# Builds the node if needed and starts it.
#   ./run.sh                 local two-user demo: alice (https://127.0.0.1:8080) and bob (https://127.0.0.1:8081);
#                            prints both links with their access keys (#k=...)
#   ./run.sh -name alice ... one node with the given flags (see ./run.sh --help)
set -euo pipefail
cd "$(dirname "$0")"
JAR=deploy/target/decwebrtc.jar
if [ ! -f "$JAR" ] || [ -n "$(find . -path ./deploy/target -prune -o \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -path './frontend/*' \) -newer "$JAR" -print -quit)" ]; then
  mvn -B -q package -DskipTests
fi
if [ $# -gt 0 ]; then
  exec java -jar "$JAR" "$@"
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
data=${DECWEBRTC_DATA:-$HOME/.decwebrtc}
# Each node writes a fresh GUI access token to <dataDir>/gui-token at every start; the links below carry it.
rm -f "$data/alice/gui-token" "$data/bob/gui-token"
java -jar "$JAR" -name alice -dataDir "$data/alice" -gossipPort 5000 -guiPort 8080 -stunPort 3478 -turnAllowPeers 127.0.0.0/8 &
pids+=($!)
java -jar "$JAR" -name bob -dataDir "$data/bob" -gossipPort 5001 -guiPort 8081 -stunPort 3479 -peers 127.0.0.1:5000 -turnAllowPeers 127.0.0.0/8 &
pids+=($!)
for _ in $(seq 1 300); do
  [ -s "$data/alice/gui-token" ] && [ -s "$data/bob/gui-token" ] && break
  sleep 0.2
done
echo "demo: open these links (they carry each node's access key) and accept the self-signed certificate; Ctrl-C stops both:"
echo "  alice: https://127.0.0.1:8080/#k=$(cat "$data/alice/gui-token" 2>/dev/null || echo '?')"
echo "  bob:   https://127.0.0.1:8081/#k=$(cat "$data/bob/gui-token" 2>/dev/null || echo '?')"
wait

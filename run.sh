#!/usr/bin/env bash
# Builds the node if needed and starts it.
#   ./run.sh                 local two-user demo: alice (https://127.0.0.1:8080) and bob (https://127.0.0.1:8081)
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
java -jar "$JAR" -name alice -gossipPort 5000 -guiPort 8080 -stunPort 3478 -turnAllowPeers 127.0.0.0/8 &
pids+=($!)
java -jar "$JAR" -name bob -gossipPort 5001 -guiPort 8081 -stunPort 3479 -peers 127.0.0.1:5000 -turnAllowPeers 127.0.0.0/8 &
pids+=($!)
echo "demo: open https://127.0.0.1:8080 (alice) and https://127.0.0.1:8081 (bob) and accept the self-signed certificate; Ctrl-C stops both"
wait

#!/usr/bin/env bash
# Issue 4, must-show 3, literally: start the packaged node with
#   java -jar deploy/target/decwebrtc.jar -name n1 -disableGui -stunPort 13478
# and check that `turnutils_stunclient -p 13478 127.0.0.1` gets its reflexive address from it.
# (TURN is on by default, so the TURN verticle serves the port with the same STUN server and Binding handler;
# EXTRA_ARGS="-turn false" checks the STUN-only verticle.) The node is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-deploy/target/decwebrtc.jar}
[ -f "$JAR" ] || { echo "missing $JAR: mvn -B -pl deploy -am package -DskipTests" >&2; exit 1; }
[ -z "$(ss -Hln "( sport = :13478 )" 2>/dev/null)" ] || { echo "port 13478 is already in use" >&2; exit 1; }
WORK=$(mktemp -d /tmp/stunjar.XXXXXX)
# HOME is redirected so the node's default data directory (~/.decwebrtc/n1) lands in the scratch directory.
# shellcheck disable=SC2086
HOME="$WORK" java -jar "$JAR" -name n1 -disableGui -stunPort 13478 ${EXTRA_ARGS:-} >"$WORK/node.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do
    if out=$(timeout 3 turnutils_stunclient -p 13478 127.0.0.1 2>&1) && grep -q "UDP reflexive addr: 127.0.0.1:" <<<"$out"; then
        grep "reflexive addr" <<<"$out"
        ss -Hlnup "( sport = :13478 )" | grep -q "pid=$PID," || { echo "FAIL: port 13478 not served by the node" >&2; exit 1; }
        echo "OK: the node (pid $PID) answered turnutils_stunclient"
        exit 0
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.5
done
echo "FAIL: no Binding response; node log:" >&2
cat "$WORK/node.log" >&2
exit 1

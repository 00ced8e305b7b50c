#!/usr/bin/env bash
# Where our TURN relay spends its CPU at saturation: TurnMain under Java Flight Recorder (profile settings) while
# bench/turn/turnload.c keeps FLOWS flows saturated; prints the hottest methods (top frame of the execution
# samples), the hottest frames anywhere in the stack (inclusive), and the allocation pressure by class.
#
# Usage: bench/turn/profile.sh          (env: FLOWS=16 WINDOW_TOTAL=128 SIZE=200 SECONDS_PER_RUN=15 TOP=25)
# Needs deploy/target/decwebrtc.jar (mvn -B -pl deploy -am package -DskipTests), gcc, libssl-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FLOWS=${FLOWS:-16}; WINDOW_TOTAL=${WINDOW_TOTAL:-128}; SIZE=${SIZE:-200}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
TOP=${TOP:-25}
JAR=$ROOT/deploy/target/decwebrtc.jar
WORK=$(mktemp -d /tmp/turn-profile.XXXXXX)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
[ -f "$JAR" ] || { echo "missing $JAR" >&2; exit 1; }
gcc -O2 -Wall -o "$WORK/turnload" bench/turn/turnload.c -lcrypto
PORT=$((20000 + RANDOM % 10000))
cat > "$WORK/turn.json" <<JSON
{"name":"bench","bind":"127.0.0.1","stun":{"port":$PORT},"dataDir":"$WORK/ours",
 "turn":{"realm":"bench","users":["u:p"],"relayPorts":"42000-42999",
         "allowPeers":["127.0.0.0/8"],"bandwidthBytesPerSecond":0,"maxAllocationsPerUser":1000,
         "maxAllocationsPerAddress":1000}}
JSON
java -Xmx512m -XX:StartFlightRecording=filename="$WORK/relay.jfr",settings=profile,dumponexit=true \
  -cp "$ROOT/turn-verticle/target/classes:$ROOT/stun-verticle/target/classes:$JAR" \
  org.decwebrtc.turn.TurnMain "$WORK/turn.json" > "$WORK/ours.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do ss -Hlun "sport = :$PORT" | grep -q . && break; sleep 0.1; done
"$WORK/turnload" 127.0.0.1 "$PORT" u p "$FLOWS" $((WINDOW_TOTAL / FLOWS)) "$SIZE" 3 "$SECONDS_PER_RUN" \
  || { echo "load generator failed; the relay's log:" >&2; tail -40 "$WORK/ours.log" >&2; exit 1; }
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
echo "== hottest methods (top frame of jdk.ExecutionSample)"
jfr print --events jdk.ExecutionSample "$WORK/relay.jfr" | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print }' \
  | sort | uniq -c | sort -rn | head -"$TOP"
echo "== inclusive (frame anywhere in the first 12 of the stack)"
jfr print --stack-depth 12 --events jdk.ExecutionSample "$WORK/relay.jfr" | awk '
  /stackTrace = \[/ { inside = 1; delete seen; next }
  inside && /^[ \t]*\]/ { inside = 0; next }
  inside { f = $0; sub(/^[ \t]+/, "", f); sub(/line:.*/, "", f); if (!(f in seen)) { seen[f] = 1; c[f]++ } }
  END { for (f in c) print c[f], f }' | sort -rn | head -"$TOP"
echo "== allocation by class (jdk.ObjectAllocationSample weight, MB)"
jfr print --events jdk.ObjectAllocationSample "$WORK/relay.jfr" | awk '
  /objectClass = / { cls = $3 }
  /weight = / { w = $3; u = $4; if (u ~ /kB/) w /= 1024; else if (u ~ /bytes/) w /= 1048576; else if (u ~ /GB/) w *= 1024; a[cls] += w }
  END { for (k in a) printf "%10.1f %s\n", a[k], k }' | sort -rn | head -15

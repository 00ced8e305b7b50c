#!/usr/bin/env bash
# Conference bench (not a test): N participants (default 6) on this machine, each a headless Chromium with a fake
# 320x240 camera on its own node; prints frames/s received per tile, CPU per browser and video kbit/s sent per leg,
# with the media budget and without it (?budget=off). Starts browsers: run it under the heavy lock on a shared box:
#   flock /tmp/decwebrtc-heavy.lock bench/conference/run.sh [N]      (env MEASURE_SECONDS=20, UPLINK_BPS=1000000: the
#   uplink the budget divides among the legs, JOIN_GAP_MS=2000 between one Join click and the next,
#   MESH_SECONDS=180: how long the mesh gets to form before what there is gets measured, BROWSER_NICE=10: the
#   browsers' niceness, so the one JVM running every node gets its CPU on time as a node on its own machine would)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
mvn -B -q -o -pl deploy -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$ROOT/deploy/target/bench.classpath" >/dev/null
CP="$ROOT/deploy/target/test-classes:$ROOT/deploy/target/classes:$(cat "$ROOT/deploy/target/bench.classpath")"
for m in node-api gossip-verticle stun-verticle turn-verticle gateway-verticle; do CP="$ROOT/$m/target/classes:$CP"; done
java -Djava.util.logging.config.file="$ROOT/bench/conference/logging.properties" -DmeasureSeconds="${MEASURE_SECONDS:-20}" -DuplinkBps="${UPLINK_BPS:-1000000}" \
    -DjoinGapMs="${JOIN_GAP_MS:-2000}" -DmeshSeconds="${MESH_SECONDS:-180}" \
    -DbrowserNice="${BROWSER_NICE:-10}" \
    -cp "$CP" "$ROOT/bench/conference/ConferenceBench.java" "$@"

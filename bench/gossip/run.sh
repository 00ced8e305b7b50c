#!/usr/bin/env bash
# Gossip at scale (not a test): N gossip nodes in one JVM on loopback UDP, random connected graph of degree 4-8,
# rtimer 10 s. Prints convergence after the last start (every node's routes reach every other; every directory shows
# it), steady-state bytes/s per node (counted on the sockets) and
# the time until every directory is right after 10 % of the nodes are killed; appends one CSV line per N and draws
# docs/gossip-bench.svg from the CSV (bench/gossip/plot.py, no network needed).
#
# Usage: bench/gossip/run.sh [N ...]        (default: 10 100 300 1000; env STEADY_SECONDS=20 KEEPALIVE_MS=250
#        KILL=crash|leave VERBOSE=1 WARMUP=true|2 (one or two unmeasured starts of each N first: the JIT compiled)
#        GC=-XX:+UseParallelGC (the default; GC=-XX:+UseG1GC for the JVM's own default collector)
#        JAVA_OPTS=..., e.g. -XX:StartFlightRecording=filename=/tmp/g.jfr for a profile;
#        PROFILE_DIR=DIR PROFILER_JAR=async-profiler-4.1-linux-x64.jar (Maven Central
#        tools.profiler:async-profiler:4.1:jar:linux-x64): CPU profiles of the start and of the steady state apart)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${OUT:-$ROOT/bench/gossip/results.csv}
# The plot in docs/ is redrawn only from the CSV kept in the repository; a run to another OUT plots beside it.
if [ "$OUT" = "$ROOT/bench/gossip/results.csv" ]; then PLOT=$ROOT/docs/gossip-bench.svg; else PLOT=${OUT%.csv}.svg; fi
mvn -B -q -o -pl node-api,gossip-verticle compile dependency:build-classpath \
    -Dmdep.outputFile="$ROOT/gossip-verticle/target/bench.classpath" >/dev/null
CP="$ROOT/gossip-verticle/target/classes:$ROOT/node-api/target/classes:$(cat "$ROOT/gossip-verticle/target/bench.classpath")"
CP="$CP${PROFILER_JAR:+:$PROFILER_JAR}"
rm -f "$OUT"
[ $# -gt 0 ] || set -- 10 100 300 1000
# One heap holds hundreds of simulated nodes: the throughput collector, not G1, whose write barriers and
# concurrent refinement took a tenth of the samples of an N=300 start.
java -Xmx3g -Xss512k ${GC:--XX:+UseParallelGC} ${JAVA_OPTS:-} -Djava.util.logging.config.file=/dev/null -Dverbose=${VERBOSE:-} -Dprofile=${PROFILE_DIR:-} -Dkeepalive=${KEEPALIVE_MS:-250} -Dkill=${KILL:-crash} -Dwarmup=${WARMUP:-false} -DsteadySeconds="${STEADY_SECONDS:-20}" \
    -cp "$CP" "$ROOT/bench/gossip/GossipBench.java" "$OUT" "$@"
python3 "$ROOT/bench/gossip/plot.py" "$OUT" "$PLOT"
echo "results: $OUT, plot: $PLOT"

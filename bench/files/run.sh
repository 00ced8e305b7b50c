#!/usr/bin/env bash
# File transfer benchmark: two nodes, two headless Chromium in a call with fake camera and microphone; in one run a
# raw DataChannel on the call's own peer connection (16/64/256 KiB messages) vs the app's file transfer, the call's
# video frames/s before and during, the rate between 10 % and 90 % of the bytes (the steady state, without the ends),
# and the peak memory (PSS) of the sending and the receiving browser.
#
# Usage: bench/files/run.sh                      (env: SIZES=20,200 ROUNDS=2 RAW_KIB=16,64,256 SKIP_BUILD=1
#                                                 APP_OPTIONS='{"messageBytes":65536}' JAR=another-build.jar
#                                                 CPU_THREADS=14: threads listed in the CPU lines
#                                                 RAW_CHANNELS=2 RAW_PRIORITY=very-low: the raw reference's)
#        SIZES=1024 ROUNDS=1 RAW_KIB= bench/files/run.sh     (1 GiB, app only: bounded memory on both sides)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SIZES=${SIZES:-20,200}; ROUNDS=${ROUNDS:-2}; RAW_KIB=${RAW_KIB-16,64,256}; APP_OPTIONS=${APP_OPTIONS:-'{}'}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building the node jar..." >&2
  mvn -B -q -DskipTests package >&2
fi
WORK=$(mktemp -d /tmp/files-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mvn -B -q -f bench/files/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
cp "${JAR:-$ROOT/deploy/target/decwebrtc.jar}" "$WORK/node.jar" # a rebuild during the run must not pull it from under the nodes
java -DcpuThreads="${CPU_THREADS:-7}" -DrawChannels="${RAW_CHANNELS:-1}" -DrawPriority="${RAW_PRIORITY:-}" -cp "$(cat "$WORK/cp.txt")" bench/files/FileBench.java "$WORK/node.jar" "$WORK" \
  "$SIZES" "$ROUNDS" "$RAW_KIB" "$APP_OPTIONS"

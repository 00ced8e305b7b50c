#!/usr/bin/env bash
# Codec cost of the Binding hot path, ours vs ice4j's message classes (decode request, build + encode response):
# ns and allocated bytes per request on one thread. Uses the stun-verticle test classpath (run
# `mvn -B -o -q -pl stun-verticle install -DskipTests` first if target/test-classes is missing).
set -euo pipefail
cd "$(dirname "$0")/../../stun-verticle"
[ -d target/test-classes ] || { echo "build first: mvn -B -o -q -pl stun-verticle install -DskipTests" >&2; exit 1; }
mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx512m -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    org.decwebrtc.stun.bench.CodecBench 2>&1 | grep -E "round|Exception"

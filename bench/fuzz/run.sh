#!/bin/sh
# Coverage-guided fuzzing (Jazzer) of every fuzz test, one Maven run each (Jazzer fuzzes one test per JVM), until
# each test's maxExecutions (10^6). New corpus entries land in <module>/.cifuzz-corpus; findings (crashing inputs)
# land in the test's src/test/resources/...Inputs directory, where the normal build replays them from then on.
# Usage: bench/fuzz/run.sh   (from the repository root; prints executions and coverage per test)
set -eu
cd "$(dirname "$0")/../.."
for target in stun-verticle:StunInputFuzzTest turn-verticle:TurnRequestFuzzTest gossip-verticle:GossipPacketFuzzTest \
        gateway-verticle:TabProtocolFuzzTest; do
    module=${target%%:*}
    test=${target#*:}
    log=$(mktemp)
    mvn -B -Pfuzz -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || {
        echo "$test: FAILED (see $log)"; continue; }
    echo "$test: $(grep -E '#[0-9]+[[:space:]]+DONE' "$log" | tail -1)"
    echo "$test: $(grep -E '^Done [0-9]+ runs' "$log" | tail -1)"
    rm -f "$log"
done

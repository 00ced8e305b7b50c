#!/usr/bin/env bash
# TURN relay benchmark: our TurnVerticle vs coturn's turnserver, both on 127.0.0.1, same load generator
# (bench/turn/TurnLoad.java, independent of our code), same run, interleaved rounds. Prints relayed
# ChannelData packets/s and round-trip latency added by the relay (p50/p99), and the ratios ours/coturn.
#
# Usage: bench/turn/run.sh            (env: FLOWS=4 PHASE_SECONDS=8 RATE=4000 WINDOW=32 SIZE=100 ROUNDS=3 SKIP_BUILD=1)
# A/B: BASE_CP=<classes dirs of an earlier build, ':'-separated> also runs that build as "base" in every round
# (between ours and coturn) and prints ours/base ratios, so a change is judged against its predecessor in one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FLOWS=${FLOWS:-4}; SECONDS_PER_PHASE=${PHASE_SECONDS:-8}; RATE=${RATE:-4000}; WINDOW=${WINDOW:-32}; SIZE=${SIZE:-100}
ROUNDS=${ROUNDS:-3}
OURS_PORT=${OURS_PORT:-34780}; COTURN_PORT=${COTURN_PORT:-34790}; BASE_PORT=${BASE_PORT:-34800}
BASE_CP=${BASE_CP:-}
# Optional CPU pinning, the same for every server: e.g. SERVER_CPUS=1 LOAD_CPUS=0 keeps the load generator off the
# server's core, so what is measured is the server and not the two fighting for the same CPU.
SERVER_PIN=${SERVER_CPUS:+taskset -c $SERVER_CPUS}; LOAD_PIN=${LOAD_CPUS:+taskset -c $LOAD_CPUS}
JAR=$ROOT/deploy/target/decwebrtc.jar
WORK=$(mktemp -d /tmp/turn-bench.XXXXXX)
OURS_PID=""; COTURN_PID=""; BASE_PID=""

. "$ROOT/bench/turn/processes.sh"
cleanup() { stop_servers "$OURS_PID" "$COTURN_PID" "$BASE_PID"; }
trap cleanup EXIT INT TERM

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building the node jar (offline)..." >&2
  mvn -B -o -q -pl deploy -am package -DskipTests >&2
fi
command -v turnserver >/dev/null || { echo "coturn's turnserver is not installed (apt-get install coturn)" >&2; exit 1; }

busy_udp() { ss -Hlun "sport = :$1" | grep -q .; }
for p in "$OURS_PORT" "$COTURN_PORT" ${BASE_CP:+"$BASE_PORT"}; do
  if busy_udp "$p"; then echo "UDP port $p is already in use; set OURS_PORT/COTURN_PORT" >&2; exit 1; fi
done

wait_udp() { # port
  for _ in $(seq 1 100); do
    ss -Hlun "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "nothing listening on UDP $1" >&2; return 1
}

# Ours: same settings as coturn below: loopback peers allowed, no per-allocation bandwidth cap (coturn's
# default max-bps is 0 = none), quotas out of the way.
cat > "$WORK/turn.json" <<JSON
{"name":"bench","bind":"127.0.0.1","stun":{"port":$OURS_PORT},"dataDir":"$WORK/ours",
 "turn":{"realm":"bench","users":["u:p"],"relayPorts":"35000-35999",
         "allowPeers":["127.0.0.0/8"],"bandwidthBytesPerSecond":0,"maxAllocationsPerUser":1000}}
JSON
# The modules' target/classes first: what was just built wins over a possibly older copy in the node jar.
$SERVER_PIN java -Xmx512m ${OURS_JAVA_OPTS:-} -cp "$ROOT/turn-verticle/target/classes:$ROOT/stun-verticle/target/classes:$JAR" \
  org.decwebrtc.turn.TurnMain "$WORK/turn.json" > "$WORK/ours.log" 2>&1 &
OURS_PID=$!
wait_udp "$OURS_PORT"
if [ -n "$BASE_CP" ]; then
  sed -e "s/:$OURS_PORT}/:$BASE_PORT}/" -e 's/35000/37000/; s/35999/37999/' -e 's#/ours"#/base"#' "$WORK/turn.json" > "$WORK/base.json"
  $SERVER_PIN java -Xmx512m -cp "$BASE_CP:$JAR" org.decwebrtc.turn.TurnMain "$WORK/base.json" > "$WORK/base.log" 2>&1 &
  BASE_PID=$!
  wait_udp "$BASE_PORT"
fi

$SERVER_PIN turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 -p "$COTURN_PORT" --min-port 36000 --max-port 36999 \
  --allow-loopback-peers --no-cli --no-tls --no-dtls -a -r bench --user u:p \
  --db "$WORK/coturn.sqlite" --pidfile "$WORK/coturn.pid" --log-file "$WORK/coturn.log" --simple-log --no-stdout-log \
  > "$WORK/coturn.out" 2>&1 &
COTURN_PID=$!
wait_udp "$COTURN_PORT"

echo "${SERVER_CPUS:+servers on CPU $SERVER_CPUS, load on CPU $LOAD_CPUS; }load: $FLOWS flows, ${SIZE}-byte ChannelData, latency phase at $RATE round trips/s, throughput window $WINDOW/flow, ${SECONDS_PER_PHASE}s phases, $ROUNDS rounds"
cpu_ticks() { # pid: utime+stime of all its threads, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
run() { # name port pid
  local line before after
  before=$(cpu_ticks "$3")
  if ! $LOAD_PIN java "$ROOT/bench/turn/TurnLoad.java" 127.0.0.1 "$2" u p "$FLOWS" "$SECONDS_PER_PHASE" "$RATE" "$WINDOW" "$SIZE" \
      > "$WORK/load.out" 2>&1 || ! line=$(grep '^RESULT' "$WORK/load.out"); then
    echo "load generator failed against $1:" >&2; cat "$WORK/load.out" >&2; exit 1
  fi
  after=$(cpu_ticks "$3")
  line="$line server_cpu_s=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}')"
  echo "$1 $line"
  echo "$1 $line" >> "$WORK/results"
}
for r in $(seq 1 "$ROUNDS"); do
  run ours "$OURS_PORT" "$OURS_PID"
  [ -z "$BASE_CP" ] || run base "$BASE_PORT" "$BASE_PID"
  run coturn "$COTURN_PORT" "$COTURN_PID"
done

# Aggregate: the median round of each figure (the machine is shared, so single rounds can be outliers).
awk '
function val(line, key,   i, n, parts, kv) {
  n = split(line, parts, " ")
  for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == key) return kv[2] }
  return ""
}
{ s = $1; n[s]++; pps[s, n[s]] = val($0, "relayed_pps"); p50[s, n[s]] = val($0, "p50_us"); p99[s, n[s]] = val($0, "p99_us")
  a50[s, n[s]] = val($0, "added_p50_us"); a99[s, n[s]] = val($0, "added_p99_us")
  lost[s] += val($0, "latency_lost") + val($0, "throughput_lost")
  eff[s, n[s]] = val($0, "relayed_total") / (val($0, "server_cpu_s") + 0.001) }
function med(arr, s, k,   i, j, t, v) {
  for (i = 1; i <= k; i++) v[i] = arr[s, i]
  for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
  return v[int((k + 1) / 2)]
}
END {
  for (s in n) {
    E[s] = med(eff, s, n[s]); P[s] = med(pps, s, n[s]); R50[s] = med(p50, s, n[s]); R99[s] = med(p99, s, n[s]); A50[s] = med(a50, s, n[s]); A99[s] = med(a99, s, n[s])
    printf "%-7s relayed %8.0f pkt/s   round trip via relay p50 %5d us p99 %6d us   added p50 %5d us p99 %6d us   lost %d   %8.0f relayed pkt per server CPU-s\n", s, P[s], R50[s], R99[s], A50[s], A99[s], lost[s], E[s]
  }
  if ("base" in n) printf "ratio ours/base (A/B): throughput %.2fx, relay round-trip p50 %.2fx, p99 %.2fx, packets per CPU-second %.2fx\n", P["ours"] / P["base"], R50["ours"] / R50["base"], R99["ours"] / R99["base"], E["ours"] / E["base"]
  printf "ratio ours/coturn: throughput %.2fx (goal >= 1.0), relay round-trip p50 %.2fx, p99 %.2fx (goal p99 <= 1.0), packets per CPU-second %.2fx\n", P["ours"] / P["coturn"], R50["ours"] / R50["coturn"], R99["ours"] / R99["coturn"], E["ours"] / E["coturn"]
}' "$WORK/results"

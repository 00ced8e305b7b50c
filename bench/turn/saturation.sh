#!/usr/bin/env bash
# TURN relay at saturation: our relay (TurnMain: the TURN verticle alone, no bandwidth cap) vs coturn's turnserver,
# both on 127.0.0.1, same native load generator (bench/turn/turnload.c, compiled here), same run, interleaved
# rounds, at 4, 16 and 64 flows with 200-byte payloads. Each flow keeps WINDOW_TOTAL/flows ChannelData messages in
# flight (self-clocked: every echo that returns is replaced at once), so every flow count offers the same load and
# the servers are kept busy. Prints relayed packets/s and round-trip p50/p99 of each server per flow count, the
# medians over the rounds, and the ratios ours/coturn. Packets per server CPU-second (relayed over the whole run,
# warm-up included, divided by the server process's utime+stime from /proc) is the figure least moved by the other
# load of a shared machine.
#
# Usage: bench/turn/saturation.sh       (env: FLOW_COUNTS="4 16 64" WINDOW_TOTAL=128 SIZE=200 WARMUP=2 SECONDS_PER_RUN=5
#                                         ROUNDS=3 WARM_SECONDS=15 SKIP_BUILD=1 OURS_JAVA_OPTS=... OURS_CP=...
#                                         OURS_UDP_SOCKETS=n: our port's SO_REUSEPORT sockets, 0 = the node's default,
#                                         BASE_CP=<turn classes>:<stun classes> of a previous build: a third server,
#                                         "base", in every round, and ratios ours/base next to ours/coturn)
# Needs gcc, libssl-dev (HMAC-SHA1/MD5 of the long-term credentials) and coturn.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FLOW_COUNTS=${FLOW_COUNTS:-4 16 64}; WINDOW_TOTAL=${WINDOW_TOTAL:-128}; SIZE=${SIZE:-200}
WARMUP=${WARMUP:-2}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}; ROUNDS=${ROUNDS:-3}; WARM_SECONDS=${WARM_SECONDS:-15}
JAR=$ROOT/deploy/target/decwebrtc.jar
WORK=$(mktemp -d /tmp/turn-saturation.XXXXXX)
OURS_PID=""; COTURN_PID=""; BASE_PID=""

. "$ROOT/bench/turn/processes.sh"
cleanup() { stop_servers "$OURS_PID" "$COTURN_PID" "$BASE_PID"; }
trap cleanup EXIT INT TERM

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building the node jar (offline)..." >&2
  mvn -B -o -q -pl deploy -am package -DskipTests >&2
fi
[ -f "$JAR" ] || { echo "missing $JAR: mvn -B -pl deploy -am package -DskipTests" >&2; exit 1; }
command -v turnserver >/dev/null || { echo "coturn's turnserver is not installed (apt-get install coturn)" >&2; exit 1; }
gcc -O2 -Wall -o "$WORK/turnload" bench/turn/turnload.c -lcrypto

port_busy() { [ -n "$(ss -Hlun "( sport = :$1 )" 2>/dev/null)" ]; }
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 10000))
    port_busy "$p" || { echo "$p"; return; }
  done
  echo "no free port" >&2; exit 1
}
wait_udp() { # port
  for _ in $(seq 1 100); do port_busy "$1" && return 0; sleep 0.1; done
  echo "nothing listening on UDP $1" >&2; return 1
}
OURS_PORT=$(free_port); COTURN_PORT=$(free_port); BASE_PORT=$(free_port)
[ "$OURS_PORT" != "$COTURN_PORT" ] || COTURN_PORT=$((OURS_PORT + 1))
while [ "$BASE_PORT" = "$OURS_PORT" ] || [ "$BASE_PORT" = "$COTURN_PORT" ]; do BASE_PORT=$(free_port); done

# Ours: the same settings as coturn below: loopback peers allowed, no per-allocation bandwidth cap (coturn's
# default max-bps is 0 = none), quotas out of the way.
relay_config() { # name port relay-ports
  cat <<JSON
{"name":"$1","bind":"127.0.0.1","stun":{"port":$2,"udpSockets":${OURS_UDP_SOCKETS:-0}},"dataDir":"$WORK/$1",
 "turn":{"realm":"bench","users":["u:p"],"relayPorts":"$3",
         "allowPeers":["127.0.0.0/8"],"bandwidthBytesPerSecond":0,"maxAllocationsPerUser":1000,
         "maxAllocationsPerAddress":1000}}
JSON
}
relay_config bench "$OURS_PORT" 40000-40999 > "$WORK/turn.json"
# shellcheck disable=SC2086
# The modules' classes first (OURS_CP: another build's, for an A/B against coturn), then the node jar's dependencies.
OURS_CP=${OURS_CP:-$ROOT/turn-verticle/target/classes:$ROOT/stun-verticle/target/classes}
java -Xmx512m ${OURS_JAVA_OPTS:-} -cp "$OURS_CP:$JAR" \
  org.decwebrtc.turn.TurnMain "$WORK/turn.json" > "$WORK/ours.log" 2>&1 &
OURS_PID=$!
wait_udp "$OURS_PORT" || { cat "$WORK/ours.log" >&2; exit 1; }
SERVERS="ours coturn"
if [ -n "${BASE_CP:-}" ]; then
  relay_config base "$BASE_PORT" 42000-42999 > "$WORK/base.json"
  # shellcheck disable=SC2086
  java -Xmx512m ${OURS_JAVA_OPTS:-} -cp "$BASE_CP:$JAR" \
    org.decwebrtc.turn.TurnMain "$WORK/base.json" > "$WORK/base.log" 2>&1 &
  BASE_PID=$!
  wait_udp "$BASE_PORT" || { cat "$WORK/base.log" >&2; exit 1; }
  SERVERS="ours base coturn"
fi
turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 -p "$COTURN_PORT" --min-port 41000 --max-port 41999 \
  --allow-loopback-peers --no-cli --no-tls --no-dtls -a -r bench --user u:p \
  --db "$WORK/coturn.sqlite" --pidfile "$WORK/coturn.pid" --log-file "$WORK/coturn.log" --simple-log --no-stdout-log \
  > "$WORK/coturn.out" 2>&1 &
COTURN_PID=$!
wait_udp "$COTURN_PORT" || { cat "$WORK/coturn.log" >&2; exit 1; }
owns_port() { ss -Hlnup "( sport = :$2 )" 2>/dev/null | grep -q "pid=$1,"; }
owns_port "$OURS_PID" "$OURS_PORT" || { echo "port $OURS_PORT is not served by our relay" >&2; exit 1; }
owns_port "$COTURN_PID" "$COTURN_PORT" || { echo "port $COTURN_PORT is not served by turnserver" >&2; exit 1; }
[ -z "$BASE_PID" ] || owns_port "$BASE_PID" "$BASE_PORT" || { echo "port $BASE_PORT is not served by the base relay" >&2; exit 1; }

echo "cpus=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) payload=${SIZE}B in-flight=$WINDOW_TOTAL warmup=${WARMUP}s run=${SECONDS_PER_RUN}s rounds=$ROUNDS"
echo "coturn: $(turnserver --version 2>/dev/null | head -1 || true); java: $(java -version 2>&1 | head -1)"
# Both servers warm up first, unmeasured (our JIT compiles the relay path in the first seconds of load: a cold
# JVM spends a third of its CPU in the compiler), then the measured rounds.
for port in "$OURS_PORT" "$COTURN_PORT" ${BASE_PID:+"$BASE_PORT"}; do
  "$WORK/turnload" 127.0.0.1 "$port" u p 16 $(( WINDOW_TOTAL / 16 > 0 ? WINDOW_TOTAL / 16 : 1 )) "$SIZE" 0 "$WARM_SECONDS" > /dev/null
done
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
: > "$WORK/results"
for round in $(seq 1 "$ROUNDS"); do
  for flows in $FLOW_COUNTS; do
    window=$(( WINDOW_TOTAL / flows )); [ "$window" -ge 1 ] || window=1
    for server in $SERVERS; do
      port=$OURS_PORT; pid=$OURS_PID
      if [ "$server" = coturn ]; then port=$COTURN_PORT; pid=$COTURN_PID; fi
      if [ "$server" = base ]; then port=$BASE_PORT; pid=$BASE_PID; fi
      before=$(cpu_ticks "$pid")
      line=$("$WORK/turnload" 127.0.0.1 "$port" u p "$flows" "$window" "$SIZE" "$WARMUP" "$SECONDS_PER_RUN") \
        || { echo "load generator failed against $server" >&2; cat "$WORK/$server.log" "$WORK/coturn.log" 2>/dev/null | tail -20 >&2; exit 1; }
      after=$(cpu_ticks "$pid")
      cpu=$(awk -v t=$((after - before)) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
      echo "round $round $server $line server_cpu_s=$cpu"
      echo "$server $line server_cpu_s=$cpu" >> "$WORK/results"
    done
  done
done
kill -0 "$OURS_PID" 2>/dev/null || { echo "our relay died:" >&2; cat "$WORK/ours.log" >&2; exit 1; }
kill -0 "$COTURN_PID" 2>/dev/null || { echo "coturn died" >&2; exit 1; }
[ -z "$BASE_PID" ] || kill -0 "$BASE_PID" 2>/dev/null || { echo "the base relay died:" >&2; cat "$WORK/base.log" >&2; exit 1; }

# Medians over the rounds (the machine is shared: single rounds can be outliers), then ratios ours/coturn.
awk '
function val(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
{ s = $1; f = val("flows"); k = s SUBSEP f; n[k]++; flows[f] = 1
  pps[k, n[k]] = val("relayed_pps"); p50[k, n[k]] = val("p50_us"); p99[k, n[k]] = val("p99_us"); lost[k] += val("lost")
  eff[k, n[k]] = val("relayed_total") / (val("server_cpu_s") + 0.001) }
function med(arr, k,   i, j, t, v, c) {
  c = n[k]; for (i = 1; i <= c; i++) v[i] = arr[k, i]
  for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
  return v[int((c + 1) / 2)]
}
END {
  m = 0; for (f in flows) order[++m] = f + 0
  for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (order[j] < order[i]) { t = order[i]; order[i] = order[j]; order[j] = t }
  for (i = 1; i <= m; i++) {
    f = order[i]; o = "ours" SUBSEP f; c = "coturn" SUBSEP f
    op = med(pps, o); cp = med(pps, c); o99 = med(p99, o); c99 = med(p99, c)
    oe = med(eff, o); ce = med(eff, c)
    printf "%2d flows: ours %7.0f pkt/s p50 %6d us p99 %6d us lost %d %7.0f pkt/CPU-s | coturn %7.0f pkt/s p50 %6d us p99 %6d us lost %d %7.0f pkt/CPU-s | ratio pkt/s %.2fx (goal >= 1.0), p99 %.2fx (goal <= 1.0), pkt/CPU-s %.2fx\n", \
      f, op, med(p50, o), o99, lost[o], oe, cp, med(p50, c), c99, lost[c], ce, op / cp, o99 / c99, oe / ce
    b = "base" SUBSEP f
    if (n[b] > 0) {
      bp = med(pps, b); b99 = med(p99, b); be = med(eff, b)
      printf "%2d flows: base %7.0f pkt/s p50 %6d us p99 %6d us lost %d %7.0f pkt/CPU-s | ours/base pkt/s %.2fx, p50 %.2fx, p99 %.2fx, pkt/CPU-s %.2fx | base/coturn pkt/s %.2fx, p99 %.2fx\n", \
        f, bp, med(p50, b), b99, lost[b], be, op / bp, med(p50, o) / (med(p50, b) + 0.001), o99 / b99, oe / be, bp / cp, b99 / c99
    }
  }
}' "$WORK/results"

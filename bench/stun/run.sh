#!/usr/bin/env bash
# STUN Binding throughput on loopback: our node (the packaged jar) STUN-only (-turn false) and with default flags
# (TURN on: the TURN server answers Binding on the same port) vs coturn's turnserver, same load generator
# (bench/stun/stunload.c), same run. Prints responses/s of each and the ratios ours/coturn.
#
#   bench/stun/run.sh                      # needs deploy/target/decwebrtc.jar (mvn -pl deploy -am package -DskipTests)
#   ROUNDS=5 SECONDS_PER_RUN=5 THREADS=2 SOCKETS=16 WINDOW=8 bench/stun/run.sh
#   BASE_JAR=/tmp/previous.jar bench/stun/run.sh   # A/B: nodes from that jar as two more servers, "base"
#                                                  # (default flags) and "basestun" (STUN-only), and the
#                                                  # ratios default/base and stun-only/basestun
#
# Load: THREADS x SOCKETS client sockets (distinct 5-tuples, like many browsers), each keeping WINDOW Binding
# requests outstanding.
#
# Rounds alternate ours/coturn so that noise from other load on the machine hits both alike. Every round is
# printed; the summary compares best rounds, medians, and median responses per server CPU-second (utime+stime
# of the server process around the measured run), the figure least disturbed by other load.
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=${JAR:-deploy/target/decwebrtc.jar}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-2}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
WINDOW=${WINDOW:-8}
THREADS=${THREADS:-2}
SOCKETS=${SOCKETS:-16}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}

[ -f "$JAR" ] || { echo "missing $JAR: build it with  mvn -B -pl deploy -am package -DskipTests" >&2; exit 1; }
# (grep without -q reads the whole listing: with -q, unzip would die of SIGPIPE and fail the pipeline)
unzip -l "$JAR" 2>/dev/null | grep 'org/decwebrtc/stun/server/StunServer.class' >/dev/null \
    || { echo "$JAR predates the STUN server: rebuild it" >&2; exit 1; }
command -v turnserver >/dev/null || { echo "missing turnserver: apt-get install coturn" >&2; exit 1; }
command -v gcc >/dev/null || { echo "missing gcc" >&2; exit 1; }

# Ports nobody listens on (UDP or TCP): a leftover server on a fixed port would be measured in our place.
port_busy() { [ -n "$(ss -Hln "( sport = :$1 )" 2>/dev/null)" ]; }
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 20000))
        if ! port_busy "$p" && [ "$p" != "${OURS_PORT:-}" ] && [ "$p" != "${COTURN_PORT:-}" ]; then
            echo "$p"
            return
        fi
    done
    echo "no free port" >&2
    exit 1
}
OURS_PORT=${OURS_PORT:-$(free_port)}
COTURN_PORT=${COTURN_PORT:-$(free_port)}
GOSSIP_PORT=${GOSSIP_PORT:-$(free_port)}
DEFAULT_PORT=${DEFAULT_PORT:-$(free_port)}
DEFAULT_GOSSIP_PORT=${DEFAULT_GOSSIP_PORT:-$(free_port)}
BASE_PORT=$(free_port)
BASE_GOSSIP_PORT=$(free_port)
BASESTUN_PORT=$(free_port)
BASESTUN_GOSSIP_PORT=$(free_port)
for p in "$OURS_PORT" "$COTURN_PORT" "$DEFAULT_PORT"; do
    if port_busy "$p"; then echo "port $p is already in use" >&2; exit 1; fi
done

WORK=$(mktemp -d /tmp/stunbench.XXXXXX)
OURS_PID=""
COTURN_PID=""
DEFAULT_PID=""
BASE_PID=""
BASESTUN_PID=""
cleanup() {
    [ -n "$BASE_PID" ] && kill "$BASE_PID" 2>/dev/null && wait "$BASE_PID" 2>/dev/null || true
    [ -n "$BASESTUN_PID" ] && kill "$BASESTUN_PID" 2>/dev/null && wait "$BASESTUN_PID" 2>/dev/null || true
    [ -n "$OURS_PID" ] && kill "$OURS_PID" 2>/dev/null && wait "$OURS_PID" 2>/dev/null || true
    [ -n "$DEFAULT_PID" ] && kill "$DEFAULT_PID" 2>/dev/null && wait "$DEFAULT_PID" 2>/dev/null || true
    [ -n "$COTURN_PID" ] && kill "$COTURN_PID" 2>/dev/null && wait "$COTURN_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

gcc -O2 -Wall -pthread -o "$WORK/stunload" bench/stun/stunload.c

wait_for_stun() { # port: until turnutils_stunclient gets an answer
    for _ in $(seq 1 60); do
        if timeout 3 turnutils_stunclient -p "$1" 127.0.0.1 2>/dev/null | grep -q "reflexive addr"; then
            return 0
        fi
        sleep 0.5
    done
    echo "server on port $1 never answered" >&2
    return 1
}

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" -name stunbench -disableGui -turn false -bind 127.0.0.1 -stunPort "$OURS_PORT" \
    -gossipPort "$GOSSIP_PORT" -dataDir "$WORK/data" >"$WORK/ours.log" 2>&1 &
OURS_PID=$!
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" -name stundefault -disableGui -bind 127.0.0.1 -stunPort "$DEFAULT_PORT" \
    -gossipPort "$DEFAULT_GOSSIP_PORT" -dataDir "$WORK/default" >"$WORK/default.log" 2>&1 &
DEFAULT_PID=$!
SERVERS="ours default coturn"
if [ -n "${BASE_JAR:-}" ]; then
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$BASE_JAR" -name stunbase -disableGui -bind 127.0.0.1 -stunPort "$BASE_PORT" \
        -gossipPort "$BASE_GOSSIP_PORT" -dataDir "$WORK/base" >"$WORK/base.log" 2>&1 &
    BASE_PID=$!
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$BASE_JAR" -name stunbasestun -disableGui -turn false -bind 127.0.0.1 \
        -stunPort "$BASESTUN_PORT" -gossipPort "$BASESTUN_GOSSIP_PORT" -dataDir "$WORK/basestun" \
        >"$WORK/basestun.log" 2>&1 &
    BASESTUN_PID=$!
    SERVERS="ours default base basestun coturn"
fi
turnserver -n --stun-only --listening-ip=127.0.0.1 --listening-port="$COTURN_PORT" --no-tls --no-dtls --no-cli \
    --log-file="$WORK/coturn.log" --simple-log --no-stdout-log --pidfile="$WORK/turnserver.pid" >/dev/null 2>&1 &
COTURN_PID=$!
wait_for_stun "$OURS_PORT" || { cat "$WORK/ours.log" >&2; exit 1; }
wait_for_stun "$COTURN_PORT" || { cat "$WORK/coturn.log" >&2; exit 1; }
wait_for_stun "$DEFAULT_PORT" || { cat "$WORK/default.log" >&2; exit 1; }
[ -z "$BASE_PID" ] || wait_for_stun "$BASE_PORT" || { cat "$WORK/base.log" >&2; exit 1; }
[ -z "$BASESTUN_PID" ] || wait_for_stun "$BASESTUN_PORT" || { cat "$WORK/basestun.log" >&2; exit 1; }
# The servers answering must be the processes we started.
owns_port() { ss -Hlnup "( sport = :$2 )" 2>/dev/null | grep -q "pid=$1,"; }
owns_port "$OURS_PID" "$OURS_PORT" || { echo "port $OURS_PORT is not served by our node (pid $OURS_PID)" >&2; cat "$WORK/ours.log" >&2; exit 1; }
owns_port "$DEFAULT_PID" "$DEFAULT_PORT" || { echo "port $DEFAULT_PORT is not served by our default node" >&2; exit 1; }
owns_port "$COTURN_PID" "$COTURN_PORT" || { echo "port $COTURN_PORT is not served by turnserver (pid $COTURN_PID)" >&2; exit 1; }
[ -z "$BASE_PID" ] || owns_port "$BASE_PID" "$BASE_PORT" || { echo "port $BASE_PORT is not served by the base node" >&2; exit 1; }
[ -z "$BASESTUN_PID" ] || owns_port "$BASESTUN_PID" "$BASESTUN_PORT" \
    || { echo "port $BASESTUN_PORT is not served by the STUN-only base node" >&2; exit 1; }

echo "cpus=$(nproc) clients=$((THREADS * SOCKETS)) (threads=$THREADS x sockets=$SOCKETS) window=$WINDOW per client warmup=${WARMUP}s run=${SECONDS_PER_RUN}s rounds=$ROUNDS load=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "coturn: $(turnserver --version 2>/dev/null | head -1 || true); java: $(java -version 2>&1 | head -1)"
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
: >"$WORK/results"
for round in $(seq 1 "$ROUNDS"); do
    for server in $SERVERS; do
        port=$OURS_PORT
        pid=$OURS_PID
        if [ "$server" = coturn ]; then port=$COTURN_PORT; pid=$COTURN_PID; fi
        if [ "$server" = default ]; then port=$DEFAULT_PORT; pid=$DEFAULT_PID; fi
        if [ "$server" = base ]; then port=$BASE_PORT; pid=$BASE_PID; fi
        if [ "$server" = basestun ]; then port=$BASESTUN_PORT; pid=$BASESTUN_PID; fi
        # warm-up outside the CPU accounting, then the measured run
        "$WORK/stunload" 127.0.0.1 "$port" 0 "$WARMUP" "$WINDOW" "$THREADS" "$SOCKETS" >/dev/null
        before=$(cpu_ticks "$pid")
        line=$("$WORK/stunload" 127.0.0.1 "$port" 0 "$SECONDS_PER_RUN" "$WINDOW" "$THREADS" "$SOCKETS")
        after=$(cpu_ticks "$pid")
        rate=$(sed -E 's/.*responses_per_second=([0-9]+).*/\1/' <<<"$line")
        responses=$(sed -E 's/.* responses=([0-9]+).*/\1/' <<<"$line")
        per_cpu=$(awk -v r="$responses" -v t=$((after - before)) -v hz="$HZ" 'BEGIN { printf "%.0f", (t > 0) ? r / (t / hz) : 0 }')
        echo "round $round $server: $line server_cpu_s=$(awk -v t=$((after - before)) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }') responses_per_cpu_second=$per_cpu"
        echo "$server $rate $per_cpu" >>"$WORK/results"
    done
done
kill -0 "$OURS_PID" 2>/dev/null || { echo "our server died:" >&2; cat "$WORK/ours.log" >&2; exit 1; }
kill -0 "$COTURN_PID" 2>/dev/null || { echo "coturn died:" >&2; cat "$WORK/coturn.log" >&2; exit 1; }
kill -0 "$DEFAULT_PID" 2>/dev/null || { echo "our default node died:" >&2; cat "$WORK/default.log" >&2; exit 1; }
awk '
    { rate[$1] = rate[$1] " " $2; eff[$1] = eff[$1] " " $3 }
    function stat(list, kind,   a, n, i, j, t, best) {
        n = split(list, a, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return kind == "best" ? a[n] : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
    }
    END {
        ob = stat(rate["ours"], "best"); cb = stat(rate["coturn"], "best")
        om = stat(rate["ours"], "median"); cm = stat(rate["coturn"], "median")
        oe = stat(eff["ours"], "median"); ce = stat(eff["coturn"], "median")
        db = stat(rate["default"], "best"); dm = stat(rate["default"], "median"); de = stat(eff["default"], "median")
        printf "best responses/s:        stun-only %d  default (TURN on) %d  coturn %d  ratios %.2f / %.2f\n", ob, db, cb, cb ? ob / cb : 0, cb ? db / cb : 0
        printf "median responses/s:      stun-only %d  default (TURN on) %d  coturn %d  ratios %.2f / %.2f (goal >= 1.2)\n", om, dm, cm, cm ? om / cm : 0, cm ? dm / cm : 0
        printf "median responses/CPU-s:  stun-only %d  default (TURN on) %d  coturn %d  ratios %.2f / %.2f\n", oe, de, ce, ce ? oe / ce : 0, ce ? de / ce : 0
        if (rate["base"] != "") {
            bm = stat(rate["base"], "median"); be = stat(eff["base"], "median")
            printf "base (default flags, BASE_JAR): median responses/s %d, per CPU-s %d; default/base %.2f, per CPU-s %.2f\n", bm, be, bm ? dm / bm : 0, be ? de / be : 0
            sm = stat(rate["basestun"], "median"); se = stat(eff["basestun"], "median")
            printf "base STUN-only (BASE_JAR):      median responses/s %d, per CPU-s %d; stun-only/basestun %.2f, per CPU-s %.2f\n", sm, se, sm ? om / sm : 0, se ? oe / se : 0
            printf "base vs coturn:                 median ratios %.2f (STUN-only) / %.2f (default), per CPU-s %.2f / %.2f\n", cm ? sm / cm : 0, cm ? bm / cm : 0, ce ? se / ce : 0, ce ? be / ce : 0
        }
    }' "$WORK/results"

# Sourced by the TURN benches: stopping the servers they start, by PID only (other runs may use the same binaries).

stop_pid() { # pid: TERM, then KILL if it has not exited within 5 s
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# coturn also records its own PID in $WORK/coturn.pid; that one is stopped too in case it ever forks.
stop_servers() { # pids...
  local pid
  for pid in "$@"; do stop_pid "$pid"; done
  [ -f "$WORK/coturn.pid" ] && stop_pid "$(cat "$WORK/coturn.pid")"
  wait 2>/dev/null || true
  rm -rf "$WORK"
}

#!/usr/bin/env bash
# Runs every test: unit, interop (coturn's clients), gossip on loopback, browser end to end (headless Chromium).
# On a fresh Debian machine it first installs what the tests drive (needs root, as CI has).
set -euo pipefail
cd "$(dirname "$0")"
need=()
for pkg in chromium chromium-driver coturn iproute2 iptables; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test tools: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}"
  # the package may start a system coturn on 3478; tests start their own turnserver on 127.0.0.1 only
  systemctl stop coturn 2>/dev/null || service coturn stop 2>/dev/null || true
fi
exec mvn -B verify "$@"

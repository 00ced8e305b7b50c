#!/usr/bin/env bash
# Runs every test: the page's type check and unit tests, then (mvn verify) unit, interop (coturn's clients), gossip
# on loopback, split JVMs, containers, browser end to end (headless Chromium; Firefox ESR with Chromium and with itself, under Xvfb and headless), network namespaces. On a fresh
# Debian machine it first installs what the tests drive (needs root, as CI has) and starts the safe local Docker
# engine for the container tests.
set -euo pipefail
cd "$(dirname "$0")"

# ---- tools the tests drive ------------------------------------------------------------------------------------
need=()
for pkg in chromium chromium-driver firefox-esr xvfb coturn iproute2 iptables; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test tools: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}"
  # the package may start a system coturn on 3478; tests start their own turnserver on 127.0.0.1 only
  systemctl stop coturn 2>/dev/null || service coturn stop 2>/dev/null || true
fi

# ---- the page: type check and unit tests (typescript is pinned in frontend/package-lock.json) ------------------
(
  cd frontend
  [ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund
  node_modules/.bin/tsc --noEmit -p .
  node --test test/*.test.js
)

# ---- the browser driver for the Firefox calls (puppeteer-core pinned in its package-lock.json; no browser download)
(
  cd deploy/src/test/js
  [ -d node_modules/puppeteer-core ] || PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
)

# ---- container tests: only through the workplace's safe engine scripts (bridges inside 198.18.0.0/15, no pulls) -
docker_scripts=""
for d in "${DECWEBRTC_DOCKER_SCRIPTS:-}" ../shared/docker; do
  if [ -n "$d" ] && [ -x "$d/dockerd-up" ]; then docker_scripts=$d; break; fi
done
started_docker=""
if [ -n "$docker_scripts" ] && [ -z "${DECWEBRTC_NO_DOCKER:-}" ]; then
  if up=$("$docker_scripts/dockerd-up"); then
    eval "$up"
    started_docker=1
    "$docker_scripts/base-image" local/jre17 >/dev/null || echo "warning: base image build failed; container tests will skip"
  else
    echo "warning: no Docker engine could be started; container tests will skip"
  fi
else
  echo "note: no ../shared/docker scripts beside the repository (or DECWEBRTC_DOCKER_SCRIPTS); container tests will skip"
fi
cleanup() { [ -n "$started_docker" ] && "$docker_scripts/dockerd-down" >/dev/null 2>&1 || true; }
trap cleanup EXIT
mvn -B verify "$@"

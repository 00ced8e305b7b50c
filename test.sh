#!/usr/bin/env bash
# Runs every test: unit, interop (coturn clients), gossip on loopback, browser end to end (headless Chromium).
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B verify "$@"

#!/usr/bin/env bash
# Configuration 6: like 3, but each user is peered with both relays (two signaling paths), so one relay can die.
TOPO=6-two-paths TOPO_ID=6
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nat-common.sh"
build() { nat_shape cone 198.18.210.11:5000,198.18.210.12:5000 198.18.210.11:5000,198.18.210.12:5000; }
main "$@"

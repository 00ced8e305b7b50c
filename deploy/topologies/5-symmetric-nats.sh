#!/usr/bin/env bash
# Configuration 5: both users behind symmetric NATs (a random port per flow): media must go through a relay's TURN.
TOPO=5-symmetric-nats TOPO_ID=5
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nat-common.sh"
build() { nat_shape symmetric 198.18.210.11:5000 198.18.210.12:5000; }
main "$@"

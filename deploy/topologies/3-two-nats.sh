#!/usr/bin/env bash
# Configuration 3: two users behind two different (cone-like) NATs, joined by a chain of two public relay nodes.
# Media goes direct after STUN (srflx). See nat-common.sh for the addresses.
TOPO=3-two-nats TOPO_ID=3
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nat-common.sh"
build() { nat_shape cone 198.18.210.11:5000 198.18.210.12:5000; }
main "$@"

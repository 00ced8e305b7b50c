#!/usr/bin/env bash
# Configuration 1: two users on one LAN, peered directly.
#   alice 198.18.201.11 --- lan --- bob 198.18.201.12
TOPO=1-lan TOPO_ID=1
source "$(dirname "$0")/lib.sh"
build() {
  switch lan
  host alice; plug alice 198.18.201.11/24 lan
  host bob;   plug bob   198.18.201.12/24 lan
  user alice alice -bind 198.18.201.11
  user bob   bob   -bind 198.18.201.12 -peers 198.18.201.11:5000
}
main "$@"

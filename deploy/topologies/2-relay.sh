#!/usr/bin/env bash
# Configuration 2: two users who reach each other only through one relay node (no GUI), which also routes IP.
#   alice 198.18.202.11 --- relay (198.18.202.1 | 198.18.203.1) --- bob 198.18.203.11
TOPO=2-relay TOPO_ID=2
source "$(dirname "$0")/lib.sh"
build() {
  host alice; host relay; host bob
  wire alice 198.18.202.11/24 relay 198.18.202.1/24
  wire relay 198.18.203.1/24 bob 198.18.203.11/24
  forwarding relay
  route_default alice 198.18.202.1
  route_default bob 198.18.203.1
  node relay relay -disableGui -bind 0.0.0.0
  user alice alice -bind 198.18.202.11 -peers 198.18.202.1:5000
  user bob   bob   -bind 198.18.203.11 -peers 198.18.203.1:5000
}
main "$@"

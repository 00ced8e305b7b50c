#!/usr/bin/env bash
# Configuration 4: one user behind a NAT, the other public.
#   alice 198.18.211.10 -- natA (198.18.210.21) -- net -- bob 198.18.210.30
TOPO=4-one-nat TOPO_ID=4
source "$(dirname "$0")/lib.sh"
build() {
  switch net
  host natA; plug natA 198.18.210.21/24 net
  host bob;  plug bob 198.18.210.30/24 net
  host alice; wire natA 198.18.211.1/24 alice 198.18.211.10/24
  route_default alice 198.18.211.1
  nat natA to-net cone
  user bob   bob   -bind 198.18.210.30 -turnAllowPeers 198.18.0.0/15
  user alice alice -bind 198.18.211.10 -peers 198.18.210.30:5000
}
main "$@"

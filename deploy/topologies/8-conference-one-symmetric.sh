#!/usr/bin/env bash
# Configuration 8: a conference of three, one of them behind a symmetric NAT. alice's NAT picks a random port per
# flow; bob's and carol's are cone-like but let in only what answers their own flows, so alice's legs can only go
# through a relay's TURN while bob and carol punch through to each other.
#   alice 198.18.211.10 -- natA (198.18.210.21, symmetric) --+
#   bob   198.18.212.10 -- natB (198.18.210.22)            --+-- net -- relay1 198.18.210.11, relay2 198.18.210.12
#   carol 198.18.213.10 -- natC (198.18.210.23)            --+
TOPO=8-conference-one-symmetric TOPO_ID=8
source "$(dirname "$0")/lib.sh"
build() {
  switch net
  host relay1; plug relay1 198.18.210.11/24 net
  host relay2; plug relay2 198.18.210.12/24 net
  host natA; plug natA 198.18.210.21/24 net
  host natB; plug natB 198.18.210.22/24 net
  host natC; plug natC 198.18.210.23/24 net
  host alice; wire natA 198.18.211.1/24 alice 198.18.211.10/24
  host bob;   wire natB 198.18.212.1/24 bob 198.18.212.10/24
  host carol; wire natC 198.18.213.1/24 carol 198.18.213.10/24
  route_default alice 198.18.211.1
  route_default bob 198.18.212.1
  route_default carol 198.18.213.1
  nat natA to-net symmetric
  nat natB to-net cone
  nat natC to-net cone
  local relay_flags=(-disableGui -turnAllowPeers 198.18.0.0/15)
  node relay1 relay1 "${relay_flags[@]}" -bind 198.18.210.11 -peers 198.18.210.12:5000
  node relay2 relay2 "${relay_flags[@]}" -bind 198.18.210.12 -peers 198.18.210.11:5000
  user alice alice -bind 198.18.211.10 -peers 198.18.210.11:5000
  user bob   bob   -bind 198.18.212.10 -peers 198.18.210.12:5000
  user carol carol -bind 198.18.213.10 -peers 198.18.210.11:5000
}
main "$@"

#!/usr/bin/env bash
# Shape shared by configurations 3, 5 and 6: a public network ("net", 198.18.210.0/24) with two relay nodes,
# and two users each behind its own NAT router.
#   alice 198.18.211.10 -- natA (198.18.210.21) --+-- net --+-- natB (198.18.210.22) -- bob 198.18.212.10
#                                        relay1 198.18.210.11   relay2 198.18.210.12
# nat_shape MODE ALICE_PEERS BOB_PEERS
nat_shape() {
  local mode=$1 alice_peers=$2 bob_peers=$3
  switch net
  host relay1; plug relay1 198.18.210.11/24 net
  host relay2; plug relay2 198.18.210.12/24 net
  host natA; plug natA 198.18.210.21/24 net
  host natB; plug natB 198.18.210.22/24 net
  host alice; wire natA 198.18.211.1/24 alice 198.18.211.10/24
  host bob;   wire natB 198.18.212.1/24 bob 198.18.212.10/24
  route_default alice 198.18.211.1
  route_default bob 198.18.212.1
  nat natA to-net "$mode"
  nat natB to-net "$mode"
  local relay_flags=(-disableGui -turnAllowPeers 198.18.0.0/15)
  node relay1 relay1 "${relay_flags[@]}" -bind 198.18.210.11 -peers 198.18.210.12:5000
  node relay2 relay2 "${relay_flags[@]}" -bind 198.18.210.12 -peers 198.18.210.11:5000
  user alice alice -bind 198.18.211.10 -peers "$alice_peers"
  user bob   bob   -bind 198.18.212.10 -peers "$bob_peers"
}

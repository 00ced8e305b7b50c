package org.decwebrtc.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Direct gossip peers as {@code ip:port}. Peers given on the command line or added by the user stay (so a peer
 * that restarts is found again); peers learned from incoming packets are forgotten after a silence.
 */
final class PeerSet {
    private record Peer(boolean pinned, long lastHeardMillis) {
    }

    private final Map<String, Peer> peers = new TreeMap<>();

    /** Adds a pinned peer; returns true if it was not known before. */
    boolean pin(String address) {
        Peer old = peers.put(address, new Peer(true, old(address)));
        return old == null;
    }

    /** Records a packet from {@code address}; returns true if this is a new direct peer. */
    boolean heard(String address, long nowMillis) {
        Peer old = peers.get(address);
        peers.put(address, new Peer(old != null && old.pinned(), nowMillis));
        return old == null;
    }

    private long old(String address) {
        Peer old = peers.get(address);
        return old == null ? 0 : old.lastHeardMillis();
    }

    boolean contains(String address) {
        return peers.containsKey(address);
    }

    List<String> addresses() {
        return new ArrayList<>(peers.keySet());
    }

    /** Forgets learned (not pinned) peers silent since {@code cutoffMillis}; returns true if any went. */
    boolean expire(long cutoffMillis) {
        return peers.values().removeIf(p -> !p.pinned() && p.lastHeardMillis() < cutoffMillis);
    }
}

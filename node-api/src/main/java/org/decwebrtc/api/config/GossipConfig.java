package org.decwebrtc.api.config;

import org.decwebrtc.api.HostPort;

import java.util.List;

/** The gossip verticle: its UDP port, the neighbours it starts with, and how often it sends its route rumor. */
public record GossipConfig(int port, List<HostPort> peers, int rtimerSeconds) {
    public static final GossipConfig DEFAULTS = new GossipConfig(5000, List.of(), 10);

    public GossipConfig {
        Check.port("-gossipPort", port);
        peers = Check.list(peers);
        Check.range("-rtimer", rtimerSeconds, 1, 3600, " seconds");
    }

    public GossipConfig withPort(int p) {
        return new GossipConfig(p, peers, rtimerSeconds);
    }

    public GossipConfig withPeers(List<HostPort> p) {
        return new GossipConfig(port, p, rtimerSeconds);
    }

    public GossipConfig withRtimerSeconds(int s) {
        return new GossipConfig(port, peers, s);
    }
}

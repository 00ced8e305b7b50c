package org.decwebrtc.api.config;

import java.util.List;

/**
 * The clustered event bus that lets one node's verticles run in several JVMs: Hazelcast over TCP/IP with a fixed
 * member list (no multicast, no discovery).
 */
public record ClusterConfig(boolean enabled, String host, int port, List<String> members) {
    public static final ClusterConfig DEFAULTS = new ClusterConfig(false, "127.0.0.1", 5701, List.of());

    public ClusterConfig {
        host = Check.text("--cluster-host", host);
        Check.port("--cluster-port", port);
        members = Check.list(members).stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
    }

    public ClusterConfig withEnabled(boolean e) {
        return new ClusterConfig(e, host, port, members);
    }

    public ClusterConfig withPort(int p) {
        return new ClusterConfig(enabled, host, p, members);
    }

    public ClusterConfig withMembers(List<String> m) {
        return new ClusterConfig(enabled, host, port, m);
    }
}

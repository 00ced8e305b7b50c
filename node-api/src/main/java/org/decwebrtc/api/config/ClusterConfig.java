package org.decwebrtc.api.config;

import java.util.List;

/**
 * The clustered event bus that lets one node's verticles run in several JVMs: Hazelcast over TCP/IP with a fixed
 * member list (no multicast, no discovery), bound to {@code host} only.
 *
 * @param members    every other member as {@code host:port}, spelled as that member's own {@code --cluster-host}
 * @param secretFile file holding the secret every member shares (required with {@code --cluster})
 */
public record ClusterConfig(boolean enabled, String host, int port, List<String> members, String secretFile) {
    public static final ClusterConfig DEFAULTS = new ClusterConfig(false, "127.0.0.1", 5701, List.of(), null);

    public ClusterConfig {
        host = Check.text("--cluster-host", host);
        Check.port("--cluster-port", port);
        members = Check.list(members).stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
        if (enabled && secretFile == null) {
            throw new IllegalArgumentException("--cluster needs --cluster-secret-file (the same secret on every member)");
        }
    }

    /** Every member of the cluster, this one included, as {@code host:port}. */
    public List<String> allMembers() {
        java.util.List<String> all = new java.util.ArrayList<>();
        all.add(host + ":" + port);
        for (String m : members) {
            all.add(m.lastIndexOf(':') > m.lastIndexOf(']') ? m : m + ":" + DEFAULTS.port());
        }
        return all;
    }

    public ClusterConfig withEnabled(boolean e) {
        return new ClusterConfig(e, host, port, members, secretFile);
    }

    public ClusterConfig withPort(int p) {
        return new ClusterConfig(enabled, host, p, members, secretFile);
    }

    public ClusterConfig withSecretFile(String file) {
        return new ClusterConfig(enabled, host, port, members, file);
    }

    public ClusterConfig withMembers(List<String> m) {
        return new ClusterConfig(enabled, host, port, m, secretFile);
    }
}

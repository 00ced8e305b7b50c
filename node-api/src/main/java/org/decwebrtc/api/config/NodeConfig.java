package org.decwebrtc.api.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything one node is configured with, validated: the launcher builds it from flags and the config file, hands
 * it to every verticle as its deployment config ({@link #toJson()}), and each verticle reads its part back with
 * {@link #fromJson(JsonObject)}. Every default is written once, in the {@code DEFAULTS} of these records.
 *
 * @param dataDir   where the node keeps its identity, certificate and TURN secret; {@code null}:
 *                  {@code ~/.decwebrtc/<name>}
 * @param bind      address of the gossip, STUN and TURN sockets
 * @param verticles which verticles run in this JVM (some of {@link #VERTICLES})
 */
public record NodeConfig(String name, String dataDir, String bind, List<String> verticles, GossipConfig gossip,
                         StunConfig stun, TurnConfig turn, GatewayConfig gateway, ClusterConfig cluster,
                         ManagementConfig management) {
    public static final Set<String> VERTICLES = Set.of("gossip", "stun", "turn", "gateway");
    public static final NodeConfig DEFAULTS = new NodeConfig(null, null, "0.0.0.0",
            List.of("gossip", "stun", "turn", "gateway"), GossipConfig.DEFAULTS, StunConfig.DEFAULTS,
            TurnConfig.DEFAULTS, GatewayConfig.DEFAULTS, ClusterConfig.DEFAULTS, ManagementConfig.DEFAULTS);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,32}");

    public NodeConfig {
        if (name != null && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("-name must be 1-32 of A-Z a-z 0-9 _ . -, got '" + name + "'");
        }
        if (dataDir == null && name != null) {
            dataDir = Path.of(System.getProperty("user.home"), ".decwebrtc", name).toString();
        }
        bind = Check.text("-bind", bind);
        verticles = Check.list(verticles).stream().map(String::trim).toList();
        for (String v : verticles) {
            if (!VERTICLES.contains(v)) {
                throw new IllegalArgumentException("-verticles: unknown verticle '" + v + "', expected some of "
                        + List.of("gossip", "stun", "turn", "gateway"));
            }
        }
        if (gossip == null || stun == null || turn == null || gateway == null || cluster == null || management == null) {
            throw new IllegalArgumentException("node config lacks a section (gossip, stun, turn, gateway, cluster, management)");
        }
    }

    /** A node with every default, on {@code bind}, keeping its data in {@code dataDir}. */
    public static NodeConfig of(String name, Path dataDir) {
        return DEFAULTS.withName(name, dataDir);
    }

    /** The deployment config every verticle of this node gets. */
    public JsonObject toJson() {
        return ConfigJson.toJson(this);
    }

    /**
     * A verticle's way back to its typed config: the deployment JSON laid over {@link #DEFAULTS}, so a test or a
     * standalone relay may give only what differs. Throws {@link IllegalArgumentException} on a bad or unknown key.
     */
    public static NodeConfig fromJson(JsonObject json) {
        NodeConfig config = ConfigJson.fromJson(json, DEFAULTS, NodeConfig.class);
        if (config.name() == null) {
            throw new IllegalArgumentException("-name is required");
        }
        return config;
    }

    public NodeConfig withName(String n, Path dir) {
        return new NodeConfig(n, dir == null ? null : dir.toString(), bind, verticles, gossip, stun, turn, gateway, cluster, management);
    }

    public NodeConfig withBind(String b) {
        return new NodeConfig(name, dataDir, b, verticles, gossip, stun, turn, gateway, cluster, management);
    }

    public NodeConfig withVerticles(List<String> v) {
        return new NodeConfig(name, dataDir, bind, v, gossip, stun, turn, gateway, cluster, management);
    }

    public NodeConfig withGossip(GossipConfig g) {
        return new NodeConfig(name, dataDir, bind, verticles, g, stun, turn, gateway, cluster, management);
    }

    public NodeConfig withStun(StunConfig s) {
        return new NodeConfig(name, dataDir, bind, verticles, gossip, s, turn, gateway, cluster, management);
    }

    public NodeConfig withTurn(TurnConfig t) {
        return new NodeConfig(name, dataDir, bind, verticles, gossip, stun, t, gateway, cluster, management);
    }

    public NodeConfig withGateway(GatewayConfig g) {
        return new NodeConfig(name, dataDir, bind, verticles, gossip, stun, turn, g, cluster, management);
    }

    public NodeConfig withManagement(ManagementConfig m) {
        return new NodeConfig(name, dataDir, bind, verticles, gossip, stun, turn, gateway, cluster, m);
    }

    public NodeConfig withCluster(ClusterConfig c) {
        return new NodeConfig(name, dataDir, bind, verticles, gossip, stun, turn, gateway, c, management);
    }
}

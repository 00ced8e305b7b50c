package org.decwebrtc.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.NodeConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Everything the launcher needs, validated: the node config for the verticles plus how to run them. */
public record LaunchSettings(String name, String bind, int gossipPort, int guiPort, String guiBind, boolean gui,
                             List<String> peers, int rtimer, int stunPort, Path dataDir,
                             boolean turn, String turnRealm, String turnSecret, List<String> turnUsers,
                             int relayPortMin, int relayPortMax, List<String> turnAllowPeers,
                             List<String> turnServeUsers, int turnCredentialLifetime,
                             List<String> verticles, boolean cluster, String clusterHost, int clusterPort,
                             List<String> clusterMembers, TurnsSettings turns) {
    public static final Set<String> VERTICLES = Set.of("gossip", "stun", "turn", "gateway");

    /** Settings with TURN over TLS on its default port. */
    public LaunchSettings(String name, String bind, int gossipPort, int guiPort, String guiBind, boolean gui,
                          List<String> peers, int rtimer, int stunPort, Path dataDir,
                          boolean turn, String turnRealm, String turnSecret, List<String> turnUsers,
                          int relayPortMin, int relayPortMax, List<String> turnAllowPeers,
                          List<String> turnServeUsers, int turnCredentialLifetime,
                          List<String> verticles, boolean cluster, String clusterHost, int clusterPort,
                          List<String> clusterMembers) {
        this(name, bind, gossipPort, guiPort, guiBind, gui, peers, rtimer, stunPort, dataDir, turn, turnRealm,
                turnSecret, turnUsers, relayPortMin, relayPortMax, turnAllowPeers, turnServeUsers,
                turnCredentialLifetime, verticles, cluster, clusterHost, clusterPort, clusterMembers,
                TurnsSettings.DEFAULT);
    }

    public NodeConfig nodeConfig() {
        JsonObject turnJson = new JsonObject()
                .put("enabled", turn)
                .put("realm", turnRealm)
                .put("users", new JsonArray(List.copyOf(turnUsers)))
                .put("relayPortMin", relayPortMin)
                .put("relayPortMax", relayPortMax)
                .put("allowPeers", new JsonArray(List.copyOf(turnAllowPeers)))
                .put("serveUsers", new JsonArray(List.copyOf(turnServeUsers)))
                .put("credentialLifetime", turnCredentialLifetime);
        if (turnSecret != null) {
            turnJson.put("secret", turnSecret);
        }
        (turns == null ? TurnsSettings.DEFAULT : turns).into(turnJson);
        return new NodeConfig(name, bind, gossipPort, guiPort, guiBind, gui, peers, rtimer, stunPort,
                dataDir.toString(), turnJson);
    }

    /** Settings for tests and demos: one node on loopback with the given ports and defaults elsewhere. */
    public static LaunchSettings local(String name, int gossipPort, int guiPort, int stunPort, List<String> peers,
                                       int rtimer, Path dataDir) {
        return new LaunchSettings(name, "127.0.0.1", gossipPort, guiPort, "127.0.0.1", guiPort > 0, peers, rtimer,
                stunPort, dataDir, true, "decwebrtc", null, List.of(), 49152, 65535, List.of(), List.of(), 3600,
                List.of("gossip", "stun", "turn", "gateway"), false, "127.0.0.1", 5701, List.of());
    }

    public LaunchSettings withTurnAllowPeers(List<String> cidrs) {
        return new LaunchSettings(name, bind, gossipPort, guiPort, guiBind, gui, peers, rtimer, stunPort, dataDir, turn,
                turnRealm, turnSecret, turnUsers, relayPortMin, relayPortMax, cidrs, turnServeUsers, turnCredentialLifetime, verticles, cluster, clusterHost,
                clusterPort, clusterMembers, turns);
    }

    public LaunchSettings withTurns(TurnsSettings tls) {
        return new LaunchSettings(name, bind, gossipPort, guiPort, guiBind, gui, peers, rtimer, stunPort, dataDir, turn,
                turnRealm, turnSecret, turnUsers, relayPortMin, relayPortMax, turnAllowPeers, turnServeUsers,
                turnCredentialLifetime, verticles, cluster, clusterHost, clusterPort, clusterMembers, tls);
    }

    public LaunchSettings withVerticles(List<String> names) {
        return new LaunchSettings(name, bind, gossipPort, guiPort, guiBind, gui, peers, rtimer, stunPort, dataDir, turn,
                turnRealm, turnSecret, turnUsers, relayPortMin, relayPortMax, turnAllowPeers, turnServeUsers,
                turnCredentialLifetime, names, cluster,
                clusterHost, clusterPort, clusterMembers, turns);
    }
}

package org.decwebrtc.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.decwebrtc.gateway.GatewayVerticle;
import org.decwebrtc.gossip.GossipVerticle;
import org.decwebrtc.stun.StunVerticle;
import org.decwebrtc.turn.TurnGrantVerticle;
import org.decwebrtc.turn.TurnVerticle;

import java.util.ArrayList;
import java.util.List;

/** Starts the chosen verticles of one node in a local or clustered Vert.x. Used by {@link Main} and by tests. */
public final class NodeLauncher {
    private NodeLauncher() {
    }

    /** A started node: its Vert.x (shared with nobody else) and settings; {@link #close()} stops it all. */
    public record RunningNode(Vertx vertx, LaunchSettings settings) {
        public Future<Void> close() {
            return vertx.close();
        }
    }

    public static Future<RunningNode> launch(LaunchSettings settings) {
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
        Future<Vertx> vertx;
        if (settings.cluster()) {
            System.setProperty("hazelcast.phone.home.enabled", "false");
            options.setEventBusOptions(new EventBusOptions().setHost(settings.clusterHost()).setClusterPublicHost(settings.clusterHost()));
            vertx = Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(settings)))
                    .buildClustered();
        } else {
            vertx = Future.succeededFuture(Vertx.vertx(options));
        }
        return vertx.compose(v -> deployAll(v, settings).map(ids -> new RunningNode(v, settings))
                .recover(e -> v.close().transform(x -> Future.failedFuture(e))));
    }

    /** Hazelcast that talks only to the listed members: no multicast, no phone-home. */
    static Config hazelcast(LaunchSettings settings) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName("decwebrtc");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        // Small clusters of known members: join at once, and notice a dead member in seconds, not minutes.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.getNetworkConfig().setPort(settings.clusterPort()).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(settings.clusterHost());
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(settings.clusterMembers()));
        return config;
    }

    private static Future<List<String>> deployAll(Vertx vertx, LaunchSettings settings) {
        JsonObject config = settings.nodeConfig().toJson();
        DeploymentOptions options = new DeploymentOptions().setConfig(config);
        List<String> wanted = settings.verticles();
        List<String> ids = new ArrayList<>();
        Future<String> chain = Future.succeededFuture("");
        // Gossip first: the others advertise to it and ask it for the directory as they start.
        if (wanted.contains("gossip")) {
            chain = vertx.deployVerticle(new GossipVerticle(), options);
        }
        // TURN shares the STUN port, so with TURN on its verticle also answers Binding requests.
        if (settings.turn() && wanted.contains("turn")) {
            chain = chain.compose(id -> vertx.deployVerticle(new TurnVerticle(), options))
                    .compose(id -> vertx.deployVerticle(new TurnGrantVerticle(), options));
        } else if (wanted.contains("stun")) {
            chain = chain.compose(id -> vertx.deployVerticle(new StunVerticle(), options));
        }
        if (wanted.contains("gateway") && settings.gui()) {
            chain = chain.compose(id -> vertx.deployVerticle(new GatewayVerticle(), options));
        }
        return chain.map(id -> ids);
    }
}

package org.decwebrtc.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.decwebrtc.api.config.ClusterConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.gateway.GatewayVerticle;
import org.decwebrtc.gossip.GossipVerticle;
import org.decwebrtc.stun.StunVerticle;
import org.decwebrtc.turn.TurnGrantVerticle;
import org.decwebrtc.turn.TurnVerticle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;

/** Starts the chosen verticles of one node in a local or clustered Vert.x. Used by {@link Main} and by tests. */
public final class NodeLauncher {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(NodeLauncher.class.getName());
    private NodeLauncher() {
    }

    /** A started node: its Vert.x (shared with nobody else) and config; {@link #close()} stops it all. */
    public record RunningNode(Vertx vertx, NodeConfig config) {
        public Future<Void> close() {
            return vertx.close();
        }
    }

    public static Future<RunningNode> launch(NodeConfig settings) {
        return launch(settings, false);
    }

    /**
     * @param stunPortOptional when the STUN/TURN port is taken (typically a second node on one machine with the
     *                         default port), run without STUN/TURN and say so, instead of not starting at all
     */
    public static Future<RunningNode> launch(NodeConfig settings, boolean stunPortOptional) {
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
        Future<Vertx> vertx;
        if (settings.cluster().enabled()) {
            System.setProperty("hazelcast.phone.home.enabled", "false");
            ClusterSecret secret = ClusterSecret.read(Path.of(settings.cluster().secretFile()));
            ClusterTls tls = ClusterTls.create(secret, settings.cluster(), Path.of(java.util.Objects.requireNonNull(
                    settings.dataDir(), "a clustered node needs a data directory for its TLS files")));
            options.setEventBusOptions(tls.eventBusOptions(settings.cluster().host()));
            vertx = Vertx.builder().with(options)
                    .withClusterManager(new HazelcastClusterManager(hazelcast(settings.cluster(),
                            secret.clusterName(settings.cluster().allMembers()))))
                    .buildClustered();
        } else {
            vertx = Future.succeededFuture(Vertx.vertx(options));
        }
        CompletableFuture<RunningNode> started = new CompletableFuture<>();
        vertx.onFailure(started::completeExceptionally).onSuccess(v -> deployAll(v, settings, stunPortOptional)
                .onSuccess(ids -> started.complete(new RunningNode(v, settings)))
                .onFailure(e -> closeThenFail(v, e, started)));
        // Not bound to any Vert.x context: a failed start closes the Vert.x whose event loops would run callbacks.
        return Future.fromCompletionStage(started);
    }

    /**
     * Closes a Vert.x whose deployment failed, off its own threads: listeners of futures made on its contexts can't
     * run once its event loops are gone, so the close is awaited with a bound and the failure reported regardless.
     */
    private static void closeThenFail(Vertx vertx, Throwable cause, CompletableFuture<RunningNode> started) {
        Thread closer = new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
            started.completeExceptionally(cause);
        }, "decwebrtc-failed-start");
        closer.setDaemon(true);
        closer.start();
    }

    /**
     * Hazelcast that talks only to the listed members, listens on the cluster host only (not on every interface,
     * its default), and admits only members presenting {@code clusterName} (see {@link ClusterSecret}). No
     * multicast, no phone-home.
     */
    static Config hazelcast(ClusterConfig cluster, String clusterName) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.socket.client.bind.any", "false");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        // Small clusters of known members: join at once, and notice a dead member in seconds, not minutes.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(cluster.host());
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(cluster.members()));
        return config;
    }

    /** A STUN/TURN deployment that may give way to a taken port: then it yields null and the node goes on. */
    private static Future<String> optionalPort(Future<String> deployment, NodeConfig settings, boolean optional) {
        return deployment.recover(e -> {
            if (optional && portTaken(e)) {
                LOG.warning(() -> settings.name() + ": STUN/TURN port " + settings.stun().port() + " is in use (another"
                        + " node on this machine?); running without STUN/TURN. Pick a free one with -stunPort.");
                return Future.succeededFuture(null);
            }
            return Future.failedFuture(e);
        });
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static Future<List<String>> deployAll(Vertx vertx, NodeConfig settings, boolean stunPortOptional) {
        JsonObject config = settings.toJson();
        DeploymentOptions options = new DeploymentOptions().setConfig(config);
        List<String> wanted = settings.verticles();
        List<String> ids = new ArrayList<>();
        // Gossip first: the others advertise to it and ask it for the directory as they start. The rest only
        // need gossip, not each other, so they start side by side.
        Future<String> gossip = wanted.contains("gossip") ? vertx.deployVerticle(new GossipVerticle(), options)
                : Future.succeededFuture("");
        Future<String> relay = gossip;
        // TURN shares the STUN port, so with TURN on its verticle also answers Binding requests.
        if (settings.turn().enabled() && wanted.contains("turn")) {
            relay = gossip.compose(id -> optionalPort(vertx.deployVerticle(new TurnVerticle(), options), settings,
                            stunPortOptional))
                    .compose(id -> id == null ? Future.succeededFuture("")
                            : vertx.deployVerticle(new TurnGrantVerticle(), options));
        } else if (wanted.contains("stun")) {
            relay = gossip.compose(id -> optionalPort(vertx.deployVerticle(new StunVerticle(), options), settings,
                    stunPortOptional));
        }
        Future<String> gateway = wanted.contains("gateway") && settings.gateway().enabled()
                ? gossip.compose(id -> vertx.deployVerticle(new GatewayVerticle(), options))
                : gossip;
        Future<?> chain = Future.all(relay, gateway);
        return chain.map(id -> ids);
    }
}

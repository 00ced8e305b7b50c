package org.decwebrtc.turn.it;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.turn.TurnVerticle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A TurnVerticle of a relay node (no GUI: it serves everyone) on 127.0.0.1 with an ephemeral STUN port, for tests; {@link #close()} undeploys it. */
public final class TurnNode implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final Vertx vertx;
    public final String name;
    public final int port;
    public final Path dataDir;
    private final String deployment;

    private TurnNode(Vertx vertx, String name, int port, Path dataDir, String deployment) {
        this.vertx = vertx;
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.deployment = deployment;
    }

    /** Static user u:p, loopback peers allowed unless {@code turn} overrides it. */
    public static JsonObject loopbackTurn() {
        return new JsonObject().put("realm", "decwebrtc").put("users", new JsonArray().add("u:p"))
                .put("relayPorts", "42000-42999")
                .put("allowPeers", new JsonArray().add("127.0.0.0/8"));
    }

    /** A node config on 127.0.0.1 with an ephemeral STUN port; {@code turn} holds what differs from the defaults. */
    public static JsonObject config(String name, Path dataDir, JsonObject turn) {
        // A relay node: no GUI, so it serves every user who asks (see ServedUsers).
        return new JsonObject().put("name", name).put("bind", "127.0.0.1").put("stun", new JsonObject().put("port", 0))
                .put("gateway", new JsonObject().put("enabled", false))
                .put("dataDir", dataDir == null ? null : dataDir.toString()).put("turn", turn);
    }

    public static TurnNode start(JsonObject turn) throws Exception {
        return start(turn, new JsonObject());
    }

    /** {@code node}: further top-level node settings (e.g. the node's other ports). */
    public static TurnNode start(JsonObject turn, JsonObject node) throws Exception {
        return start(turn, node, new VertxOptions());
    }

    /** {@code options}: e.g. native transport, as the node's launcher asks for. */
    public static TurnNode start(JsonObject turn, JsonObject node, VertxOptions options) throws Exception {
        Vertx vertx = Vertx.vertx(options);
        String name = "t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Path dataDir = Files.createTempDirectory("turn-node");
        JsonObject config = config(name, dataDir, turn).mergeIn(node);
        String id = vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        JsonObject stats = vertx.eventBus().<JsonObject>request(Addresses.turnStats(name), new JsonObject())
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body();
        return new TurnNode(vertx, name, stats.getInteger("port"), dataDir, id);
    }

    public JsonObject stats() throws Exception {
        return vertx.eventBus().<JsonObject>request(Addresses.turnStats(name), new JsonObject())
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body();
    }

    public JsonObject request(String address, JsonObject body) throws Exception {
        return vertx.eventBus().<JsonObject>request(address, body)
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body();
    }

    @Override
    public void close() throws Exception {
        try {
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}

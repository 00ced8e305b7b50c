package org.decwebrtc.gossip;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.config.GossipConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.SignalEnvelope;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Gossip nodes on loopback UDP in one Vert.x, started and stopped by name. Closing stops them all. */
final class GossipTestNetwork implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    private final Path dataRoot;
    private final Map<String, String> deployments = new HashMap<>();
    private final Map<String, GossipVerticle> nodes = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();

    GossipTestNetwork(Path dataRoot) {
        this.dataRoot = dataRoot;
    }

    static int freePort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int port(String name) {
        return ports.computeIfAbsent(name, n -> freePort());
    }

    String address(String name) {
        return "127.0.0.1:" + port(name);
    }

    /** Starts {@code name} greeting the named nodes (which need not run yet), with rtimer in seconds. */
    void start(String name, List<String> neighbours, int rtimer) {
        start(name, neighbours, rtimer, GossipLimits.defaults());
    }

    void start(String name, List<String> neighbours, int rtimer, GossipLimits limits) {
        startAt(name, neighbours.stream().map(this::address).toList(), rtimer, limits);
    }

    void startAt(String name, List<String> neighbourAddresses, int rtimer, GossipLimits limits) {
        NodeConfig config = NodeConfig.of(name, dataRoot.resolve(name)).withBind("127.0.0.1")
                .withVerticles(List.of("gossip")).withGossip(new GossipConfig(port(name),
                        neighbourAddresses.stream().map(HostPort::parse).toList(), rtimer));
        GossipVerticle node = new GossipVerticle(limits);
        String id = get(vertx.deployVerticle(node, new DeploymentOptions().setConfig(config.toJson())));
        deployments.put(name, id);
        nodes.put(name, node);
    }

    /** Stops {@code name} as a crash would: no Leave, its neighbours find out from missed keepalives. */
    void kill(String name) {
        GossipVerticle node = nodes.get(name);
        if (node != null) {
            node.stopWithoutLeave();
        }
        stop(name);
    }

    /** Stops {@code name} gracefully: it tells its neighbours it leaves. */
    void stop(String name) {
        String id = deployments.remove(name);
        if (id != null) {
            get(vertx.undeploy(id));
        }
    }

    JsonObject directory(String name) {
        return get(vertx.eventBus().<JsonObject>request(Addresses.directoryGet(name), new JsonObject())
                ).body();
    }

    Set<String> users(String name) {
        return users(directory(name));
    }

    static Set<String> users(JsonObject directory) {
        return directory.getJsonArray("users", new JsonArray()).stream().map(o -> ((JsonObject) o).getString("name"))
                .collect(Collectors.toSet());
    }

    JsonObject user(String at, String name) {
        return directory(at).getJsonArray("users").stream().map(o -> (JsonObject) o)
                .filter(u -> u.getString("name").equals(name)).findFirst().orElse(null);
    }

    JsonObject stats(String name) {
        return get(vertx.eventBus().<JsonObject>request(Addresses.gossipStats(name), new JsonObject())
                ).body();
    }

    void send(String from, String to, JsonObject signal) {
        get(vertx.eventBus().request(Addresses.signalSend(from), new SignalEnvelope(to, signal).toSendJson())
                );
    }

    /** The result of {@code future}, waiting at most 30 s. */
    static <T> T get(io.vertx.core.Future<T> future) {
        try {
            return future.await(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 30 s", e);
        }
    }

    @Override
    public void close() {
        get(vertx.close());
    }
}

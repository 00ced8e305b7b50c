package org.decwebrtc.gossip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import org.decwebrtc.api.config.GossipConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.Hello;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes, as a datagram from any of four sources (a neighbour that completed the handshake, a stranger, an IPv6
 * stranger, the node's own address), straight into a running gossip node's receive path on its own event loop:
 * nothing escapes {@link GossipVerticle#onDatagram}, nothing reaches its last-resort catch (a packet that parses
 * but makes a handler throw is a bug, however well the catch hides it), no datagram takes more than ten seconds,
 * and the node still completes a handshake over its real socket and answers on the event bus afterwards.
 *
 * <p>The first byte of an input picks the source; the rest is the datagram. One node serves every input, so state
 * the fuzzer builds up (records, neighbours, pending messages) is exercised by later inputs, as on the wire.
 */
class GossipPacketFuzzTest {
    private static final int LIVENESS_EVERY = 20_000;
    private static final Logger GOSSIP_LOG = Logger.getLogger(GossipVerticle.class.getName());
    private static final List<LogRecord> caught = new CopyOnWriteArrayList<>();
    private static final Handler CATCH_WATCH = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null) {
                caught.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static Path data;
    private static Vertx vertx;
    private static Host host;
    private static int port;
    private static HostileNode neighbour;
    private static SocketAddress[] sources;
    private static long executions;

    /** Runs the gossip node inside itself, so the fuzz test knows the event loop the node's state lives on. */
    private static final class Host extends VerticleBase {
        final GossipVerticle gossip = new GossipVerticle();

        @Override
        public Future<?> start() throws Exception {
            gossip.init(vertx, context);
            return gossip.start();
        }

        @Override
        public Future<?> stop() throws Exception {
            return gossip.stop();
        }

        Context context() {
            return context;
        }
    }

    @BeforeAll
    static void startNode() throws Exception {
        data = Files.createTempDirectory("gossip-fuzz");
        vertx = Vertx.vertx();
        port = GossipTestNetwork.freePort();
        NodeConfig config = NodeConfig.of("fuzzed", data.resolve("fuzzed")).withBind("127.0.0.1")
                .withVerticles(List.of("gossip")).withGossip(new GossipConfig(port, List.of(), 10));
        host = new Host();
        GossipTestNetwork.get(vertx.deployVerticle(host, new DeploymentOptions().setConfig(config.toJson())));
        neighbour = new HostileNode("neighbour");
        assertThat(neighbour.join(port, "neighbour", List.of("fuzzed"))).as("a neighbour completes the handshake")
                .isTrue();
        neighbour.keepAlive();
        sources = new SocketAddress[]{
                SocketAddress.inetSocketAddress(neighbour.port(), "127.0.0.1"),
                SocketAddress.inetSocketAddress(9, "127.0.0.2"),
                SocketAddress.inetSocketAddress(9, "::1"),
                SocketAddress.inetSocketAddress(port, "127.0.0.1")};
        GOSSIP_LOG.setLevel(Level.FINE);
        GOSSIP_LOG.addHandler(CATCH_WATCH);
    }

    @AfterAll
    static void stopNode() throws Exception {
        try {
            if (vertx != null) {
                assertNodeAnswers();
            }
        } finally {
            GOSSIP_LOG.removeHandler(CATCH_WATCH);
            GOSSIP_LOG.setLevel(null);
            if (neighbour != null) {
                neighbour.close();
            }
            if (vertx != null) {
                GossipTestNetwork.get(vertx.close());
            }
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void anyDatagram(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        SocketAddress sender = sources[(input[0] & 0xff) % sources.length];
        byte[] datagram = Arrays.copyOfRange(input, 1, input.length);
        String from = new org.decwebrtc.api.HostPort(sender.hostAddress(), sender.port()).toString();
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        host.context().runOnContext(v -> {
            try {
                host.gossip.onDatagram(datagram, from);
                done.complete(null);
            } catch (Throwable t) {
                done.complete(t);
            }
        });
        Throwable escaped;
        try {
            escaped = done.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the node took more than 10 s over one datagram", e);
        }
        if (escaped != null) {
            throw new AssertionError("an exception escaped the receive path", escaped);
        }
        if (!caught.isEmpty()) {
            LogRecord record = caught.get(0);
            caught.clear();
            throw new AssertionError("a handler threw (caught by the receive path's last resort): "
                    + record.getMessage(), record.getThrown());
        }
        if (executions++ % LIVENESS_EVERY == 0) {
            assertNodeAnswers();
        }
    }

    /** A fresh stranger's Hello over the real socket draws a Challenge, and the event bus still gets answers. */
    private static void assertNodeAnswers() throws Exception {
        try (HostileNode prober = new HostileNode("prober")) {
            byte[] cookie = new byte[AddressCookies.COOKIE_BYTES];
            prober.send(GossipPacket.newBuilder().setHello(Hello.newBuilder()
                    .setCookie(com.google.protobuf.ByteString.copyFrom(cookie))
                    .setPadding(com.google.protobuf.ByteString.copyFrom(new byte[44]))).build(), port);
            assertThat(prober.await(r -> r.packet() != null && r.packet().hasChallenge(), Duration.ofSeconds(10)))
                    .as("the node answers a Hello after the fuzzer's datagrams").isNotNull();
        }
        JsonObject stats = GossipTestNetwork.get(vertx.eventBus().<JsonObject>request(
                org.decwebrtc.api.Addresses.gossipStats("fuzzed"), new JsonObject())).body();
        assertThat(stats.getLong("received")).as("datagrams counted").isPositive();
    }
}

package org.decwebrtc.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.config.NodeConfig;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.Undeliverable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Five nodes in a chain on loopback, each started with only the previous one as peer: the gossip
 * must-shows (discovery speed, routed private messages, deletion of dead nodes, resistance to garbage).
 */
@org.junit.jupiter.api.Timeout(value = 120)
class GossipChainIT {
    private static final int N = 5;
    @TempDir
    Path data;
    private final List<NodeLauncher.RunningNode> nodes = new ArrayList<>();
    private final int[] gossipPorts = IntStream.range(0, N).map(i -> TestPorts.free()).toArray();
    private final int[] guiPorts = IntStream.range(0, N).map(i -> TestPorts.free()).toArray();
    private final Vertx client = Vertx.vertx();
    private final WebClient web = WebClient.create(client, new WebClientOptions().setSsl(true).setTrustAll(true)
            .setVerifyHost(false));

    @AfterEach
    void stop() {
        nodes.forEach(n -> {
            if (n != null) {
                n.close().await();
            }
        });
        client.close().await();
    }

    private static String name(int i) {
        return "n" + (i + 1);
    }

    private NodeLauncher.RunningNode start(int i, int rtimer) {
        List<String> peers = i == 0 ? List.of() : List.of("127.0.0.1:" + gossipPorts[i - 1]);
        NodeConfig settings = LocalConfig.local(name(i), gossipPorts[i], guiPorts[i], 0, peers, rtimer,
                data.resolve(name(i))).withVerticles(List.of("gossip", "gateway"));
        try {
            return NodeLauncher.launch(settings).await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(name(i) + " did not start within 30 s", e);
        }
    }

    private void startChain(int rtimer) {
        for (int i = 0; i < N; i++) {
            nodes.add(start(i, rtimer));
        }
    }

    private JsonObject apiNode(int i) {
        return web.get(guiPorts[i], "127.0.0.1", GuiToken.withToken("/api/node", data.resolve(name(i)))).send().await()
                .bodyAsJsonObject();
    }

    private Set<String> usersOf(int i) {
        return apiNode(i).getJsonArray("users").stream().map(o -> ((JsonObject) o).getString("name"))
                .collect(Collectors.toSet());
    }

    private Set<String> directoryUsersOf(int i) {
        return nodes.get(i).vertx().eventBus().<JsonObject>request(Addresses.directoryGet(name(i)), new JsonObject())
                .await().body().getJsonArray("users").stream().map(o -> ((JsonObject) o).getString("name"))
                .collect(Collectors.toSet());
    }

    private Set<String> othersOf(int i) {
        return IntStream.range(0, N).filter(j -> j != i).mapToObj(GossipChainIT::name).collect(Collectors.toSet());
    }

    @Test
    void everyNodeListsTheOtherFourWithinOneSecondOfTheLastStart() {
        for (int i = 0; i < N - 1; i++) {
            nodes.add(start(i, 10));
        }
        long t0 = System.nanoTime();
        nodes.add(start(N - 1, 10));
        // Read on the event bus (the directory the gateway serves as /api/node), which costs no TLS round trips,
        // so the time measured is the network's and not the poller's.
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() ->
                IntStream.range(0, N).allMatch(i -> directoryUsersOf(i).equals(othersOf(i))));
        double ms = (System.nanoTime() - t0) / 1e6;
        IntStream.range(0, N).forEach(i -> assertThat(usersOf(i)).isEqualTo(othersOf(i)));
        System.out.printf("gossip discovery: all 5 nodes list the other 4 within %.0f ms of the last start (rtimer 10 s)%n", ms);
        JsonObject first = apiNode(0);
        assertThat(first.getString("name")).isEqualTo("n1");
        assertThat(first.getJsonArray("peers").getList()).containsExactly("127.0.0.1:" + gossipPorts[1]);
        JsonObject n5 = first.getJsonArray("users").stream().map(o -> (JsonObject) o)
                .filter(u -> u.getString("name").equals("n5")).findFirst().orElseThrow();
        assertThat(n5.getInteger("hops")).isEqualTo(4);
        assertThat(n5.getString("nextHop")).isEqualTo("127.0.0.1:" + gossipPorts[1]);
    }

    @Test
    void privateMessagesCrossFourHopsInOrderAndUnknownNamesComeBackAsErrors() {
        startChain(10);
        awaitFullDiscovery();
        assertPrivateMessagesArriveInOrder();

        List<JsonObject> undeliverable = new CopyOnWriteArrayList<>();
        nodes.get(0).vertx().eventBus().<JsonObject>consumer(Addresses.signalUndeliverable("n1"),
                m -> undeliverable.add(m.body()));
        JsonObject signal = new JsonObject().put("type", SignalTypes.CALL_REQUEST);
        assertThatThrownBy(() -> nodes.get(0).vertx().eventBus()
                .request(Addresses.signalSend("n1"), new SignalEnvelope("nobody", signal).toSendJson()).await())
                .isInstanceOfSatisfying(ReplyException.class, e -> {
                    assertThat(e.failureCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("unknown user: nobody");
                });
        await().atMost(Duration.ofSeconds(2)).until(() -> !undeliverable.isEmpty());
        assertThat(Undeliverable.fromJson(undeliverable.get(0)).to()).isEqualTo("nobody");
    }

    @Test
    void aMessageThatCannotBeRoutedFurtherOnIsBouncedBackToItsSender() throws Exception {
        startChain(10);
        awaitFullDiscovery();
        List<JsonObject> undeliverable = new CopyOnWriteArrayList<>();
        nodes.get(0).vertx().eventBus().<JsonObject>consumer(Addresses.signalUndeliverable("n1"),
                m -> undeliverable.add(m.body()));
        // A message "from n1" reaches n3 for a name n3 has no route to; n3 must route a bounce back to n1, which
        // alone can read what was sent (relays only see ciphertext), so it is matched by id in n1's outbox.
        byte[] packet = org.decwebrtc.gossip.wire.GossipPacket.newBuilder().setPrivateMessage(
                org.decwebrtc.gossip.wire.PrivateMessage.newBuilder().setOrigin("n1").setDestination("ghost")
                        .setHopLimit(10).setPayload(com.google.protobuf.ByteString.copyFromUtf8(
                                new JsonObject().put("type", "text").put("text", "hello?").encode()))).build()
                .toByteArray();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), gossipPorts[2]));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> !undeliverable.isEmpty());
        Undeliverable bounce = Undeliverable.fromJson(undeliverable.get(0));
        assertThat(bounce.to()).isEqualTo("ghost");
        assertThat(bounce.reason()).contains("no route to ghost");
        assertThat(bounce.signal()).isNotNull();

        // The same with a hop limit that runs out on the way (n3 forwards with 0 left, n4 gives up): bounced too.
        byte[] shortLived = org.decwebrtc.gossip.wire.GossipPacket.newBuilder().setPrivateMessage(
                org.decwebrtc.gossip.wire.PrivateMessage.newBuilder().setOrigin("n1").setDestination("n5")
                        .setHopLimit(1).setPayload(com.google.protobuf.ByteString.copyFromUtf8("{}"))).build()
                .toByteArray();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.send(new DatagramPacket(shortLived, shortLived.length, InetAddress.getLoopbackAddress(), gossipPorts[2]));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> undeliverable.size() >= 2);
        Undeliverable expired = Undeliverable.fromJson(undeliverable.get(1));
        assertThat(expired.to()).isEqualTo("n5");
        assertThat(expired.reason()).contains("hop limit");
    }

    @Test
    void forgedRumorsAndForgedSignalsAreRefused() throws Exception {
        startChain(10);
        awaitFullDiscovery();
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        nodes.get(4).vertx().eventBus().<JsonObject>consumer(Addresses.signalReceived("n5"), m -> received.add(m.body()))
                .completion().await();
        // A relay (here: anyone who can send n3 a datagram) claims to be n1: a private message without n1's
        // signature, and a newer rumor for n1 under another key that would reroute n1's traffic through it.
        var forgedMessage = org.decwebrtc.gossip.wire.GossipPacket.newBuilder().setPrivateMessage(
                org.decwebrtc.gossip.wire.PrivateMessage.newBuilder().setOrigin("n1").setDestination("n5")
                        .setHopLimit(10).setPayload(com.google.protobuf.ByteString.copyFromUtf8(
                                new JsonObject().put("type", "call-request").encode()))
                        .setSignature(com.google.protobuf.ByteString.copyFrom(new byte[64]))).build().toByteArray();
        java.security.KeyPair mallory = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        var rumor = org.decwebrtc.gossip.wire.RouteRumor.newBuilder().setOrigin("n1").setSeq(Long.MAX_VALUE / 2)
                .setPublicKey(com.google.protobuf.ByteString.copyFrom(mallory.getPublic().getEncoded()));
        java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
        signer.initSign(mallory.getPrivate());
        signer.update(rumor.build().toByteArray());
        byte[] forgedRumor = org.decwebrtc.gossip.wire.GossipPacket.newBuilder()
                .setRumor(rumor.setSignature(com.google.protobuf.ByteString.copyFrom(signer.sign()))).build().toByteArray();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.send(new DatagramPacket(forgedMessage, forgedMessage.length, InetAddress.getLoopbackAddress(), gossipPorts[2]));
            socket.send(new DatagramPacket(forgedRumor, forgedRumor.length, InetAddress.getLoopbackAddress(), gossipPorts[2]));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> stats(4).getLong("forged") >= 1 && stats(2).getLong("forged") >= 1);
        assertThat(received).isEmpty();
        JsonObject n1AtN3 = apiNode(2).getJsonArray("users").stream().map(o -> (JsonObject) o)
                .filter(u -> u.getString("name").equals("n1")).findFirst().orElseThrow();
        assertThat(n1AtN3.getString("nextHop")).isEqualTo("127.0.0.1:" + gossipPorts[1]);
        assertPrivateMessagesArriveInOrder();
    }

    @Test
    void aKilledNodeAndThoseBehindItAreDeletedWithinThreeTimersAndComeBackOnRestart() {
        startChain(1);
        awaitFullDiscovery();
        nodes.get(2).close().await();
        long killed = System.nanoTime();
        // 3 x rtimer after the last rumor heard before the kill, which is at most the kill itself; the margin is
        // for the expiry check's period (rtimer / 10) and the polling here.
        await().atMost(Duration.ofMillis(3000 + 300)).pollInterval(Duration.ofMillis(50)).until(() ->
                usersOf(0).equals(Set.of("n2")) && usersOf(1).equals(Set.of("n1")));
        System.out.printf("gossip expiry: n1 and n2 dropped n3-n5 %.0f ms after n3 was killed (rtimer 1 s)%n",
                (System.nanoTime() - killed) / 1e6);
        nodes.set(2, start(2, 1));
        awaitFullDiscovery();
    }

    @Test
    void tenThousandGarbageDatagramsDoNotStopRouting() throws Exception {
        startChain(10);
        awaitFullDiscovery();
        Random random = new Random(42);
        byte[] valid = org.decwebrtc.gossip.wire.GossipPacket.newBuilder().setRumor(
                org.decwebrtc.gossip.wire.RouteRumor.newBuilder().setOrigin("zz").setSeq(1)).build().toByteArray();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int k = 0; k < 10_000; k++) {
                byte[] bytes = switch (k % 3) {
                    case 0 -> randomBytes(random, 1 + random.nextInt(1400));
                    case 1 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
                    default -> flipBits(random, valid);
                };
                int target = gossipPorts[k % N];
                socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), target));
                if (k % 500 == 0) {
                    Thread.sleep(1);
                }
            }
        }
        // The kernel drops part of such a burst when the socket buffer fills; what arrives must be counted as bad
        // and must not stop the node.
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(2).getLong("malformed") > 0);
        JsonObject stats = stats(2);
        System.out.println("gossip stats of n3 after 10,000 garbage datagrams: " + stats.encode());
        assertPrivateMessagesArriveInOrder();
    }

    private JsonObject stats(int i) {
        return nodes.get(i).vertx().eventBus()
                .<JsonObject>request(Addresses.gossipStats(name(i)), new JsonObject()).await().body();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] flipBits(Random random, byte[] valid) {
        byte[] b = valid.clone();
        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        return b;
    }

    private void awaitFullDiscovery() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                IntStream.range(0, N).allMatch(i -> usersOf(i).equals(othersOf(i))));
    }

    private void assertPrivateMessagesArriveInOrder() {
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        var consumer = nodes.get(4).vertx().eventBus().<JsonObject>consumer(Addresses.signalReceived("n5"),
                m -> received.add(m.body()));
        consumer.completion().await();
        String bigText = "x".repeat(20_000);
        for (int k = 0; k < 50; k++) {
            JsonObject signal = new JsonObject().put("type", SignalTypes.TEXT).put("n", k).put("text", k == 7 ? bigText : "m" + k);
            nodes.get(0).vertx().eventBus().request(Addresses.signalSend("n1"),
                    new SignalEnvelope("n5", signal).toSendJson()).await();
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> received.size() >= 50);
        consumer.unregister().await();
        assertThat(received).hasSize(50);
        assertThat(received).allSatisfy(m -> assertThat(m.getString("from")).isEqualTo("n1"));
        assertThat(received.stream().map(m -> m.getJsonObject("signal").getInteger("n")).toList())
                .isEqualTo(IntStream.range(0, 50).boxed().toList());
        assertThat(received.get(7).getJsonObject("signal").getString("text")).isEqualTo(bigText);
    }
}

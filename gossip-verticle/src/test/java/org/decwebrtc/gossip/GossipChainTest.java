package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.Undeliverable;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.PrivateMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Five gossip nodes in a chain on loopback, each started with only the previous one as neighbour: discovery,
 * private messages across four hops, bounces, deletion of dead nodes and their return, resistance to garbage.
 */
@Timeout(value = 120)
class GossipChainTest extends GossipNetworkFixture {
    private static final int N = 5;
    private static String name(int i) {
        return "n" + (i + 1);
    }

    private void start(int i, int rtimer) {
        net.start(name(i), i == 0 ? List.of() : List.of(name(i - 1)), rtimer);
    }

    private void startChain(int rtimer) {
        net = new GossipTestNetwork(data);
        for (int i = 0; i < N; i++) {
            start(i, rtimer);
        }
        awaitFullDiscovery();
    }

    private Set<String> othersOf(int i) {
        return IntStream.range(0, N).filter(j -> j != i).mapToObj(GossipChainTest::name).collect(Collectors.toSet());
    }

    private void awaitFullDiscovery() {
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() ->
                    IntStream.range(0, N).allMatch(i -> net.users(name(i)).equals(othersOf(i))));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every node lists the other four: " + IntStream.range(0, N)
                    .mapToObj(i -> name(i) + "=" + net.directory(name(i)).encode() + " " + net.stats(name(i)).encode())
                    .collect(Collectors.joining("\n")), e);
        }
    }

    @Test
    void aNeighbourGivenByHostNameIsGreetedAndJoined() {
        net = new GossipTestNetwork(data);
        net.start("n1", List.of(), 10);
        // As an operator may write it in -peers: a name, resolved off the event loop.
        net.startAt("n2", List.of("localhost:" + net.port("n1")), 10, GossipLimits.defaults());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> net.users("n1").equals(Set.of("n2")) && net.users("n2").equals(Set.of("n1")));
    }

    @Test
    void everyNodeListsTheOtherFourSoonAfterTheLastStart() {
        net = new GossipTestNetwork(data);
        for (int i = 0; i < N - 1; i++) {
            start(i, 10);
        }
        long t0 = System.nanoTime();
        start(N - 1, 10);
        awaitFullDiscovery();
        System.out.printf("gossip discovery: all 5 nodes list the other 4 within %.0f ms of the last start (rtimer 10 s)%n",
                (System.nanoTime() - t0) / 1e6);
        JsonObject first = net.directory("n1");
        assertThat(first.getString("name")).isEqualTo("n1");
        assertThat(first.getJsonArray("peers").getList()).containsExactly(net.address("n2"));
        JsonObject n5 = net.user("n1", "n5");
        assertThat(n5.getInteger("hops")).isEqualTo(4);
        assertThat(n5.getString("nextHop")).isEqualTo(net.address("n2"));
        assertThat(net.user("n1", "n2").getInteger("hops")).isEqualTo(1);
    }

    @Test
    void privateMessagesCrossFourHopsInOrderAndUnknownNamesComeBackAsErrors() {
        startChain(10);
        assertPrivateMessagesArriveInOrder();

        List<JsonObject> undeliverable = new CopyOnWriteArrayList<>();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.signalUndeliverable("n1"), m -> undeliverable.add(m.body()))
                .completion().await();
        JsonObject signal = new JsonObject().put("type", "call-request");
        assertThatThrownBy(() -> net.send("n1", "nobody", signal))
                .isInstanceOfSatisfying(ReplyException.class, e -> {
                    assertThat(e.failureCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("unknown user: nobody");
                });
        await().atMost(Duration.ofSeconds(20)).until(() -> !undeliverable.isEmpty());
        assertThat(Undeliverable.fromJson(undeliverable.get(0)).to()).isEqualTo("nobody");
    }

    @Test
    void aMessageThatCannotBeRoutedFurtherOnIsBouncedBackToItsSender() throws Exception {
        startChain(10);
        List<JsonObject> undeliverable = new CopyOnWriteArrayList<>();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.signalUndeliverable("n1"), m -> undeliverable.add(m.body()))
                .completion().await();
        // A neighbour of n3 hands it a message "from n1" for a name nobody knows: n3 must route a bounce back to
        // n1, signed by n3, matched there by id (relays only see ciphertext).
        HostileNode relay = hostileJoined("m", "n3");
        relay.send(GossipPacket.newBuilder().setPrivateMessage(PrivateMessage.newBuilder().setOrigin("n1")
                .setDestination("ghost").setHopLimit(10).setId(7).setTimestamp(System.currentTimeMillis())
                .setPayload(ByteString.copyFromUtf8("sealed")).setSignature(ByteString.copyFrom(new byte[64]))).build(),
                net.port("n3"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !undeliverable.isEmpty());
        Undeliverable bounce = Undeliverable.fromJson(undeliverable.get(0));
        assertThat(bounce.to()).isEqualTo("ghost");
        assertThat(bounce.reason()).contains("no route to ghost");
        assertThat(bounce.signal()).isNotNull();

        // The same with a hop limit that runs out on the way (n3 forwards with 0 left, n4 gives up): bounced too.
        relay.send(GossipPacket.newBuilder().setPrivateMessage(PrivateMessage.newBuilder().setOrigin("n1")
                .setDestination("n5").setHopLimit(1).setId(8).setTimestamp(System.currentTimeMillis())
                .setPayload(ByteString.copyFromUtf8("sealed")).setSignature(ByteString.copyFrom(new byte[64]))).build(),
                net.port("n3"));
        await().atMost(Duration.ofSeconds(20)).until(() -> undeliverable.size() >= 2);
        Undeliverable expired = Undeliverable.fromJson(undeliverable.get(1));
        assertThat(expired.to()).isEqualTo("n5");
        assertThat(expired.reason()).contains("hop limit");
    }

    @Test
    void forgedSignalsAreRefused() throws Exception {
        startChain(10);
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived("n5"), m -> received.add(m.body()))
                .completion().await();
        // A relay claims to be n1: a message without n1's signature must not reach n5's user.
        HostileNode relay = hostileJoined("m", "n3");
        relay.send(GossipPacket.newBuilder().setPrivateMessage(PrivateMessage.newBuilder().setOrigin("n1")
                .setDestination("n5").setHopLimit(10).setId(9).setTimestamp(System.currentTimeMillis())
                .setPayload(ByteString.copyFromUtf8(new JsonObject().put("type", "call-request").encode()))
                .setSignature(ByteString.copyFrom(new byte[64]))).build(), net.port("n3"));
        await().atMost(Duration.ofSeconds(20)).until(() -> net.stats("n5").getLong("forged") >= 1);
        assertThat(received).isEmpty();
        assertPrivateMessagesArriveInOrder();
    }

    @Test
    void aKilledNodeAndThoseBehindItAreDeletedWithinThreeTimersAndComeBackOnRestart() {
        startChain(1);
        net.kill("n3");
        long killed = System.nanoTime();
        // Keepalives take n3 out of n2's record within about a second; n1 and n2 then no longer reach n3-n5.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() ->
                net.users("n1").equals(Set.of("n2")) && net.users("n2").equals(Set.of("n1")));
        System.out.printf("gossip expiry: n1 and n2 dropped n3-n5 %.0f ms after n3 was killed (rtimer 1 s)%n",
                (System.nanoTime() - killed) / 1e6);
        start(2, 1);
        awaitFullDiscovery();
    }

    @Test
    void tenThousandGarbageDatagramsDoNotStopRouting() throws Exception {
        startChain(10);
        Random random = new Random(42);
        byte[] valid = HostileNode.batch(new HostileNode("zz").record("zz", 1, List.of())).toByteArray();
        try (HostileNode noise = new HostileNode("noise")) {
            for (int k = 0; k < 10_000; k++) {
                byte[] bytes = switch (k % 3) {
                    case 0 -> randomBytes(random, 1 + random.nextInt(1400));
                    case 1 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
                    default -> flipBits(random, valid);
                };
                noise.send(bytes, net.port(name(k % N)));
                if (k % 500 == 0) {
                    Thread.sleep(1);
                }
            }
        }
        // The kernel drops part of such a burst when the socket buffer fills; what arrives must be counted as bad
        // and must not stop the node.
        await().atMost(Duration.ofSeconds(20)).until(() -> net.stats("n3").getLong("malformed")
                + net.stats("n3").getLong("unvalidated") > 0);
        System.out.println("gossip stats of n3 after 10,000 garbage datagrams: " + net.stats("n3").encode());
        assertPrivateMessagesArriveInOrder();
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

    private void assertPrivateMessagesArriveInOrder() {
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        var consumer = net.vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived("n5"),
                m -> received.add(m.body()));
        consumer.completion().await();
        String bigText = "x".repeat(20_000);
        for (int k = 0; k < 50; k++) {
            JsonObject signal = new JsonObject().put("type", "text").put("n", k).put("text", k == 7 ? bigText : "m" + k);
            net.send("n1", "n5", signal);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 50);
        GossipTestNetwork.get(consumer.unregister());
        assertThat(received).hasSize(50);
        assertThat(received).allSatisfy(m -> assertThat(m.getString("from")).isEqualTo("n1"));
        assertThat(received.stream().map(m -> m.getJsonObject("signal").getInteger("n")).toList())
                .isEqualTo(IntStream.range(0, 50).boxed().toList());
        assertThat(received.get(7).getJsonObject("signal").getString("text")).isEqualTo(bigText);
    }
}

package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.KeyWarning;
import org.decwebrtc.gossip.wire.Challenge;
import org.decwebrtc.gossip.wire.Digest;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.Hello;
import org.decwebrtc.gossip.wire.Join;
import org.decwebrtc.gossip.wire.Keepalive;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.OriginSeq;
import org.decwebrtc.gossip.wire.PrivateMessage;
import org.decwebrtc.gossip.wire.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile node ({@link HostileNode}: raw socket, own keys, the wire format) against real gossip nodes on
 * loopback: amplification, route hijack, unknown fields, impersonation of a silent user, burnt names, replays,
 * floods of names and a relay that drops every private message. docs/PROTOCOLS.md ("Which check makes each
 * hostile-node test pass") names, for each case, the check in the code whose removal the test would catch.
 */
@Timeout(value = 180)
class HostileNodeTest extends GossipNetworkFixture {
    /** Nodes n1..n{count} in a chain, each greeting the one before, with every node listing every other. */
    private void chain(int count, int rtimer) {
        net = new GossipTestNetwork(data);
        for (int i = 1; i <= count; i++) {
            net.start("n" + i, i == 1 ? List.of() : List.of("n" + (i - 1)), rtimer);
        }
        awaitUsers(count);
    }

    private void awaitUsers(int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() ->
                IntStream.rangeClosed(1, count).allMatch(i -> net.users("n" + i).size() == count - 1));
    }

    private Map<String, String> routesOf(String node) {
        Map<String, String> routes = new LinkedHashMap<>();
        net.directory(node).getJsonArray("users").stream().map(o -> (JsonObject) o).sorted(
                        java.util.Comparator.comparing(u -> u.getString("name")))
                .forEach(u -> routes.put(u.getString("name"), u.getString("nextHop") + "/" + u.getInteger("hops")));
        return routes;
    }

    // ---- amplification ------------------------------------------------------------------------------------

    @Test
    void spoofedSourcePacketsOfEveryKindDrawAtMostThreeTimesTheirBytes() throws Exception {
        chain(3, 10);
        HostileNode genuine = hostile("genuine");
        LinkRecord n3Record = null;
        // A genuine record of n3 as captured off the wire, to be replayed from an address that never joined.
        assertThat(genuine.join(net.port("n2"), "genuine", List.of("n2"))).isTrue();
        HostileNode.Received carrying = genuine.await(r -> r.packet() != null && r.packet().hasRecords()
                && r.packet().getRecords().getRecordsList().stream().anyMatch(x -> x.getOrigin().equals("n3")),
                Duration.ofSeconds(20));
        n3Record = carrying.packet().getRecords().getRecordsList().stream().filter(x -> x.getOrigin().equals("n3"))
                .findFirst().orElseThrow();
        ByteString cookie = ByteString.copyFrom(new byte[16]);
        Map<String, byte[]> kinds = new LinkedHashMap<>();
        kinds.put("2-byte empty packet (old status)", new byte[]{0x1a, 0x00});
        kinds.put("bare hello", GossipPacket.newBuilder().setHello(Hello.newBuilder().setCookie(cookie)).build().toByteArray());
        kinds.put("padded hello", GossipPacket.newBuilder().setHello(Hello.newBuilder().setCookie(cookie)
                .setPadding(ByteString.copyFrom(new byte[44]))).build().toByteArray());
        kinds.put("challenge", GossipPacket.newBuilder().setChallenge(Challenge.newBuilder().setEcho(cookie)
                .setCookie(cookie)).build().toByteArray());
        kinds.put("join with a guessed cookie", GossipPacket.newBuilder().setJoin(Join.newBuilder().setCookie(cookie)
                .setMyCookie(cookie).setRecord(n3Record)).build().toByteArray());
        kinds.put("keepalive", GossipPacket.newBuilder().setKeepalive(Keepalive.newBuilder().setToken(cookie))
                .build().toByteArray());
        kinds.put("genuine record", HostileNode.batch(n3Record).toByteArray());
        kinds.put("private message", GossipPacket.newBuilder().setPrivateMessage(PrivateMessage.newBuilder()
                .setOrigin("n1").setDestination("n3").setHopLimit(5).setSignature(ByteString.copyFrom(new byte[64])))
                .build().toByteArray());
        kinds.put("digest", GossipPacket.newBuilder().setDigest(Digest.newBuilder().setRoot(1).setCount(99))
                .build().toByteArray());
        kinds.put("summary", GossipPacket.newBuilder().setSummary(Summary.newBuilder().addBuckets(1)
                .addHave(OriginSeq.newBuilder().setOrigin("n1").setSeq(1))).build().toByteArray());
        kinds.put("graft", GossipPacket.newBuilder().setGraft(org.decwebrtc.gossip.wire.Graft.newBuilder()
                .addOrigins("n1").addOrigins("n3")).build().toByteArray());
        kinds.put("prune", GossipPacket.newBuilder().setPrune(org.decwebrtc.gossip.wire.Prune.getDefaultInstance())
                .build().toByteArray());
        kinds.put("announcement", GossipPacket.newBuilder().setRecords(org.decwebrtc.gossip.wire.RecordBatch
                .newBuilder().addHave(OriginSeq.newBuilder().setOrigin("zz").setSeq(System.currentTimeMillis())))
                .build().toByteArray());
        kinds.put("probe (a node's own liveness check)", GossipPacket.newBuilder().setProbe(
                org.decwebrtc.gossip.wire.Probe.newBuilder().setNonce(0x5eed)).build().toByteArray());
        Map<String, HostileNode> senders = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> kind : kinds.entrySet()) {
            HostileNode spoofed = hostile("spoofed");
            senders.put(kind.getKey(), spoofed);
            for (int k = 0; k < 5; k++) {
                spoofed.send(kind.getValue(), net.port("n2"));
            }
        }
        // Long enough for every answer, and for a node that took the source as a neighbour to start sending to it.
        Thread.sleep(2500);
        for (Map.Entry<String, byte[]> kind : kinds.entrySet()) {
            HostileNode spoofed = senders.get(kind.getKey());
            long sent = 5L * kind.getValue().length;
            System.out.printf("amplification: %-32s sent %5d B, drew %5d B%n", kind.getKey(), sent,
                    spoofed.bytesReceived());
            assertThat(spoofed.bytesReceived()).as(kind.getKey()).isLessThanOrEqualTo(3 * sent);
            assertThat(net.directory("n2").getJsonArray("peers").getList()).doesNotContain(spoofed.address());
        }
        assertThat(net.stats("n2").getLong("neighbours")).isEqualTo(3); // n1, n3 and the one that did join
    }

    @Test
    void neighboursAreCappedInTotalAndPerAddressPrefix() throws Exception {
        net = new GossipTestNetwork(data);
        net.start("hub", List.of(), 10, GossipLimits.defaults().withNeighbours(4, 3));
        int joined = 0;
        for (int i = 0; i < 6; i++) {
            if (hostile("h" + i).join(net.port("hub"), "h" + i, List.of("hub"))) {
                joined++;
            }
        }
        // Every loopback address is in one /24: the prefix cap (3) binds before the total cap (4).
        assertThat(joined).isEqualTo(3);
        assertThat(net.stats("hub").getLong("neighbours")).isEqualTo(3);
    }

    // ---- routes -------------------------------------------------------------------------------------------

    @Test
    void forgedHopsAndForgedEdgesLeaveEveryRouteUnchanged() throws Exception {
        chain(5, 10);
        HostileNode m = hostileJoined("m", "n1");
        await().atMost(Duration.ofSeconds(20)).until(() -> net.users("n5").contains("m"));
        Map<String, Map<String, String>> before = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            before.put("n" + i, routesOf("n" + i));
        }
        LinkRecord n5 = m.await(r -> r.packet() != null && r.packet().hasRecords()
                        && r.packet().getRecords().getRecordsList().stream().anyMatch(x -> x.getOrigin().equals("n5")),
                Duration.ofSeconds(20)).packet().getRecords().getRecordsList().stream()
                .filter(x -> x.getOrigin().equals("n5")).findFirst().orElseThrow();
        // n5's genuine record re-sent with the old wire's hop count (field 3) forged to 0xFFFFFFFF and 0x80000000,
        // m's own record claiming edges to n3, n4 and n5, and a record of n5 signed with m's key.
        for (long hops : new long[]{0xFFFFFFFFL, 0x80000000L, 0}) {
            m.send(withUnknownVarint(HostileNode.batch(n5).toByteArray(), hops), net.port("n1"));
        }
        m.send(HostileNode.batch(m.record("m", m.nextSeq(), List.of("n1", "n3", "n4", "n5"))), net.port("n1"));
        m.send(HostileNode.batch(m.record("n5", System.currentTimeMillis(), List.of("m"))), net.port("n1"));
        Thread.sleep(2000);
        for (int i = 1; i <= 5; i++) {
            assertThat(routesOf("n" + i)).as("routes of n" + i).isEqualTo(before.get("n" + i));
        }
        assertThat(net.user("n1", "n5").getString("nextHop")).isEqualTo(net.address("n2"));
        assertThat(net.user("n1", "n5").getInteger("hops")).isEqualTo(4);
        assertThat(net.user("n5", "m").getInteger("hops")).isEqualTo(5); // m is only where its confirmed edge is
    }

    /** The packet with an unknown varint field (number 3, the old hop count) appended to its first record. */
    private static byte[] withUnknownVarint(byte[] batchPacket, long value) throws Exception {
        GossipPacket packet = GossipPacket.parseFrom(batchPacket);
        LinkRecord record = packet.getRecords().getRecords(0);
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(extra);
        out.writeUInt64(3 + 8, value); // a field number unknown to LinkRecord
        out.writeUInt32(3000, (int) value);
        out.flush();
        LinkRecord forged = LinkRecord.parseFrom(concat(record.toByteArray(), extra.toByteArray()));
        return HostileNode.batch(forged).toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void unknownFieldsAreNeverStoredOrFloodedOn() throws Exception {
        chain(3, 10);
        HostileNode m = hostile("m");
        HostileNode watcher = hostile("watcher");
        assertThat(m.join(net.port("n3"), "m", List.of("n3"))).isTrue();
        assertThat(watcher.join(net.port("n1"), "watcher", List.of("n1"))).isTrue();
        m.keepAlive();
        watcher.keepAlive();
        // m's newer record with 50 KB of junk in an unknown field: the signature does not cover it.
        LinkRecord record = m.record("m", m.nextSeq(), List.of("n3"));
        LinkRecord junk = record.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder().addField(99,
                UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(new byte[50_000])).build())
                .build()).build();
        m.send(HostileNode.batch(junk), net.port("n3"));
        HostileNode.Received arrived = watcher.await(r -> r.packet() != null && r.packet().hasRecords()
                && r.packet().getRecords().getRecordsList().stream()
                .anyMatch(x -> x.getOrigin().equals("m") && x.getSeq() == record.getSeq()), Duration.ofSeconds(20));
        assertThat(arrived).as("m's record reached the watcher behind n1").isNotNull();
        LinkRecord flooded = arrived.packet().getRecords().getRecordsList().stream()
                .filter(x -> x.getOrigin().equals("m")).findFirst().orElseThrow();
        assertThat(flooded.getUnknownFields().asMap()).isEmpty();
        assertThat(arrived.bytes().length).isLessThan(1300);
        assertThat(flooded.getSignature()).isEqualTo(record.getSignature());
        assertThat(watcher.received()).allSatisfy(r -> assertThat(r.bytes().length).isLessThan(2000));
    }

    // ---- identity -----------------------------------------------------------------------------------------

    @Test
    void aSilentUserCannotBeImpersonatedTheAttemptIsReportedAndOnlyTheUserCanAcceptTheNewKey() throws Exception {
        chain(3, 1);
        String realFingerprint = KeyPins.fingerprint(java.util.Base64.getDecoder().decode(
                net.directory("n1").getJsonArray("users").isEmpty() ? "" : pinnedKey("n1", "n3")));
        List<JsonObject> warnings = new CopyOnWriteArrayList<>();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.keyWarning("n1"), m -> warnings.add(m.body()))
                .completion().await();
        net.stop("n3");
        // n3 falls silent; its record is dropped after 3 x rtimer, its pin stays.
        await().atMost(Duration.ofSeconds(15)).until(() -> !net.users("n1").contains("n3"));
        Thread.sleep(3500);
        net.stop("n1");
        net.start("n1", List.of(), 1); // a restart: the pin must come back from the data directory
        await().atMost(Duration.ofSeconds(15)).until(() -> net.users("n1").contains("n2"));
        net.vertx.eventBus().<JsonObject>consumer(Addresses.keyWarning("n1"), m -> warnings.add(m.body()))
                .completion().await();

        HostileNode mallory = hostile("mallory");
        assertThat(mallory.join(net.port("n1"), "n3", List.of("n1"))).as("joined as n3").isFalse();
        assertThat(mallory.join(net.port("n1"), "mallory", List.of("n1"))).isTrue();
        mallory.keepAlive();
        mallory.send(HostileNode.batch(mallory.record("n3", System.currentTimeMillis(), List.of("mallory"))),
                net.port("n1"));
        String newFingerprint = KeyPins.fingerprint(mallory.publicKey());
        await().atMost(Duration.ofSeconds(20)).until(() -> !warnings.isEmpty());
        KeyWarning warning = KeyWarning.fromJson(warnings.get(0));
        assertThat(warning.name()).isEqualTo("n3");
        assertThat(warning.oldFingerprint()).isEqualTo(realFingerprint);
        assertThat(warning.newFingerprint()).isEqualTo(newFingerprint);
        JsonArray listed = net.directory("n1").getJsonArray("keyWarnings");
        assertThat(listed).hasSize(1);
        assertThat(listed.getJsonObject(0).getString("name")).isEqualTo("n3");
        assertThat(net.users("n1")).doesNotContain("n3");
        assertThat(net.users("n2")).doesNotContain("n3");

        // Accepting a key nobody offered fails; the user accepting the offered one makes mallory n3 for n1.
        assertThat(net.vertx.eventBus().request(Addresses.keyAccept("n1"),
                new JsonObject().put("name", "n3").put("fingerprint", "00")).toCompletionStage()
                .toCompletableFuture().handle((ok, e) -> e).get()).isNotNull();
        GossipTestNetwork.get(net.vertx.eventBus().request(Addresses.keyAccept("n1"),
                new JsonObject().put("name", "n3").put("fingerprint", newFingerprint)));
        assertThat(net.directory("n1").getJsonArray("keyWarnings")).isEmpty();
        assertThat(hostile("mallory2").join(net.port("n1"), "x", List.of())).isTrue(); // n1 still answers
    }

    private String pinnedKey(String at, String name) throws Exception {
        JsonObject pins = new JsonObject(Files.readString(awaitFile(data.resolve(at).resolve("gossip-pins.json"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> new JsonObject(Files.readString(
                data.resolve(at).resolve("gossip-pins.json"))).getJsonArray("pins").stream()
                .anyMatch(p -> ((JsonObject) p).getString("name").equals(name)));
        pins = new JsonObject(Files.readString(data.resolve(at).resolve("gossip-pins.json")));
        return pins.getJsonArray("pins").stream().map(p -> (JsonObject) p).filter(p -> p.getString("name").equals(name))
                .findFirst().orElseThrow().getString("key");
    }

    private static Path awaitFile(Path file) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file));
        return file;
    }

    @Test
    void aSequenceNumberAtTheEndOfTimeDoesNotBurnAName() throws Exception {
        chain(2, 1);
        HostileNode m = hostileJoined("m", "n1");
        // A record of a name nobody holds yet ("fresh"), and of m itself, both with seq = 2^64 - 1.
        m.send(HostileNode.batch(m.record("fresh", -1L, List.of("m")), m.record("m", -1L, List.of("n1"))),
                net.port("n1"));
        Thread.sleep(1000);
        assertThat(net.stats("n1").getLong("refused")).isGreaterThanOrEqualTo(2);
        assertThat(net.users("n1")).doesNotContain("fresh");
        // The name is still free for a real node, and m's own next record (a normal seq) still counts.
        net.start("fresh", List.of("n2"), 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> net.users("n1").contains("fresh"));
        m.send(HostileNode.batch(m.record("m", m.nextSeq(), List.of("n1"))), net.port("n1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> net.users("n2").contains("m"));
    }

    // ---- private messages ---------------------------------------------------------------------------------

    @Test
    void aReplayedPrivateMessageIsDeliveredOnce() throws Exception {
        // n1 and n2 know each other only through m, which relays honestly once and then replays what it saw.
        net = new GossipTestNetwork(data);
        net.start("n1", List.of(), 10);
        net.start("n2", List.of(), 10);
        HostileNode m = hostile("m");
        m.floodRecordsBetween(net.port("n1"), net.port("n2"));
        assertThat(m.join(net.port("n1"), "m", List.of("n1"))).isTrue();
        assertThat(m.join(net.port("n2"), "m", List.of("n1", "n2"))).isTrue();
        m.keepAlive();
        m.send(HostileNode.batch(m.record("m", m.nextSeq(), List.of("n1", "n2"))), net.port("n1"));
        // What n1 sent before m was n2's neighbour, n2 dropped unread: pass it on again.
        m.resendRecords(net.port("n1"), net.port("n2"));
        List<PrivateMessage> captured = new CopyOnWriteArrayList<>();
        m.onPrivateMessage(r -> {
            PrivateMessage message = r.packet().getPrivateMessage();
            captured.add(message);
            m.forward(message, net.port(message.getDestination()));
            return true;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> net.users("n1").contains("n2")
                && net.users("n2").contains("n1"));
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived("n2"), msg -> received.add(msg.body()))
                .completion().await();
        net.send("n1", "n2", new JsonObject().put("type", "call-request").put("callId", "c1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        PrivateMessage signal = captured.stream().filter(x -> x.getOrigin().equals("n1")).findFirst().orElseThrow();
        for (int k = 0; k < 3; k++) {
            m.forward(signal, net.port("n2"));
        }
        // Replayed with a fresh timestamp: the signature no longer holds.
        m.forward(signal.toBuilder().setTimestamp(System.currentTimeMillis()).build(), net.port("n2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> net.stats("n2").getLong("replayed") >= 3
                && net.stats("n2").getLong("forged") >= 1);
        Thread.sleep(500);
        assertThat(received).hasSize(1);
    }

    @Test
    void aRelayThatDropsEveryPrivateMessageCostsARetryNotTheCall() throws Exception {
        // Short path n1 - m - n2 (m drops every private message), long path n1 - a - b - n2.
        net = new GossipTestNetwork(data);
        // A patient sender (2 s per attempt): on a loaded machine no receipt is late enough to cause a retry.
        net.start("n1", List.of(), 10, GossipLimits.defaults().withReceiptMillis(2000));
        net.start("a", List.of("n1"), 10);
        net.start("b", List.of("a"), 10);
        net.start("n2", List.of("b"), 10);
        HostileNode m = hostile("m");
        assertThat(m.join(net.port("n1"), "m", List.of("n1"))).isTrue();
        assertThat(m.join(net.port("n2"), "m", List.of("n1", "n2"))).isTrue();
        m.keepAlive();
        m.send(HostileNode.batch(m.record("m", m.nextSeq(), List.of("n1", "n2"))), net.port("n1"));
        m.send(HostileNode.batch(m.record("m", m.nextSeq(), List.of("n1", "n2"))), net.port("n2"));
        m.onPrivateMessage(r -> true); // swallowed
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonObject route = net.user("n1", "n2");
            return route != null && route.getInteger("hops") == 2 && route.getString("nextHop").equals(m.address());
        });
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        List<JsonObject> undeliverable = new CopyOnWriteArrayList<>();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived("n2"), msg -> received.add(msg.body()))
                .completion().await();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.signalUndeliverable("n1"), msg -> undeliverable.add(msg.body()))
                .completion().await();
        long t0 = System.nanoTime();
        for (int k = 0; k < 5; k++) {
            net.send("n1", "n2", new JsonObject().put("type", "call-request").put("n", k));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 5);
        System.out.printf("blackholing relay: 5 signals delivered over the long path %.0f ms after sending%n",
                (System.nanoTime() - t0) / 1e6);
        assertThat(received.stream().map(x -> x.getJsonObject("signal").getInteger("n")).collect(Collectors.toSet()))
                .isEqualTo(Set.of(0, 1, 2, 3, 4));
        // The first messages pay a retry; once a receipt came over the long path, m is avoided at once.
        long retried = net.stats("n1").getLong("retried");
        assertThat(retried).isGreaterThanOrEqualTo(1);
        received.clear();
        long t1 = System.nanoTime();
        net.send("n1", "n2", new JsonObject().put("type", "call-request").put("n", 5));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        System.out.printf("blackholing relay: the next signal went around it, delivered in %.0f ms%n",
                (System.nanoTime() - t1) / 1e6);
        assertThat(net.stats("n1").getLong("retried")).isEqualTo(retried);
        assertThat(net.stats("a").getLong("forwarded")).isGreaterThanOrEqualTo(5);
        Thread.sleep(PrivateMessaging.GIVE_UP_MILLIS + 500);
        assertThat(undeliverable).isEmpty();
        assertThat(net.stats("n1").getLong("pending")).isZero();
    }

    // ---- floods -------------------------------------------------------------------------------------------

    @Test
    void aHundredThousandNamesFromOneKeyLeaveEveryTableWithinItsCapAndTheNodeAnswering() throws Exception {
        chain(3, 10);
        HostileNode m = hostileJoined("m", "n1");
        long seq = System.currentTimeMillis();
        int names = 100_000;
        List<LinkRecord> records = IntStream.range(0, names).parallel()
                .mapToObj(i -> m.record("f" + i, seq, List.of("m"))).toList();
        long t0 = System.nanoTime();
        for (int i = 0; i < names; i += 8) {
            m.send(HostileNode.batch(records.subList(i, Math.min(names, i + 8)).toArray(LinkRecord[]::new)),
                    net.port("n1"));
            if (i % 2000 == 0) {
                Thread.sleep(2);
            }
        }
        System.out.printf("flood: %d signed names from one key sent in %.0f ms%n", names, (System.nanoTime() - t0) / 1e6);
        long answer = System.nanoTime();
        JsonObject stats = net.stats("n1");
        System.out.printf("flood: n1 answered in %.0f ms: %s%n", (System.nanoTime() - answer) / 1e6, stats.encode());
        GossipLimits caps = GossipLimits.defaults();
        assertThat(stats.getLong("origins")).isLessThanOrEqualTo(caps.maxOrigins());
        assertThat(stats.getLong("pins")).isLessThanOrEqualTo(caps.maxPins());
        assertThat(stats.getLong("neighbours")).isLessThanOrEqualTo(caps.maxNeighbours());
        // One key holds at most maxNamesPerKey names (m and one more); the others are refused unchecked.
        Set<String> fakes = net.users("n3").stream().filter(u -> u.startsWith("f")).collect(Collectors.toSet());
        assertThat(fakes.size()).isLessThanOrEqualTo(caps.maxNamesPerKey() - 1);
        assertThat(stats.getLong("signaturesChecked")).isLessThan(100);
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        net.vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived("n3"), msg -> received.add(msg.body()))
                .completion().await();
        net.send("n1", "n3", new JsonObject().put("type", "text").put("text", "still here"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
    }

    @Test
    void namesFromManyKeysArePacedPerNeighbourAndCappedInTotal() throws Exception {
        net = new GossipTestNetwork(data);
        net.start("n1", List.of(), 10, GossipLimits.defaults().withOrigins(200, 100, 10));
        HostileNode m = hostileJoined("m", "n1");
        long t0 = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            m.send(HostileNode.batch(HostileNode.recordWithFreshKey("k" + i, System.currentTimeMillis(), List.of("m"))),
                    net.port("n1"));
            if (i % 50 == 0) {
                Thread.sleep(2);
            }
        }
        Thread.sleep(1000);
        JsonObject stats = net.stats("n1");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("flood of names from 2000 keys in %.1f s: %s%n", seconds, stats.encode());
        // A burst of 100, then 10 a second, and never more than the cap of 200 (n1 and m included).
        assertThat(stats.getLong("origins")).isLessThanOrEqualTo(200);
        assertThat(stats.getLong("origins")).isLessThanOrEqualTo(2 + 100 + (long) Math.ceil(10 * seconds) + 1);
        assertThat(stats.getLong("refused")).isPositive();
    }
}

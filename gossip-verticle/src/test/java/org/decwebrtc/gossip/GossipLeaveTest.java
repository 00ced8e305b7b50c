package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.Leave;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that stops says so (a Leave carrying its last record, signed, listing no neighbours): its neighbours drop
 * it at once and every other node loses its edges, long before missed keepalives would. A Leave that is not signed
 * by the leaver's key, names another node, or comes from an address that is no neighbour changes nothing.
 */
@Timeout(value = 120)
class GossipLeaveTest extends GossipNetworkFixture {
    /** So long that a neighbour dropped within the test's bound was dropped by its Leave, not by keepalive expiry. */
    private static final GossipLimits SLOW_DEATH = GossipLimits.defaults().withKeepalive(250, 90_000);

    private void chain(String... names) {
        net = new GossipTestNetwork(data);
        for (int i = 0; i < names.length; i++) {
            net.start(names[i], i == 0 ? List.of() : List.of(names[i - 1]), 10, SLOW_DEATH);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                List.of(names).stream().allMatch(n -> net.users(n).size() == names.length - 1));
    }

    @Test
    void aStoppedNodesNeighboursAndTheNodesBehindThemDropItWithoutWaitingForKeepalives() {
        chain("n1", "n2", "n3", "n4");
        long t0 = System.nanoTime();
        net.stop("n3");
        // n2 (its neighbour) and n1 (behind n2) drop n3 and n4 beyond it; keepalive expiry would take 90 s.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() ->
                net.users("n2").equals(Set.of("n1")) && net.users("n1").equals(Set.of("n2"))
                        && net.users("n4").isEmpty());
        System.out.printf("gossip leave: n1, n2 and n4 dropped the stopped n3 %.0f ms after its stop (keepalive expiry "
                + "90 s)%n", (System.nanoTime() - t0) / 1e6);
        assertThat(net.stats("n2").getLong("neighboursLeft")).isEqualTo(1);
        assertThat(net.stats("n4").getLong("neighboursLeft")).isEqualTo(1);
        assertThat(net.stats("n2").getLong("neighbourDeaths")).isZero();
        // A node that comes back is greeted again and routed to as before.
        net.start("n3", List.of("n2"), 10, SLOW_DEATH);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                    net.users("n1").equals(Set.of("n2", "n3", "n4")) && net.users("n4").equals(Set.of("n1", "n2", "n3")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(List.of("n1", "n2", "n3", "n4").stream().map(n -> n + "=" + net.directory(n).encode()
                    + " " + net.stats(n).encode()).collect(java.util.stream.Collectors.joining("\n")), e);
        }
    }

    @Test
    void aLeaveNotSignedByTheLeaverOrForAnotherNodeOrFromAStrangerChangesNothing() throws Exception {
        chain("n1", "n2");
        HostileNode m = hostileJoined("m", "n1");
        await().atMost(Duration.ofSeconds(30)).until(() -> net.users("n2").equals(Set.of("n1", "m")));
        int port = net.port("n1");
        long refusedBefore = net.stats("n1").getLong("refused");
        long unvalidatedBefore = net.stats("n1").getLong("unvalidated");

        // Its own empty record, but the signature does not verify.
        LinkRecord signed = m.record("m", m.nextSeq(), List.of());
        LinkRecord forged = signed.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build();
        m.send(leave(m.token(port), forged), port);
        // n2's record, signed by m: m cannot make n1 drop n2.
        m.send(leave(m.token(port), m.record("n2", m.nextSeq(), List.of())), port);
        // A genuine Leave of m, but without the token (as a spoofer that never saw the handshake would send it).
        m.send(leave(new byte[16], m.record("m", m.nextSeq(), List.of())), port);
        // A genuine Leave of m sent by a stranger from another address.
        try (HostileNode stranger = new HostileNode("x")) {
            stranger.send(leave(m.token(port), m.record("m", m.nextSeq(), List.of())), port);
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                net.stats("n1").getLong("refused") >= refusedBefore + 2
                        && net.stats("n1").getLong("unvalidated") >= unvalidatedBefore + 2);
        Thread.sleep(500);
        assertThat(net.users("n1")).containsExactlyInAnyOrder("n2", "m");
        assertThat(net.users("n2")).containsExactlyInAnyOrder("n1", "m");
        assertThat(net.stats("n1").getLong("neighboursLeft")).isZero();

        // m's genuine Leave, with its token, from its address: n1 and n2 drop m at once.
        m.send(leave(m.token(port), m.record("m", m.nextSeq(), List.of())), port);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() ->
                net.users("n1").equals(Set.of("n2")) && net.users("n2").equals(Set.of("n1")));
        assertThat(net.stats("n1").getLong("neighboursLeft")).isEqualTo(1);
    }

    private static GossipPacket leave(byte[] token, LinkRecord record) {
        return GossipPacket.newBuilder().setLeave(Leave.newBuilder().setToken(ByteString.copyFrom(token))
                .setRecord(record)).build();
    }
}

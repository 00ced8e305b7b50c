package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.OriginSeq;
import org.decwebrtc.gossip.wire.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records spread as in Plumtree: pushed whole along the flood's tree, announced on the other links, asked for
 * (Graft) when the tree does not bring them; a link whose pushes are all old news leaves the tree (Prune).
 */
@Timeout(value = 120)
class FloodTreeTest extends GossipNetworkFixture {
    private static boolean carries(HostileNode.Received r, int fromPort) {
        return r.fromPort() == fromPort && r.packet() != null;
    }

    @Test
    void anAnnouncedRecordTheTreeDoesNotBringIsAskedForFromTheAnnouncer() throws Exception {
        HostileNode h = oneNodeJoinedBy("h");
        int port = net.port("n1");
        LinkRecord x = HostileNode.recordWithFreshKey("x", System.currentTimeMillis(), List.of("h"));
        h.send(GossipPacket.newBuilder().setRecords(RecordBatch.newBuilder().addHave(OriginSeq.newBuilder()
                .setOrigin("x").setSeq(x.getSeq()))).build(), port);

        HostileNode.Received graft = h.await(r -> carries(r, port) && r.packet().hasGraft(), Duration.ofSeconds(10));
        assertThat(graft).as("n1 asked the announcer for the record").isNotNull();
        assertThat(graft.packet().getGraft().getOriginsList()).containsExactly("x");
        h.send(HostileNode.batch(x), port);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(net.stats("n1").getInteger("origins")).isEqualTo(3));
        assertThat(net.stats("n1").getLong("graftsSent")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aLinkWhosePushesAreOldNewsIsPrunedAndThenGetsAnnouncementsNotRecords() throws Exception {
        HostileNode h = oneNodeJoinedBy("h");
        HostileNode g = hostileJoined("g", "n1");
        int port = net.port("n1");
        HostileNode.Received greeting = batchCarrying(h, port, "n1", Duration.ofSeconds(10));
        LinkRecord n1Record = greeting.packet().getRecords().getRecordsList().stream()
                .filter(rec -> rec.getOrigin().equals("n1")).findFirst().orElseThrow();

        // h pushes n1 what n1 has: old news over a redundant link.
        h.send(HostileNode.batch(n1Record), port);
        assertThat(h.await(r -> carries(r, port) && r.packet().hasPrune(), Duration.ofSeconds(10)))
                .as("n1 pruned the link").isNotNull();

        // g pushes a new record: n1 takes it and passes it on to h as an announcement only.
        LinkRecord y = HostileNode.recordWithFreshKey("y", System.currentTimeMillis(), List.of("g"));
        g.send(HostileNode.batch(y), port);
        HostileNode.Received announced = h.await(r -> carries(r, port) && r.packet().hasRecords()
                && r.packet().getRecords().getHaveList().stream().anyMatch(o -> o.getOrigin().equals("y")),
                Duration.ofSeconds(10));
        assertThat(announced).as("n1 announced y's record to h").isNotNull();
        assertThat(announced.packet().getRecords().getHave(0).getSeq()).isEqualTo(y.getSeq());
        assertThat(h.received()).noneMatch(r -> carries(r, port) && r.packet().hasRecords()
                && r.packet().getRecords().getRecordsList().stream().anyMatch(rec -> rec.getOrigin().equals("y")));

        // h asks for it: the record comes whole, and h is on the tree again.
        h.send(GossipPacket.newBuilder().setGraft(org.decwebrtc.gossip.wire.Graft.newBuilder().addOrigins("y"))
                .build(), port);
        HostileNode.Received answer = batchCarrying(h, port, "y", Duration.ofSeconds(10));
        assertThat(answer).isNotNull();
        assertThat(answer.packet().getRecords().getSync()).isTrue();
        assertThat(net.stats("n1").getLong("lazyNeighbours")).isZero();
    }

    @Test
    void aGreetingLeavesOutRecordsThatListNoNeighbours() throws Exception {
        HostileNode h = oneNodeJoinedBy("h");
        int port = net.port("n1");
        long now = System.currentTimeMillis();
        LinkRecord lone = HostileNode.recordWithFreshKey("x", now, List.of());
        LinkRecord linked = HostileNode.recordWithFreshKey("y", now, List.of("h"));
        h.send(HostileNode.batch(lone, linked), port);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(net.stats("n1").getInteger("origins")).as("n1, h, x and y").isEqualTo(4));

        // A record that lists no neighbours confirms no edge: a new neighbour could not route to it.
        HostileNode g = hostileJoined("g", "n1");
        HostileNode.Received y = batchCarrying(g, port, "y", Duration.ofSeconds(10));
        assertThat(y).as("g was greeted with y's record").isNotNull();
        assertThat(g.received()).noneMatch(r -> carries(r, port) && r.packet().hasRecords()
                && (r.packet().getRecords().getHaveList().stream().anyMatch(o -> o.getOrigin().equals("x"))
                || r.packet().getRecords().getRecordsList().stream().anyMatch(rec -> rec.getOrigin().equals("x"))));
    }
}

package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.Digest;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.OriginSeq;
import org.decwebrtc.gossip.wire.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record the flood never brought (lost datagrams, a neighbour that was away) reaches a node through the periodic
 * comparison of digests: the node asks a neighbour whose digest differs for the origins of the differing buckets and
 * takes the records it lacks.
 */
@Timeout(value = 120)
class AntiEntropyTest extends GossipNetworkFixture {
    @Test
    void aRecordTheFloodNeverBroughtArrivesThroughTheDigestComparison() throws Exception {
        HostileNode h = oneNodeJoinedBy("h");
        int port = net.port("n1");
        // What h knows and n1 does not: x's record (x is h's neighbour), never flooded to n1.
        LinkRecord x = HostileNode.recordWithFreshKey("x", System.currentTimeMillis(), List.of("h"));
        HostileNode.Received n1Record = batchCarrying(h, port, "n1", Duration.ofSeconds(10));
        assertThat(n1Record).as("n1's records reach its new neighbour (announced, then asked for)").isNotNull();
        LinkRecords view = new LinkRecords();
        n1Record.packet().getRecords().getRecordsList().forEach(rec -> view.put(rec, 0));
        view.put(x, 0);

        // n1 compares digests with its only neighbour once records have been quiet for a moment.
        HostileNode.Received asked = h.await(r -> r.fromPort() == port && r.packet() != null
                && r.packet().hasDigest() && r.packet().getDigest().getBucketsCount() == 0, Duration.ofSeconds(15));
        assertThat(asked).as("n1 sent its digest").isNotNull();
        Digest.Builder buckets = Digest.newBuilder().setRoot(view.root()).setCount(view.size());
        for (long b : view.buckets()) {
            buckets.addBuckets(b);
        }
        h.send(GossipPacket.newBuilder().setDigest(buckets).build(), port);

        HostileNode.Received summary = h.await(r -> r.fromPort() == port && r.packet() != null
                && r.packet().hasSummary(), Duration.ofSeconds(10));
        assertThat(summary).as("n1 listed what it holds in the buckets that differ").isNotNull();
        Summary s = summary.packet().getSummary();
        assertThat(s.getBucketsList()).contains(LinkRecords.bucket("x"));
        assertThat(s.getHaveList()).extracting(OriginSeq::getOrigin).doesNotContain("x");
        h.send(HostileNode.batch(x), port);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(net.stats("n1").getInteger("origins")).isEqualTo(3));
    }
}

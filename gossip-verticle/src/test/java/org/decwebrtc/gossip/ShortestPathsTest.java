package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ShortestPathsTest {
    private final LinkRecords records = new LinkRecords();

    private void record(String origin, String... neighbours) {
        records.put(LinkRecord.newBuilder().setOrigin(origin).setSeq(1).setPublicKey(ByteString.copyFromUtf8("k"))
                .addAllNeighbours(List.of(neighbours)).build(), 0);
    }

    @Test
    void anEdgeCountsOnlyWhenBothEndsListEachOther() {
        // me - a - b - c, and m claims edges to b and c that neither confirms.
        record("me", "a", "m");
        record("a", "me", "b");
        record("b", "a", "c");
        record("c", "b");
        record("m", "me", "b", "c");
        ShortestPaths paths = new ShortestPaths("me", records, Set.of("a", "m"));
        var routes = paths.all();
        assertThat(routes.get("c")).isEqualTo(new ShortestPaths.Route("c", "a", 3));
        assertThat(routes.get("m")).isEqualTo(new ShortestPaths.Route("m", "m", 1));
        assertThat(paths.relaysTo("c", Set.of())).containsExactly("a", "b");
    }

    @Test
    void relaysAroundAvoidedNodesOrNoneWhenThereIsNoOtherWay() {
        record("me", "a", "x");
        record("a", "me", "d");
        record("x", "me", "y");
        record("y", "x", "d");
        record("d", "a", "y");
        ShortestPaths paths = new ShortestPaths("me", records, Set.of("a", "x"));
        assertThat(paths.relaysTo("d", Set.of())).containsExactly("a");
        assertThat(paths.relaysTo("d", Set.of("a"))).containsExactly("x", "y");
        assertThat(paths.relaysTo("d", Set.of("a", "y"))).isNull();
    }

    @Test
    void nodesWithoutARecordOrBehindADeadNeighbourAreUnreachable() {
        record("me", "a");
        record("a", "me", "ghost");
        ShortestPaths paths = new ShortestPaths("me", records, Set.of());
        assertThat(paths.all()).isEmpty();
    }

    @Test
    void newerRecordsMoveRoutesAndNamesNoLongerMentionedFreeTheirIds() {
        record("me", "a");
        record("a", "me", "b", "b", "a"); // a name listed twice, and the origin itself, count once and not at all
        record("b", "a");
        ShortestPaths paths = new ShortestPaths("me", records, Set.of("a"));
        assertThat(paths.all()).containsOnlyKeys("a", "b");
        assertThat(paths.relaysTo("b", Set.of())).containsExactly("a");

        record("a", "me"); // a drops b: b is cut off
        assertThat(new ShortestPaths("me", records, Set.of("a")).all()).containsOnlyKeys("a");

        for (int i = 0; i < 1000; i++) {
            record("x", "gone" + i); // each version lists a name no other record mentions
        }
        records.remove("x");
        records.remove("b");
        assertThat(records.idLimit()).as("ids of names no longer mentioned are reused, not grown").isLessThan(8);
        assertThat(records.idOf("gone999")).isEqualTo(-1);
        record("b", "a");
        record("a", "me", "b");
        assertThat(new ShortestPaths("me", records, Set.of("a")).all())
                .containsEntry("b", new ShortestPaths.Route("b", "a", 2));
    }

    @Test
    void selfWithoutARecordStillRoutesThroughItsNeighbours() {
        record("a", "b"); // no record mentions "me": our own edges are our live neighbours
        record("b", "a");
        ShortestPaths paths = new ShortestPaths("me", records, Set.of("a"));
        assertThat(paths.all()).containsEntry("b", new ShortestPaths.Route("b", "a", 2));
        assertThat(paths.relaysTo("me", Set.of())).isNull();
    }
}

package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.RouteRumor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTableTest {
    private final RoutingTable table = new RoutingTable("me");

    private static RouteRumor rumor(String origin, long seq, int hops) {
        return RouteRumor.newBuilder().setOrigin(origin).setSeq(seq).setHops(hops).build();
    }

    @Test
    void newerSequenceWinsEvenOverALongerPath() {
        assertThat(table.offer(rumor("x", 5, 0), "1.1.1.1:1", 0)).isEqualTo(RoutingTable.Update.NEW_ORIGIN);
        assertThat(table.offer(rumor("x", 6, 3), "2.2.2.2:2", 10)).isEqualTo(RoutingTable.Update.NEWER);
        assertThat(table.get("x").nextHop()).isEqualTo("2.2.2.2:2");
        assertThat(table.get("x").hops()).isEqualTo(4);
    }

    @Test
    void olderSequenceIsStaleAndChangesNothing() {
        table.offer(rumor("x", 5, 0), "1.1.1.1:1", 0);
        assertThat(table.offer(rumor("x", 4, 0), "2.2.2.2:2", 10)).isEqualTo(RoutingTable.Update.STALE);
        assertThat(table.get("x").nextHop()).isEqualTo("1.1.1.1:1");
    }

    @Test
    void sameSequenceTakesOnlyAShorterPathAndKeepsItsAge() {
        table.offer(rumor("x", 5, 2), "1.1.1.1:1", 100);
        assertThat(table.offer(rumor("x", 5, 2), "2.2.2.2:2", 200)).isEqualTo(RoutingTable.Update.STALE);
        assertThat(table.offer(rumor("x", 5, 0), "3.3.3.3:3", 300)).isEqualTo(RoutingTable.Update.SHORTER);
        assertThat(table.get("x").nextHop()).isEqualTo("3.3.3.3:3");
        assertThat(table.get("x").hops()).isEqualTo(1);
        assertThat(table.get("x").lastHeardMillis()).isEqualTo(100);
    }

    @Test
    void ownRumorsAreNeverRoutes() {
        assertThat(table.offer(rumor("me", 9, 1), "1.1.1.1:1", 0)).isEqualTo(RoutingTable.Update.STALE);
        assertThat(table.all()).isEmpty();
    }

    @Test
    void silentOriginsExpireWithTheirData() {
        table.offer(rumor("old", 1, 0), "1.1.1.1:1", 100);
        table.offer(rumor("fresh", 1, 0), "1.1.1.1:1", 900);
        assertThat(table.expire(500)).extracting(Route::origin).containsExactly("old");
        assertThat(table.get("old")).isNull();
        assertThat(table.get("fresh")).isNotNull();
    }
}

package org.decwebrtc.gossip;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AwaitedRecordsTest {
    private static final Set<String> ALIVE = Set.of("a:1", "b:1", "c:1");

    @Test
    void aRecordStillMissingWhenDueIsAskedFromEachAnnouncerInTurnThenGivenUp() {
        AwaitedRecords awaited = new AwaitedRecords(100);
        awaited.announced("x", 5, "a:1", 200);
        awaited.announced("x", 7, "b:1", 250);
        assertThat(awaited.due(100, 400, ALIVE::contains)).isEmpty();
        assertThat(awaited.due(200, 400, ALIVE::contains)).isEqualTo(Map.of("a:1", List.of("x")));
        assertThat(awaited.due(300, 400, ALIVE::contains)).isEmpty();
        assertThat(awaited.due(600, 400, ALIVE::contains)).isEqualTo(Map.of("b:1", List.of("x")));
        assertThat(awaited.due(1000, 400, ALIVE::contains)).isEqualTo(Map.of("a:1", List.of("x")));
        assertThat(awaited.due(1400, 400, ALIVE::contains)).as("given up after three grafts").isEmpty();
        assertThat(awaited.isEmpty()).isTrue();
    }

    @Test
    void arrivingAtTheAwaitedSeqOrNewerEndsTheWaitAndAnOlderOneDoesNot() {
        AwaitedRecords awaited = new AwaitedRecords(100);
        awaited.announced("x", 7, "a:1", 200);
        awaited.arrived("x", 6);
        assertThat(awaited.size()).isEqualTo(1);
        awaited.arrived("x", 7);
        assertThat(awaited.isEmpty()).isTrue();
        awaited.announced("y", 3, "gone:1", 200);
        assertThat(awaited.due(200, 400, ALIVE::contains)).as("no live announcer: given up").isEmpty();
        assertThat(awaited.isEmpty()).isTrue();
    }

    @Test
    void oneNeighbourAnnouncingRecordsThatDoNotExistFillsAQuarterOfTheTableAtMost() {
        AwaitedRecords awaited = new AwaitedRecords(100);
        for (int i = 0; i < 1000; i++) {
            awaited.announced("fake" + i, 1, "a:1", 200);
        }
        assertThat(awaited.size()).isEqualTo(25);
        for (int i = 0; i < 50; i++) {
            awaited.announced("real" + i, 1, "b:1", 200);
        }
        assertThat(awaited.size()).isEqualTo(50);
        // Once the fakes are given up, the flooder's share is free again.
        for (long now = 200; !awaited.isEmpty(); now += 400) {
            awaited.due(now, 400, ALIVE::contains);
        }
        awaited.announced("fake-again", 1, "a:1", 10_000);
        assertThat(awaited.size()).isEqualTo(1);
    }
}

package org.decwebrtc.gossip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How silence is judged: as of the moment up to which our socket has been read, not as of the clock. */
class NeighbourSetTest {
    private static final long DEAD_AFTER = 1200;
    private final GossipLimits limits = GossipLimits.defaults();

    private Neighbour neighbour(NeighbourSet set, String name, int port, long heardMillis) {
        Neighbour n = new Neighbour("127.0.0.1:" + port, name, new byte[32], new byte[16], new byte[16], limits,
                heardMillis);
        set.put(n);
        return n;
    }

    @Test
    void aKeepaliveReadAfterTheProbeLeftKeepsTheNeighbourAliveAndTheSilentOneIsTakenOut() {
        NeighbourSet set = new NeighbourSet(limits);
        Neighbour slow = neighbour(set, "slow", 1, 0);
        Neighbour gone = neighbour(set, "gone", 2, 0);
        // At 1300 ms both look dead: a probe leaves through our own socket.
        assertThat(set.silentLongerThan(1300, DEAD_AFTER)).isEqualTo(2);
        // Behind a backlog, slow's keepalive (sent long before) is read at 1900 ms; the probe comes back at 2000 ms.
        set.heard(slow, 1900);
        assertThat(set.expire(1300, 2000, DEAD_AFTER)).isTrue();
        assertThat(slow.alive()).isTrue();
        assertThat(gone.alive()).isFalse();
        assertThat(gone.silentSinceMillis).isEqualTo(2000);
    }

    @Test
    void silenceUpToTheProbeIsWhatCountsNotTheTimeTheProbeTookToComeBack() {
        NeighbourSet set = new NeighbourSet(limits);
        Neighbour n = neighbour(set, "n", 1, 1000);
        // Heard at 1000 ms; the probe left at 2100 ms (1100 ms of silence, under the limit) and took 3 s to come
        // back through a backlog: judged by the clock the neighbour would be dead, judged by what we read it is not.
        assertThat(set.expire(2100, 5100, DEAD_AFTER)).isFalse();
        assertThat(n.alive()).isTrue();
        assertThat(set.expire(5100, 5100, DEAD_AFTER)).isTrue();
        assertThat(n.alive()).isFalse();
    }
}

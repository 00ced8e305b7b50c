package org.decwebrtc.turn.alloc;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayPortPoolTest {
    @Test
    void handsOutEveryPortOfTheRangeOnceThenRunsDry() {
        RelayPortPool pool = new RelayPortPool(50000, 50009);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            int p = pool.acquire();
            assertThat(p).isBetween(50000, 50009);
            assertThat(seen.add(p)).isTrue();
        }
        assertThat(pool.acquire()).isEqualTo(-1);
        assertThat(pool.available()).isZero();
        assertThat(pool.inUse()).isEqualTo(10);
    }

    @Test
    void releasedPortsComeBackAndDoubleReleaseIsHarmless() {
        RelayPortPool pool = new RelayPortPool(40000, 40000);
        int p = pool.acquire();
        pool.release(p);
        pool.release(p);
        pool.release(12345);
        assertThat(pool.available()).isEqualTo(1);
        assertThat(pool.acquire()).isEqualTo(p);
    }

    @Test
    void specificPortCanBeTakenOnlyWhenFree() {
        RelayPortPool pool = new RelayPortPool(40000, 40003);
        assertThat(pool.acquire(40002)).isTrue();
        assertThat(pool.acquire(40002)).isFalse();
        assertThat(pool.acquire(39999)).isFalse();
        assertThat(pool.available()).isEqualTo(3);
    }

    @Test
    void rejectsBadRanges() {
        assertThatThrownBy(() -> new RelayPortPool(10, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayPortPool(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayPortPool(1, 70000)).isInstanceOf(IllegalArgumentException.class);
    }
}

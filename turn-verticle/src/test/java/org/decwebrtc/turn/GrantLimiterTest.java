package org.decwebrtc.turn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrantLimiterTest {

    @Test
    void aRequesterGetsItsBurstThenOnePerRefill() {
        GrantLimiter limiter = new GrantLimiter(4, 1000, 60_000, 10);
        int answered = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.admit("mallory", 0)) {
                answered++;
            }
        }
        assertThat(answered).isEqualTo(4);
        assertThat(limiter.admit("mallory", 999)).isFalse();
        assertThat(limiter.admit("mallory", 2000)).isTrue();
        assertThat(limiter.admit("alice", 0)).as("others keep their own budget").isTrue();
    }

    @Test
    void holdersAreCappedUntilTheirGrantsRunOut() {
        GrantLimiter limiter = new GrantLimiter(4, 1000, 60_000, 2);
        assertThat(limiter.mayHold("a", 0)).isTrue();
        limiter.granted("a", 0);
        limiter.granted("b", 0);
        assertThat(limiter.mayHold("c", 1000)).isFalse();
        assertThat(limiter.mayHold("a", 1000)).as("a holder renews").isTrue();
        assertThat(limiter.mayHold("c", 60_000)).as("old grants ran out").isTrue();
    }
}

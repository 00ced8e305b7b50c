package org.decwebrtc.gossip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayWindowTest {
    private final ReplayWindow window = new ReplayWindow(120_000, 600_000, 10);

    @Test
    void aMessageIsTakenOnceAndOnlyWithinTheWindow() {
        long now = 1_000_000_000L;
        assertThat(window.check("a", 1, now, now)).isEqualTo(ReplayWindow.Verdict.FRESH);
        assertThat(window.check("a", 1, now, now + 1000)).isEqualTo(ReplayWindow.Verdict.DUPLICATE);
        assertThat(window.check("b", 1, now, now)).isEqualTo(ReplayWindow.Verdict.FRESH);
        assertThat(window.check("a", 2, now - 121_000, now)).isEqualTo(ReplayWindow.Verdict.STALE);
        assertThat(window.check("a", 3, now + 601_000, now)).isEqualTo(ReplayWindow.Verdict.STALE);
        // Past the window the id is forgotten, but its timestamp is stale by then: still refused.
        assertThat(window.check("a", 1, now, now + 121_000)).isEqualTo(ReplayWindow.Verdict.STALE);
    }

    @Test
    void whenAnOriginsMemoryIsFullWhatItForgotCannotComeBack() {
        long now = 1_000_000_000L;
        for (int i = 0; i < 3000; i++) {
            assertThat(window.check("a", i, now + i, now + 3000)).isEqualTo(ReplayWindow.Verdict.FRESH);
        }
        assertThat(window.check("a", 0, now, now + 3000)).isEqualTo(ReplayWindow.Verdict.STALE);
        assertThat(window.check("a", 2999, now + 2999, now + 3000)).isEqualTo(ReplayWindow.Verdict.DUPLICATE);
    }

    @Test
    void originsAreCapped() {
        long now = 1_000_000_000L;
        for (int i = 0; i < 10; i++) {
            window.check("o" + i, 1, now, now);
        }
        assertThat(window.check("one-too-many", 1, now, now)).isEqualTo(ReplayWindow.Verdict.STALE);
        assertThat(window.origins()).isEqualTo(10);
    }
}

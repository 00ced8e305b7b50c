package org.decwebrtc.gossip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerSetTest {
    @Test
    void learnedPeersExpireButPinnedPeersStay() {
        PeerSet peers = new PeerSet();
        assertThat(peers.pin("10.0.0.1:5000")).isTrue();
        assertThat(peers.heard("10.0.0.2:5000", 100)).isTrue();
        assertThat(peers.heard("10.0.0.2:5000", 200)).isFalse();
        assertThat(peers.expire(1000)).isTrue();
        assertThat(peers.addresses()).containsExactly("10.0.0.1:5000");
    }
}

package org.decwebrtc.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;

class TlsWarmUpTest {
    @Test
    void theInMemoryHandshakeRunsToTheEnd() {
        // handshake() throws unless both engines finish; a warm-up that silently stopped early would warm nothing.
        assertThatCode(TlsWarmUp::handshake).doesNotThrowAnyException();
    }
}

package org.decwebrtc.turn.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class NonceServiceTest {
    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final NonceService nonces = new NonceService(600, now::get);

    @Test
    void aFreshNonceIsValidForTheClientItWasIssuedTo() {
        String n = nonces.issue("192.0.2.1");
        assertThat(nonces.check(n, "192.0.2.1")).isEqualTo(NonceService.Check.VALID);
        assertThat(nonces.check(n, "192.0.2.2")).isEqualTo(NonceService.Check.INVALID);
    }

    @Test
    void aNonceGoesStaleAfterItsLifetime() {
        String n = nonces.issue("192.0.2.1");
        now.addAndGet(600_000);
        assertThat(nonces.check(n, "192.0.2.1")).isEqualTo(NonceService.Check.VALID);
        now.addAndGet(1);
        assertThat(nonces.check(n, "192.0.2.1")).isEqualTo(NonceService.Check.STALE);
    }

    @Test
    void forgedOrMangledNoncesAreInvalid() {
        String n = nonces.issue("192.0.2.1");
        assertThat(nonces.check(null, "192.0.2.1")).isEqualTo(NonceService.Check.INVALID);
        assertThat(nonces.check("", "192.0.2.1")).isEqualTo(NonceService.Check.INVALID);
        assertThat(nonces.check("zz." + n.substring(n.indexOf('.') + 1), "192.0.2.1")).isEqualTo(NonceService.Check.INVALID);
        assertThat(nonces.check(n + "0", "192.0.2.1")).isEqualTo(NonceService.Check.INVALID);
        // A nonce from another server instance (another key) is not accepted.
        assertThat(new NonceService(600, now::get).check(n, "192.0.2.1")).isEqualTo(NonceService.Check.INVALID);
    }
}

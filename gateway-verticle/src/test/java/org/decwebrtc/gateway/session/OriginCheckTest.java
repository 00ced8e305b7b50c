package org.decwebrtc.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OriginCheckTest {
    @Test
    void onlyThePagesOfThisGatewayMayOpenTheSocket() {
        assertThat(OriginCheck.allowed("https://127.0.0.1:8080", "127.0.0.1:8080")).isTrue();
        assertThat(OriginCheck.allowed("https://LocalHost:8080", "localhost:8080")).isTrue();
        assertThat(OriginCheck.allowed("http://127.0.0.1:8080", "127.0.0.1:8080")).isFalse();
        assertThat(OriginCheck.allowed("https://127.0.0.1:8081", "127.0.0.1:8080")).isFalse();
        assertThat(OriginCheck.allowed("https://evil.example", "127.0.0.1:8080")).isFalse();
        assertThat(OriginCheck.allowed("https://127.0.0.1:8080.evil.example", "127.0.0.1:8080")).isFalse();
        assertThat(OriginCheck.allowed("null", "127.0.0.1:8080")).isFalse();
        assertThat(OriginCheck.allowed(null, "127.0.0.1:8080")).isFalse();
        assertThat(OriginCheck.allowed("https://127.0.0.1:8080", null)).isFalse();
    }
}

package org.decwebrtc.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {

    @Test
    void ipv4AndNamesRoundTrip() {
        assertThat(HostPort.parse("198.18.0.1:5000")).isEqualTo(new HostPort("198.18.0.1", 5000));
        assertThat(HostPort.parse(" relay.example.org:3478 ").toString()).isEqualTo("relay.example.org:3478");
    }

    @Test
    void ipv6IsBracketedExactlyOnce() {
        HostPort v6 = HostPort.parse("[::1]:3478");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.toString()).isEqualTo("[::1]:3478");
        assertThat(HostPort.of("::1", 3478).toString()).isEqualTo("[::1]:3478");
        assertThat(HostPort.of("[::1]", 3478).toString()).as("a bracketed host is not bracketed again").isEqualTo("[::1]:3478");
        assertThat(HostPort.of("2001:db8::7", 5000).toString()).isEqualTo("[2001:db8::7]:5000");
        assertThat(HostPort.parse(HostPort.of("fe80::1", 1).toString())).isEqualTo(HostPort.of("fe80::1", 1));
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThatThrownBy(() -> HostPort.parse("::1:3478")).hasMessageContaining("[addr]:port");
        assertThatThrownBy(() -> HostPort.parse("[[::1]]:3478")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse("1.2.3.4")).hasMessageContaining("expected ip:port");
        assertThatThrownBy(() -> HostPort.parse("1.2.3.4:")).hasMessageContaining("expected ip:port");
        assertThatThrownBy(() -> HostPort.parse(":5000")).hasMessageContaining("expected ip:port");
        assertThatThrownBy(() -> HostPort.parse("1.2.3.4:http")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> HostPort.parse("1.2.3.4:70000")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> HostPort.parse("1.2.3.4:0")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> HostPort.parse("a b:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse("<script>:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse("x".repeat(300) + ":1")).isInstanceOf(IllegalArgumentException.class);
    }
}

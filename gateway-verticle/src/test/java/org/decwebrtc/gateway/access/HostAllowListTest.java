package org.decwebrtc.gateway.access;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostAllowListTest {
    @Test
    void loopbackNamesTheBindAddressAndGivenNamesOnly() {
        HostAllowList hosts = new HostAllowList("198.18.0.5", List.of("alice.lan", "Desk.Example"));
        for (String ok : List.of("localhost", "LOCALHOST:8080", "localhost.:8080", "127.0.0.1:8080", "[::1]:8080",
                "[0:0:0:0:0:0:0:1]:8080", "198.18.0.5:8080", "alice.lan:443", "desk.example")) {
            assertThat(hosts.allowed(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.2",
                "alice.lan.evil.example", "", " ", "[::2]:8080", "x".repeat(400))) {
            assertThat(hosts.allowed(bad)).as(bad).isFalse();
        }
        assertThat(hosts.allowed(null)).isFalse();
    }

    @Test
    void boundToEveryAddressAcceptsThisMachinesAddressesButNoNames() {
        HostAllowList hosts = new HostAllowList("0.0.0.0", List.of());
        assertThat(hosts.allowed("127.0.0.1:8080")).isTrue();
        assertThat(hosts.allowed("evil.example")).isFalse();
        assertThat(hosts.hosts()).contains("127.0.0.1");
    }

    @Test
    void ipv6IsComparedInOneSpelling() {
        assertThat(HostAllowList.compressV6("2001:db8:0:0:0:0:0:7")).isEqualTo("2001:db8::7");
        assertThat(HostAllowList.compressV6("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(HostAllowList.compressV6("1:0:0:2:0:0:0:3")).isEqualTo("1:0:0:2::3");
        HostAllowList hosts = new HostAllowList("2001:db8::7", List.of());
        assertThat(hosts.allowed("[2001:DB8:0::7]:8443")).isTrue();
    }
}

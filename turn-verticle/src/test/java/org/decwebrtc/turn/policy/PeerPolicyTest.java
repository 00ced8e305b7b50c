package org.decwebrtc.turn.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerPolicyTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "0.0.0.0", "0.1.2.3", "::", "::1", "10.0.0.1", "172.16.5.5",
            "172.31.255.255", "192.168.1.1", "169.254.169.254", "fe80::1", "febf::1", "100.64.0.1", "100.127.255.254",
            "224.0.0.1", "239.255.255.250", "ff02::1", "255.255.255.255", "fc00::1", "fd12:3456::1",
            "::ffff:127.0.0.1", "::ffff:0.0.0.0", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
            "::10.0.0.1", "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::1", "240.0.0.1"})
    void refusesInternalAndSpecialAddressesByDefault(String address) throws Exception {
        assertThat(PeerPolicy.defaults().allows(ip(address))).as(address).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
            "::ffff:8.8.8.8", "169.253.1.1", "198.18.0.5"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(PeerPolicy.defaults().allows(ip(address))).as(address).isTrue();
    }

    @Test
    void namesTheCategoryOfARefusal() throws Exception {
        assertThat(PeerPolicy.defaults().check(ip("169.254.169.254")).category()).isEqualTo(PeerPolicy.Category.LINK_LOCAL);
        assertThat(PeerPolicy.defaults().check(ip("::ffff:127.0.0.1")).category()).isEqualTo(PeerPolicy.Category.LOOPBACK);
        assertThat(PeerPolicy.defaults().check(ip("0.0.0.0")).category()).isEqualTo(PeerPolicy.Category.UNSPECIFIED);
    }

    @Test
    void allowListOpensARangeIncludingItsMappedForms() throws Exception {
        PeerPolicy p = new PeerPolicy(Map.of(), List.of(Cidr.parse("127.0.0.0/8")));
        assertThat(p.allows(ip("127.0.0.1"))).isTrue();
        assertThat(p.allows(ip("::ffff:127.0.0.2"))).isTrue();
        assertThat(p.allows(ip("::1"))).isFalse();
        assertThat(p.allows(ip("10.0.0.1"))).isFalse();
    }

    @Test
    void aCategoryCanBeSwitchedOff() throws Exception {
        PeerPolicy p = new PeerPolicy(Map.of(PeerPolicy.Category.PRIVATE, false), List.of());
        assertThat(p.allows(ip("192.168.0.10"))).isTrue();
        assertThat(p.allows(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void cidrParsingRejectsNamesAndBadPrefixes() {
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cidr.parse("10.1.0.0/16").contains(new byte[]{10, 1, 9, 9})).isTrue();
        assertThat(Cidr.parse("10.1.0.0/16").contains(new byte[]{10, 2, 0, 0})).isFalse();
        assertThat(Cidr.parse("[fe80::]/10").toString()).isEqualTo("fe80:0:0:0:0:0:0:0/10");
    }
}

package org.decwebrtc.stun.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.NetworkInterface;

import static org.assertj.core.api.Assertions.assertThat;

class AdvertisedHostTest {
    @Test
    void aSpecificBindAddressIsAdvertisedAsIs() {
        assertThat(AdvertisedHost.choose("198.18.0.5")).isEqualTo("198.18.0.5");
        assertThat(AdvertisedHost.choose("[::1]")).isEqualTo("::1");
        assertThat(AdvertisedHost.choose("127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void aWildcardIsReplacedByAnAddressOfThisMachine() throws Exception {
        for (String wildcard : new String[]{"0.0.0.0", "::", "", null}) {
            String chosen = AdvertisedHost.choose(wildcard);
            InetAddress address = InetAddress.getByName(chosen);
            assertThat(address.getAddress()).as("IPv4").hasSize(4);
            assertThat(address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null)
                    .as("%s is loopback or on one of our interfaces", chosen).isTrue();
        }
    }
}

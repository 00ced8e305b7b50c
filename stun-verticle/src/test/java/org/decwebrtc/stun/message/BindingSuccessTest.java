package org.decwebrtc.stun.message;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The Binding success written directly is, byte for byte, the message the builder encodes for the same answer. */
class BindingSuccessTest {
    private static byte[] viaBuilder(StunMessage request, InetSocketAddress reflexive, String software) {
        StunMessage.Builder response = request.respond(MessageType.SUCCESS);
        if (request.hasMagicCookie()) {
            response.add(XorAddressAttribute.mapped(reflexive));
        }
        response.add(AddressAttribute.mapped(reflexive));
        if (software != null) {
            response.add(new Software(software));
        }
        if (request.hasMagicCookie()) {
            response.add(Fingerprint.compute());
        }
        return response.build().encode(null);
    }

    private static StunMessage classicRequest() throws StunParseException {
        byte[] bytes = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST).build().encode(null);
        bytes[4] = 0x12; // an RFC 3489 transaction id where the magic cookie would be
        return StunMessage.decode(bytes);
    }

    @Test
    void sameBytesAsTheBuilderForEveryFamilyAndSoftwareLength() throws Exception {
        StunMessage modern = StunMessage.decode(StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                .add(Fingerprint.compute()).build().encode(null));
        StunMessage classic = classicRequest();
        InetSocketAddress[] addresses = {
                new InetSocketAddress(InetAddress.getByName("198.18.0.7"), 3478),
                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 65535),
                new InetSocketAddress(InetAddress.getByAddress(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1,
                        (byte) 198, 18, 1, 2}), 1),
        };
        String[] softwares = {null, "decwebrtc", "abcd", "ab", "ünï"};
        for (StunMessage request : new StunMessage[]{modern, classic}) {
            for (InetSocketAddress address : addresses) {
                for (String software : softwares) {
                    assertThat(new BindingSuccess(software).encode(request, address))
                            .as("%s, %s, SOFTWARE %s", request.hasMagicCookie() ? "RFC 5389" : "RFC 3489", address,
                                    software)
                            .isEqualTo(viaBuilder(request, address, software));
                }
            }
        }
    }

    @Test
    void decodesToTheClientsAddressWithAValidFingerprint() throws Exception {
        StunMessage request = StunMessage.decode(
                StunMessage.builder(MessageType.BINDING, MessageType.REQUEST).build().encode(null));
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("2001:db8::42"), 51000);
        StunMessage response = StunMessage.decode(new BindingSuccess("decwebrtc").encode(request, client));
        assertThat(response.messageClass()).isEqualTo(MessageType.SUCCESS);
        assertThat(response.method()).isEqualTo(MessageType.BINDING);
        assertThat(response.transactionId()).isEqualTo(request.transactionId());
        assertThat(response.fingerprintValid()).isTrue();
        assertThat(response.get(XorAddressAttribute.class).address()).isEqualTo(client);
        assertThat(response.get(AddressAttribute.class).address()).isEqualTo(client);
        assertThat(response.get(Software.class).value()).isEqualTo("decwebrtc");
    }
}

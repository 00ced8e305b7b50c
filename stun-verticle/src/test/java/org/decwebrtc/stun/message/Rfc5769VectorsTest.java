package org.decwebrtc.stun.message;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The four RFC 5769 vectors: decode, verify integrity and fingerprint, re-encode byte for byte. */
class Rfc5769VectorsTest {
    private static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    static final byte[] SAMPLE_REQUEST = hex("""
            000100582112a442b7e7a701bc34d686fa87dfae802200105354554e2074657374
            20636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576
            746a3a6836765920202000080014 9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2
            80280004e57a3bcf""");
    static final byte[] IPV4_RESPONSE = hex("""
            0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f
            7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53
            f06be7d780280004c07d4c96""");
    static final byte[] IPV6_RESPONSE = hex("""
            010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f
            7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e
            4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c""");
    static final byte[] LONG_TERM_REQUEST = hex("""
            000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae3
            8383e382afe382b90000001500 1c662f2f3439396b3935346436 4f4c33346f4c394653
            547679363473410014000b6578616d706c652e6f726700000800 14f67024656dd64a3e
            02b8e0712e85c9a28ca89666""");

    @Test
    void sampleRequestVerifiesAndReencodes() throws Exception {
        StunMessage m = StunMessage.decode(SAMPLE_REQUEST);
        assertThat(m.method()).isEqualTo(MessageType.BINDING);
        assertThat(m.messageClass()).isEqualTo(MessageType.REQUEST);
        assertThat(m.hasMagicCookie()).isTrue();
        assertThat(m.transactionId()).isEqualTo(hex("b7e7a701bc34d686fa87dfae"));
        assertThat(m.get(Software.class).value()).isEqualTo("STUN test client");
        assertThat(m.get(Username.class).value()).isEqualTo("evtj:h6vY");
        assertThat(m.get(AttributeType.PRIORITY)).isInstanceOf(RawAttribute.class);
        assertThat(m.unknownComprehensionRequired()).containsExactly(AttributeType.PRIORITY);
        byte[] key = StunKeys.shortTerm(SHORT_TERM_PASSWORD);
        assertThat(m.fingerprintValid()).isTrue();
        assertThat(m.verifyIntegrity(key)).isTrue();
        assertThat(m.verifyIntegrity(StunKeys.shortTerm("wrong"))).isFalse();
        assertThat(m.encode(key)).isEqualTo(SAMPLE_REQUEST);
    }

    @Test
    void ipv4ResponseVerifiesAndReencodes() throws Exception {
        StunMessage m = StunMessage.decode(IPV4_RESPONSE);
        assertThat(m.messageClass()).isEqualTo(MessageType.SUCCESS);
        assertThat(m.get(Software.class).value()).isEqualTo("test vector");
        assertThat(m.get(XorAddressAttribute.class).address())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        byte[] key = StunKeys.shortTerm(SHORT_TERM_PASSWORD);
        assertThat(m.fingerprintValid()).isTrue();
        assertThat(m.verifyIntegrity(key)).isTrue();
        assertThat(m.encode(key)).isEqualTo(IPV4_RESPONSE);
    }

    @Test
    void ipv6ResponseVerifiesAndReencodes() throws Exception {
        StunMessage m = StunMessage.decode(IPV6_RESPONSE);
        assertThat(m.get(XorAddressAttribute.class).address()).isEqualTo(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        byte[] key = StunKeys.shortTerm(SHORT_TERM_PASSWORD);
        assertThat(m.fingerprintValid()).isTrue();
        assertThat(m.verifyIntegrity(key)).isTrue();
        assertThat(m.encode(key)).isEqualTo(IPV6_RESPONSE);
    }

    @Test
    void longTermRequestVerifiesWithSaslPreppedPasswordAndReencodes() throws Exception {
        StunMessage m = StunMessage.decode(LONG_TERM_REQUEST);
        String username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        assertThat(m.get(Username.class).value()).isEqualTo(username);
        assertThat(m.get(Nonce.class).value()).isEqualTo("f//499k954d6OL34oL9FSTvy64sA");
        assertThat(m.get(Realm.class).value()).isEqualTo("example.org");
        assertThat(m.hasFingerprint()).isFalse();
        byte[] key = StunKeys.longTerm(username, "example.org", "The\u00ADM\u00AAtr\u2168");
        assertThat(key).isEqualTo(StunKeys.longTerm(username, "example.org", "TheMatrIX"));
        assertThat(m.verifyIntegrity(key)).isTrue();
        assertThat(m.verifyIntegrity(StunKeys.longTerm(username, "example.org", "TheMatrix"))).isFalse();
        assertThat(m.encode(key)).isEqualTo(LONG_TERM_REQUEST);
    }

    @Test
    void aFlippedBitBreaksFingerprintAndIntegrity() throws Exception {
        byte[] copy = SAMPLE_REQUEST.clone();
        copy[30] ^= 0x01; // inside SOFTWARE
        StunMessage m = StunMessage.decode(copy);
        assertThat(m.fingerprintValid()).isFalse();
        assertThat(m.verifyIntegrity(StunKeys.shortTerm(SHORT_TERM_PASSWORD))).isFalse();
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }
}

package org.decwebrtc.stun.message;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips of every attribute class, both integrity algorithms, and the malformed inputs a server drops. */
class StunMessageTest {
    private static final byte[] KEY = StunKeys.longTerm("alice", "decwebrtc", "secret");

    @Test
    void everyAttributeRoundTrips() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("198.18.0.7"), 3478);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 50000);
        StunMessage sent = StunMessage.builder(MessageType.ALLOCATE, MessageType.ERROR)
                .add(AddressAttribute.mapped(v4)).add(AddressAttribute.alternateServer(v6))
                .add(XorAddressAttribute.mapped(v6)).add(XorAddressAttribute.peer(v4))
                .add(XorAddressAttribute.relayed(v6))
                .add(new Username("alice")).add(new Realm("decwebrtc")).add(new Nonce("abc123"))
                .add(new Software("decwebrtc test")).add(new ErrorCode(438, "Stale Nonce"))
                .add(new UnknownAttributes(List.of(0x7001, 0x7002, 0x7003)))
                .add(new PasswordAlgorithm(PasswordAlgorithm.SHA256))
                .add(new PasswordAlgorithms(List.of(new PasswordAlgorithm(PasswordAlgorithm.MD5),
                        new PasswordAlgorithm(PasswordAlgorithm.SHA256, new byte[]{9}))))
                .add(new Userhash(new byte[32])).add(new RawAttribute(AttributeType.LIFETIME, new byte[]{0, 0, 2, 88}))
                .add(MessageIntegrity.compute()).add(MessageIntegritySha256.compute()).add(Fingerprint.compute())
                .build();
        byte[] bytes = sent.encode(KEY);
        StunMessage got = StunMessage.decode(bytes);
        assertThat(got.method()).isEqualTo(MessageType.ALLOCATE);
        assertThat(got.messageClass()).isEqualTo(MessageType.ERROR);
        assertThat(got.get(AttributeType.MAPPED_ADDRESS)).isEqualTo(AddressAttribute.mapped(v4));
        assertThat(got.get(AttributeType.ALTERNATE_SERVER)).isEqualTo(AddressAttribute.alternateServer(v6));
        assertThat(got.get(AttributeType.XOR_MAPPED_ADDRESS)).isEqualTo(XorAddressAttribute.mapped(v6));
        assertThat(got.get(AttributeType.XOR_PEER_ADDRESS)).isEqualTo(XorAddressAttribute.peer(v4));
        assertThat(got.get(AttributeType.XOR_RELAYED_ADDRESS)).isEqualTo(XorAddressAttribute.relayed(v6));
        assertThat(got.get(Username.class).value()).isEqualTo("alice");
        assertThat(got.get(Realm.class).value()).isEqualTo("decwebrtc");
        assertThat(got.get(Nonce.class).value()).isEqualTo("abc123");
        assertThat(got.get(ErrorCode.class)).isEqualTo(new ErrorCode(438, "Stale Nonce"));
        assertThat(got.get(UnknownAttributes.class).types()).containsExactly(0x7001, 0x7002, 0x7003);
        assertThat(got.get(PasswordAlgorithm.class).algorithm()).isEqualTo(PasswordAlgorithm.SHA256);
        assertThat(got.get(PasswordAlgorithms.class).algorithms()).extracting(PasswordAlgorithm::algorithm)
                .containsExactly(PasswordAlgorithm.MD5, PasswordAlgorithm.SHA256);
        assertThat(got.get(PasswordAlgorithms.class).algorithms().get(1).parameters()).containsExactly(9);
        assertThat(got.get(Userhash.class).hash()).hasSize(32);
        assertThat(((RawAttribute) got.get(AttributeType.LIFETIME)).value()).containsExactly(0, 0, 2, 88);
        assertThat(got.verifyIntegrity(KEY)).isTrue();
        assertThat(got.verifyIntegritySha256(KEY)).isTrue();
        assertThat(got.verifyIntegritySha256(StunKeys.longTerm("alice", "decwebrtc", "wrong"))).isFalse();
        assertThat(got.fingerprintValid()).isTrue();
        assertThat(got.encode(KEY)).isEqualTo(bytes);
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnoredExceptFingerprint() throws Exception {
        byte[] bytes = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                .add(MessageIntegrity.compute()).add(new Software("smuggled")).add(Fingerprint.compute())
                .build().encode(KEY);
        StunMessage got = StunMessage.decode(bytes);
        assertThat(got.get(Software.class)).isNull();
        assertThat(got.hasFingerprint()).isTrue();
        assertThat(got.fingerprintValid()).isTrue();
    }

    @Test
    void integrityWithoutKeyIsRefusedAtEncode() {
        StunMessage m = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                .add(MessageIntegrity.compute()).build();
        assertThatThrownBy(() -> m.encode(null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void malformedInputIsRejectedWithAReason() {
        byte[] good = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST).add(new Software("x"))
                .build().encode(null);
        assertThatThrownBy(() -> StunMessage.decode(new byte[19])).hasMessageContaining("shorter");
        byte[] topBits = good.clone();
        topBits[0] = (byte) 0xC0;
        assertThatThrownBy(() -> StunMessage.decode(topBits)).hasMessageContaining("first two bits");
        byte[] oddLength = good.clone();
        oddLength[3] = 6;
        assertThatThrownBy(() -> StunMessage.decode(oddLength)).hasMessageContaining("multiple of 4");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        assertThatThrownBy(() -> StunMessage.decode(truncated)).hasMessageContaining("bytes follow");
        byte[] overrun = good.clone();
        overrun[23] = 40; // SOFTWARE claims 40 bytes
        assertThatThrownBy(() -> StunMessage.decode(overrun)).hasMessageContaining("overruns");
        byte[] afterFingerprint = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                .add(Fingerprint.compute()).add(new Software("late")).build().encode(null);
        assertThatThrownBy(() -> StunMessage.decode(afterFingerprint)).hasMessageContaining("after FINGERPRINT");
        byte[] badFamily = StunMessage.builder(MessageType.BINDING, MessageType.SUCCESS)
                .add(new RawAttribute(AttributeType.XOR_MAPPED_ADDRESS, new byte[]{0, 3, 0, 0, 1, 2, 3, 4}))
                .build().encode(null);
        assertThatThrownBy(() -> StunMessage.decode(badFamily)).hasMessageContaining("family");
        assertThatThrownBy(() -> StunMessage.decode(Unpooled.wrappedBuffer(new byte[]{1, 2, 3})))
                .isInstanceOf(StunParseException.class);
    }

    @Test
    void messageTypeInterleavesMethodAndClass() {
        assertThat(MessageType.type(MessageType.BINDING, MessageType.REQUEST)).isEqualTo(0x0001);
        assertThat(MessageType.type(MessageType.BINDING, MessageType.SUCCESS)).isEqualTo(0x0101);
        assertThat(MessageType.type(MessageType.BINDING, MessageType.ERROR)).isEqualTo(0x0111);
        assertThat(MessageType.type(MessageType.SEND, MessageType.INDICATION)).isEqualTo(0x0016);
        for (int method = 0; method <= 0xFFF; method += 7) {
            for (int cls = 0; cls < 4; cls++) {
                int type = MessageType.type(method, cls);
                assertThat(MessageType.method(type)).isEqualTo(method);
                assertThat(MessageType.messageClass(type)).isEqualTo(cls);
            }
        }
    }

    @Test
    void demultiplexesByFirstByteAsRfc7983() {
        assertThat(PacketKind.of(0)).isEqualTo(PacketKind.STUN);
        assertThat(PacketKind.of(3)).isEqualTo(PacketKind.STUN);
        assertThat(PacketKind.of(16)).isEqualTo(PacketKind.ZRTP);
        assertThat(PacketKind.of(23)).isEqualTo(PacketKind.DTLS);
        assertThat(PacketKind.of(0x40)).isEqualTo(PacketKind.CHANNEL_DATA);
        assertThat(PacketKind.of(0x4F)).isEqualTo(PacketKind.CHANNEL_DATA);
        assertThat(PacketKind.of(0x80)).isEqualTo(PacketKind.RTP);
        assertThat(PacketKind.of(0xFF)).isEqualTo(PacketKind.UNKNOWN);
    }

    @Test
    void registeringADecoderMakesATypeUnderstood() throws Exception {
        int type = 0x7F42;
        StunMessage m = StunMessage.decode(StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                .add(new RawAttribute(type, new byte[]{1})).build().encode(null));
        assertThat(m.unknownComprehensionRequired()).containsExactly(type);
        AttributeRegistry.register(type, (t, data, offset, length, tid) -> new Software("decoded"));
        try {
            StunMessage again = StunMessage.decode(m.encode(null));
            assertThat(again.unknownComprehensionRequired()).isEmpty();
            assertThat(again.get(Software.class).value()).isEqualTo("decoded");
        } finally {
            AttributeRegistry.register(type, null);
        }
    }
}

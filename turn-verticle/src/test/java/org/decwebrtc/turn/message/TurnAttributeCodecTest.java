package org.decwebrtc.turn.message;

import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.StunParseException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every TURN attribute survives an encode/decode round trip, and a value of the wrong size is refused. */
class TurnAttributeCodecTest {

    @BeforeAll
    static void register() {
        TurnAttributes.register();
    }

    static Stream<Arguments> attributes() {
        return Stream.of(
                Arguments.of(new ChannelNumber(0x4000)), Arguments.of(new ChannelNumber(0x7FFF)),
                Arguments.of(new Lifetime(0)), Arguments.of(new Lifetime(0xFFFF_FFFFL)),
                Arguments.of(new RequestedTransport(RequestedTransport.UDP)), Arguments.of(new RequestedTransport(6)),
                Arguments.of(new EvenPort(true)), Arguments.of(new EvenPort(false)),
                Arguments.of(new ReservationToken(0x0123_4567_89AB_CDEFL)), Arguments.of(new ReservationToken(-1L)),
                Arguments.of(new RequestedAddressFamily(RequestedAddressFamily.IPV4)),
                Arguments.of(new RequestedAddressFamily(RequestedAddressFamily.IPV6)));
    }

    @ParameterizedTest
    @MethodSource("attributes")
    void roundTrips(StunAttribute attribute) throws Exception {
        StunMessage decoded = StunMessage.decode(StunMessage.builder(MessageType.ALLOCATE, MessageType.REQUEST)
                .add(attribute).build().encode(null));
        assertThat(decoded.get(attribute.type())).isEqualTo(attribute);
    }

    @Test
    void dataRoundTripsAnyLengthWithPadding() throws Exception {
        for (int length : new int[]{0, 1, 3, 4, 5, 1200}) {
            byte[] value = new byte[length];
            for (int i = 0; i < length; i++) {
                value[i] = (byte) (i * 7);
            }
            StunMessage decoded = StunMessage.decode(StunMessage.builder(MessageType.SEND, MessageType.INDICATION)
                    .add(new Data(value)).build().encode(null));
            assertThat(decoded.get(Data.class).value()).isEqualTo(value);
        }
    }

    /** A 20-byte header and one attribute of {@code type} with a {@code length}-byte value of zeros. */
    private static byte[] withAttribute(int type, int length) {
        int padded = (length + 3) & ~3;
        byte[] m = new byte[20 + 4 + padded];
        m[0] = 0x00;
        m[1] = 0x03; // Allocate request
        m[2] = (byte) ((4 + padded) >> 8);
        m[3] = (byte) (4 + padded);
        m[4] = 0x21;
        m[5] = 0x12;
        m[6] = (byte) 0xA4;
        m[7] = 0x42;
        m[20] = (byte) (type >> 8);
        m[21] = (byte) type;
        m[22] = (byte) (length >> 8);
        m[23] = (byte) length;
        return m;
    }

    @Test
    void wrongSizesAreRefused() {
        int[][] bad = {
                {AttributeType.CHANNEL_NUMBER, 2}, {AttributeType.CHANNEL_NUMBER, 8},
                {AttributeType.LIFETIME, 2}, {AttributeType.LIFETIME, 8},
                {AttributeType.REQUESTED_TRANSPORT, 1}, {AttributeType.REQUESTED_TRANSPORT, 8},
                {AttributeType.EVEN_PORT, 0},
                {AttributeType.RESERVATION_TOKEN, 4}, {AttributeType.RESERVATION_TOKEN, 12},
                {AttributeType.REQUESTED_ADDRESS_FAMILY, 1}, {AttributeType.REQUESTED_ADDRESS_FAMILY, 8}};
        for (int[] b : bad) {
            assertThatThrownBy(() -> StunMessage.decode(withAttribute(b[0], b[1])))
                    .as("type 0x%04x with %d bytes", b[0], b[1]).isInstanceOf(StunParseException.class);
        }
    }
}

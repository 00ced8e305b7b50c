package org.decwebrtc.turn.message;

import org.decwebrtc.stun.message.AttributeRegistry;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunParseException;

/**
 * Registers the TURN attributes with the shared STUN decoder. DONT-FRAGMENT is deliberately left unregistered:
 * this server cannot set DF on relayed datagrams, and RFC 8656 §7.2 says such a server treats it as an unknown
 * comprehension-required attribute (420), which the generic check then does.
 */
public final class TurnAttributes {
    private static volatile boolean registered;

    private TurnAttributes() {
    }

    public static synchronized void register() {
        if (registered) {
            return;
        }
        AttributeRegistry.register(AttributeType.LIFETIME, Lifetime::decode);
        AttributeRegistry.register(AttributeType.REQUESTED_TRANSPORT, RequestedTransport::decode);
        AttributeRegistry.register(AttributeType.CHANNEL_NUMBER, ChannelNumber::decode);
        AttributeRegistry.register(AttributeType.DATA, Data::decode);
        AttributeRegistry.register(AttributeType.EVEN_PORT, EvenPort::decode);
        AttributeRegistry.register(AttributeType.RESERVATION_TOKEN, ReservationToken::decode);
        AttributeRegistry.register(AttributeType.REQUESTED_ADDRESS_FAMILY, RequestedAddressFamily::decode);
        registered = true;
    }

    static void requireLength(String name, int length, int expected) throws StunParseException {
        if (length != expected) {
            throw new StunParseException(name + " must be " + expected + " bytes, got " + length);
        }
    }

    static long uint32(byte[] data, int offset) {
        return ((long) (data[offset] & 0xFF) << 24) | ((data[offset + 1] & 0xFF) << 16)
                | ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
    }
}

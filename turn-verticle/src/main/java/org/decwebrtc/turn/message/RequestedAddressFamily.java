package org.decwebrtc.turn.message;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunParseException;

/** REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.10): 0x01 IPv4, 0x02 IPv6. */
public record RequestedAddressFamily(int family) implements StunAttribute {
    public static final int IPV4 = 0x01;
    public static final int IPV6 = 0x02;

    @Override
    public int type() {
        return AttributeType.REQUESTED_ADDRESS_FAMILY;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeByte(family);
        out.writeMedium(0);
    }

    static RequestedAddressFamily decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        TurnAttributes.requireLength("REQUESTED-ADDRESS-FAMILY", length, 4);
        return new RequestedAddressFamily(data[offset] & 0xFF);
    }
}

package org.decwebrtc.turn.message;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunParseException;

/** REQUESTED-TRANSPORT (RFC 8656 §18.7): IP protocol number of the relay; only 17 (UDP) is served. */
public record RequestedTransport(int protocol) implements StunAttribute {
    public static final int UDP = 17;

    @Override
    public int type() {
        return AttributeType.REQUESTED_TRANSPORT;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeByte(protocol);
        out.writeMedium(0);
    }

    static RequestedTransport decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        TurnAttributes.requireLength("REQUESTED-TRANSPORT", length, 4);
        return new RequestedTransport(data[offset] & 0xFF);
    }
}

package org.decwebrtc.turn.message;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunParseException;

/** RESERVATION-TOKEN (RFC 8656 §18.9): 8 opaque bytes naming a port reserved by an earlier EVEN-PORT R=1. */
public record ReservationToken(long token) implements StunAttribute {
    @Override
    public int type() {
        return AttributeType.RESERVATION_TOKEN;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeLong(token);
    }

    static ReservationToken decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        TurnAttributes.requireLength("RESERVATION-TOKEN", length, 8);
        return new ReservationToken(((long) TurnAttributes.uint32(data, offset) << 32) | TurnAttributes.uint32(data, offset + 4));
    }
}

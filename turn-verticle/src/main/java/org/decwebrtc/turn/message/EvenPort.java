package org.decwebrtc.turn.message;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunParseException;

/** EVEN-PORT (RFC 8656 §18.6): relay on an even port; R asks to reserve the next (odd) port as well. */
public record EvenPort(boolean reserveNext) implements StunAttribute {
    @Override
    public int type() {
        return AttributeType.EVEN_PORT;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeByte(reserveNext ? 0x80 : 0);
    }

    static EvenPort decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        if (length < 1) {
            throw new StunParseException("EVEN-PORT is empty");
        }
        return new EvenPort((data[offset] & 0x80) != 0);
    }
}

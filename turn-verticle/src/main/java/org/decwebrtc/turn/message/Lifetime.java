package org.decwebrtc.turn.message;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunParseException;

/** LIFETIME (RFC 8656 §18.2): seconds until the allocation expires; 0 in Refresh deletes it. */
public record Lifetime(long seconds) implements StunAttribute {
    @Override
    public int type() {
        return AttributeType.LIFETIME;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeInt((int) seconds);
    }

    static Lifetime decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        TurnAttributes.requireLength("LIFETIME", length, 4);
        return new Lifetime(TurnAttributes.uint32(data, offset));
    }
}

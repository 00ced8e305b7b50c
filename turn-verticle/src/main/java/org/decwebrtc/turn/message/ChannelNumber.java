package org.decwebrtc.turn.message;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunParseException;

/** CHANNEL-NUMBER (RFC 8656 §18.1): the 16-bit channel, then 16 reserved bits. */
public record ChannelNumber(int number) implements StunAttribute {
    @Override
    public int type() {
        return AttributeType.CHANNEL_NUMBER;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeShort(number);
        out.writeShort(0);
    }

    static ChannelNumber decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        TurnAttributes.requireLength("CHANNEL-NUMBER", length, 4);
        return new ChannelNumber(((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF));
    }
}

package org.decwebrtc.turn.message;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.StunAttribute;

import java.util.Arrays;

/** DATA (RFC 8656 §18.4): the application payload of Send and Data indications. */
public record Data(byte[] value) implements StunAttribute {
    @Override
    public int type() {
        return AttributeType.DATA;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeBytes(value);
    }

    static Data decode(int type, byte[] data, int offset, int length, byte[] tid) {
        return new Data(Arrays.copyOfRange(data, offset, offset + length));
    }

    @Override
    public String toString() {
        return "DATA(" + value.length + " bytes)";
    }
}

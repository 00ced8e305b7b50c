package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/** An attribute this JVM has no class for: kept as bytes so it can be reported (420) or re-encoded. */
public record RawAttribute(int type, byte[] value) implements StunAttribute {
    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeBytes(value);
    }

    public static RawAttribute decode(int type, byte[] data, int offset, int length, byte[] tid) {
        byte[] value = new byte[length];
        System.arraycopy(data, offset, value, 0, length);
        return new RawAttribute(type, value);
    }
}

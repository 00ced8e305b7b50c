package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/** USERNAME: the user name, in the clear (long-term and short-term credentials). */
public record Username(String value) implements StunAttribute {
    private static final int MAX_BYTES = 513;

    public Username {
        Text.encode("USERNAME", value, MAX_BYTES);
    }

    @Override
    public int type() {
        return AttributeType.USERNAME;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeBytes(Text.encode("USERNAME", value, MAX_BYTES));
    }

    static Username decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        return new Username(Text.decode("USERNAME", data, offset, length, MAX_BYTES));
    }
}

package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/** SOFTWARE: the software name and version of the sender; kept short in responses (no amplification). */
public record Software(String value) implements StunAttribute {
    private static final int MAX_BYTES = 763;

    public Software {
        encode(value);
    }

    /** The UTF-8 value, refused if longer than RFC 8489 allows. */
    static byte[] encode(String value) {
        return Text.encode("SOFTWARE", value, MAX_BYTES);
    }

    @Override
    public int type() {
        return AttributeType.SOFTWARE;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeBytes(encode(value));
    }

    static Software decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        return new Software(Text.decode("SOFTWARE", data, offset, length, MAX_BYTES));
    }
}

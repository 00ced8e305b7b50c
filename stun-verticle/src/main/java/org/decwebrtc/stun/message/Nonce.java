package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/** NONCE: the server nonce of long-term authentication (RFC 8489 §9.2). */
public record Nonce(String value) implements StunAttribute {
    private static final int MAX_BYTES = 763;

    public Nonce {
        Text.encode("NONCE", value, MAX_BYTES);
    }

    @Override
    public int type() {
        return AttributeType.NONCE;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeBytes(Text.encode("NONCE", value, MAX_BYTES));
    }

    static Nonce decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        return new Nonce(Text.decode("NONCE", data, offset, length, MAX_BYTES));
    }
}

package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/** REALM: the long-term credential realm chosen by the server. */
public record Realm(String value) implements StunAttribute {
    private static final int MAX_BYTES = 763;

    public Realm {
        Text.encode("REALM", value, MAX_BYTES);
    }

    @Override
    public int type() {
        return AttributeType.REALM;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeBytes(Text.encode("REALM", value, MAX_BYTES));
    }

    static Realm decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        return new Realm(Text.decode("REALM", data, offset, length, MAX_BYTES));
    }
}

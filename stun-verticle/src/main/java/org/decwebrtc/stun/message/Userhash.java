package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/** USERHASH (RFC 8489 §14.4): SHA-256(OpaqueString(username) ":" realm), sent instead of USERNAME for anonymity. */
public record Userhash(byte[] hash) implements StunAttribute {
    public static final int LENGTH = 32;

    public Userhash {
        if (hash.length != LENGTH) {
            throw new IllegalArgumentException("USERHASH must be 32 bytes");
        }
    }

    @Override
    public int type() {
        return AttributeType.USERHASH;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeBytes(hash);
    }

    static Userhash decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        if (length != LENGTH) {
            throw new StunParseException("USERHASH of length " + length);
        }
        byte[] hash = new byte[LENGTH];
        System.arraycopy(data, offset, hash, 0, LENGTH);
        return new Userhash(hash);
    }
}

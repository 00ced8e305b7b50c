package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/** PASSWORD-ALGORITHM (RFC 8489 §14.12): which hash the long-term key uses; MD5 = 1, SHA-256 = 2. */
public record PasswordAlgorithm(int algorithm, byte[] parameters) implements StunAttribute {
    public static final int MD5 = 0x0001;
    public static final int SHA256 = 0x0002;

    public PasswordAlgorithm(int algorithm) {
        this(algorithm, new byte[0]);
    }

    @Override
    public int type() {
        return AttributeType.PASSWORD_ALGORITHM;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        writeEntry(out, algorithm, parameters, false);
    }

    /** One algorithm entry; inside PASSWORD-ALGORITHMS each entry's parameters are padded to 4 bytes. */
    static void writeEntry(ByteBuf out, int algorithm, byte[] parameters, boolean pad) {
        out.writeShort(algorithm);
        out.writeShort(parameters.length);
        out.writeBytes(parameters);
        if (pad) {
            out.writeZero((4 - parameters.length % 4) % 4);
        }
    }

    static PasswordAlgorithm decode(int type, byte[] data, int offset, int length, byte[] tid)
            throws StunParseException {
        if (length < 4) {
            throw new StunParseException("PASSWORD-ALGORITHM too short");
        }
        int paramLength = Bytes.uint16(data, offset + 2);
        if (paramLength != length - 4) {
            throw new StunParseException("PASSWORD-ALGORITHM parameter length mismatch");
        }
        byte[] params = new byte[paramLength];
        System.arraycopy(data, offset + 4, params, 0, paramLength);
        return new PasswordAlgorithm(Bytes.uint16(data, offset), params);
    }
}

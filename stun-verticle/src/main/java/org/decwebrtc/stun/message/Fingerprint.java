package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/**
 * FINGERPRINT: CRC-32 of the message up to this attribute XOR 0x5354554e, always last. {@link StunMessage#encode}
 * computes it wherever a Fingerprint is placed, so {@link #compute()} is all a sender needs.
 */
public record Fingerprint(int value) implements StunAttribute {
    public static final int XOR = 0x5354554e;

    public static Fingerprint compute() {
        return new Fingerprint(0);
    }

    @Override
    public int type() {
        return AttributeType.FINGERPRINT;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeInt(value);
    }

    static Fingerprint decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        if (length != 4) {
            throw new StunParseException("FINGERPRINT of length " + length);
        }
        return new Fingerprint(Bytes.int32(data, offset));
    }
}

package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import java.util.zip.CRC32;

/**
 * FINGERPRINT: CRC-32 of the message up to this attribute XOR 0x5354554e, always last. {@link StunMessage#encode}
 * computes it wherever a Fingerprint is placed, so {@link #compute()} is all a sender needs.
 */
public record Fingerprint(int value) implements StunAttribute {
    public static final int XOR = 0x5354554e;

    public static Fingerprint compute() {
        return new Fingerprint(0);
    }

    /** FINGERPRINT's value for a message whose first {@code length} bytes, up to this attribute, are in {@code data}. */
    static int over(byte[] data, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return (int) crc.getValue() ^ XOR;
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

package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/**
 * MESSAGE-INTEGRITY-SHA256: HMAC-SHA256, possibly truncated to 16-32 bytes in steps of 4 (RFC 8489 §14.6).
 * {@link #compute()} asks {@link StunMessage#encode} for the full 32 bytes.
 */
public record MessageIntegritySha256(byte[] hmac, int length) implements StunAttribute {
    public MessageIntegritySha256 {
        if (length < 16 || length > 32 || length % 4 != 0) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY-SHA256 length must be 16..32, a multiple of 4");
        }
    }

    public static MessageIntegritySha256 compute() {
        return new MessageIntegritySha256(null, 32);
    }

    @Override
    public int type() {
        return AttributeType.MESSAGE_INTEGRITY_SHA256;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        if (hmac == null) {
            throw new IllegalStateException("MESSAGE-INTEGRITY-SHA256 needs a key: pass one to StunMessage.encode");
        }
        out.writeBytes(hmac, 0, length);
    }

    static MessageIntegritySha256 decode(int type, byte[] data, int offset, int length, byte[] tid)
            throws StunParseException {
        if (length < 16 || length > 32 || length % 4 != 0) {
            throw new StunParseException("MESSAGE-INTEGRITY-SHA256 of length " + length);
        }
        byte[] hmac = new byte[length];
        System.arraycopy(data, offset, hmac, 0, length);
        return new MessageIntegritySha256(hmac, length);
    }
}

package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/**
 * MESSAGE-INTEGRITY: HMAC-SHA1 over the message up to this attribute. Add {@link #compute()} to a message being
 * built; {@link StunMessage#encode} fills in the HMAC with the key it is given. Verify a received one with
 * {@link StunMessage#verifyIntegrity}.
 */
public record MessageIntegrity(byte[] hmac) implements StunAttribute {
    public static final int LENGTH = 20;

    public static MessageIntegrity compute() {
        return new MessageIntegrity(null);
    }

    @Override
    public int type() {
        return AttributeType.MESSAGE_INTEGRITY;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        if (hmac == null) {
            throw new IllegalStateException("MESSAGE-INTEGRITY needs a key: pass one to StunMessage.encode");
        }
        out.writeBytes(hmac);
    }

    static MessageIntegrity decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        if (length != LENGTH) {
            throw new StunParseException("MESSAGE-INTEGRITY of length " + length);
        }
        byte[] hmac = new byte[LENGTH];
        System.arraycopy(data, offset, hmac, 0, LENGTH);
        return new MessageIntegrity(hmac);
    }
}

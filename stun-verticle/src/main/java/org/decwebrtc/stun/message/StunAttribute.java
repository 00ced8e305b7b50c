package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

/**
 * One STUN attribute. Implementations write only their value: {@link StunMessage} writes the type-length header
 * and the padding, so an attribute class stays a few lines. To add an attribute (TURN's LIFETIME, DATA, ...):
 * write a record implementing this interface with a static {@code decode} matching {@link AttributeDecoder} and
 * call {@link AttributeRegistry#register} once at start-up; until then the type decodes as {@link RawAttribute}.
 */
public interface StunAttribute {
    int type();

    /** Writes the value (without header or padding). XOR-ed address attributes need the transaction id. */
    void writeValue(ByteBuf out, byte[] transactionId);
}

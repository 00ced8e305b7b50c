package org.decwebrtc.stun.message;

/** Decodes one attribute value in place; throws on a value that violates the attribute's syntax. */
@FunctionalInterface
public interface AttributeDecoder {
    StunAttribute decode(int type, byte[] data, int offset, int length, byte[] transactionId)
            throws StunParseException;
}

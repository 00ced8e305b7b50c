package org.decwebrtc.stun.message;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decoders by attribute type, shared by every STUN/TURN socket of the JVM. A type without a decoder is kept as a
 * {@link RawAttribute}; a type with one counts as "understood" for the 420 check of comprehension-required
 * attributes, so registering a TURN attribute both decodes it and stops Binding/Allocate from rejecting it.
 */
public final class AttributeRegistry {
    private static final AtomicReferenceArray<AttributeDecoder> DECODERS = new AtomicReferenceArray<>(0x10000);

    static {
        register(AttributeType.MAPPED_ADDRESS, AddressAttribute::decode);
        register(AttributeType.ALTERNATE_SERVER, AddressAttribute::decode);
        register(AttributeType.XOR_MAPPED_ADDRESS, XorAddressAttribute::decode);
        register(AttributeType.XOR_PEER_ADDRESS, XorAddressAttribute::decode);
        register(AttributeType.XOR_RELAYED_ADDRESS, XorAddressAttribute::decode);
        register(AttributeType.USERNAME, Username::decode);
        register(AttributeType.REALM, Realm::decode);
        register(AttributeType.NONCE, Nonce::decode);
        register(AttributeType.SOFTWARE, Software::decode);
        register(AttributeType.MESSAGE_INTEGRITY, MessageIntegrity::decode);
        register(AttributeType.MESSAGE_INTEGRITY_SHA256, MessageIntegritySha256::decode);
        register(AttributeType.FINGERPRINT, Fingerprint::decode);
        register(AttributeType.ERROR_CODE, ErrorCode::decode);
        register(AttributeType.UNKNOWN_ATTRIBUTES, UnknownAttributes::decode);
        register(AttributeType.PASSWORD_ALGORITHM, PasswordAlgorithm::decode);
        register(AttributeType.PASSWORD_ALGORITHMS, PasswordAlgorithms::decode);
        register(AttributeType.USERHASH, Userhash::decode);
    }

    private AttributeRegistry() {
    }

    /** Installs (or replaces; null removes) the decoder of {@code type}; call at start-up, before traffic. */
    public static void register(int type, AttributeDecoder decoder) {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
        DECODERS.set(type, decoder);
    }

    /** True if this JVM understands {@code type}; unknown comprehension-required types earn a 420. */
    public static boolean isKnown(int type) {
        return DECODERS.get(type) != null;
    }

    static StunAttribute decode(int type, byte[] data, int offset, int length, byte[] transactionId)
            throws StunParseException {
        AttributeDecoder decoder = DECODERS.get(type);
        if (decoder == null) {
            return RawAttribute.decode(type, data, offset, length, transactionId);
        }
        return decoder.decode(type, data, offset, length, transactionId);
    }
}

package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A STUN message (RFC 8489 §5): type (method + class), magic cookie, 96-bit transaction id and attributes.
 * Decoding keeps the received bytes so MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT can be checked against what
 * was actually on the wire; encoding computes those three wherever they are placed in the attribute list.
 * A message without the magic cookie is an RFC 3489 ("classic") one: its cookie slot is the first 32 bits of a
 * 128-bit transaction id and is echoed back unchanged.
 */
public final class StunMessage {
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int type;
    private final int cookie;
    private final byte[] transactionId;
    private final List<StunAttribute> attributes;
    private final byte padding;
    // Only for decoded messages: the bytes received and where the checked attributes start (-1: absent).
    private final byte[] raw;
    private final int integrityOffset;
    private final int integritySha256Offset;
    private final int fingerprintOffset;

    private StunMessage(int type, int cookie, byte[] transactionId, List<StunAttribute> attributes, byte padding,
                        byte[] raw, int integrityOffset, int integritySha256Offset, int fingerprintOffset) {
        this.type = type;
        this.cookie = cookie;
        this.transactionId = transactionId;
        this.attributes = attributes;
        this.padding = padding;
        this.raw = raw;
        this.integrityOffset = integrityOffset;
        this.integritySha256Offset = integritySha256Offset;
        this.fingerprintOffset = fingerprintOffset;
    }

    public static Builder builder(int method, int messageClass) {
        byte[] tid = new byte[12];
        RANDOM.nextBytes(tid);
        return new Builder(MessageType.type(method, messageClass), MAGIC_COOKIE, tid);
    }

    public static Builder builder(int method, int messageClass, byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        return new Builder(MessageType.type(method, messageClass), MAGIC_COOKIE, transactionId.clone());
    }

    /** A response to this request: same method, transaction id and cookie (so classic clients match it). */
    public Builder respond(int messageClass) {
        return new Builder(MessageType.type(method(), messageClass), cookie, transactionId);
    }

    public int type() {
        return type;
    }

    public int method() {
        return MessageType.method(type);
    }

    public int messageClass() {
        return MessageType.messageClass(type);
    }

    /** False for an RFC 3489 message: it gets MAPPED-ADDRESS only, and no XOR attribute. */
    public boolean hasMagicCookie() {
        return cookie == MAGIC_COOKIE;
    }

    public int cookie() {
        return cookie;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** The transaction id itself, for encoders of this package that only read it. */
    byte[] transactionIdBytes() {
        return transactionId;
    }

    /** Every attribute decoded, in order (those after MESSAGE-INTEGRITY that RFC 8489 says to ignore excluded). */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** The first attribute of this type, or null. */
    public StunAttribute get(int attributeType) {
        for (StunAttribute a : attributes) {
            if (a.type() == attributeType) {
                return a;
            }
        }
        return null;
    }

    /** The first attribute of this class, or null. */
    public <T extends StunAttribute> T get(Class<T> attributeClass) {
        for (StunAttribute a : attributes) {
            if (attributeClass.isInstance(a)) {
                return attributeClass.cast(a);
            }
        }
        return null;
    }

    /** Comprehension-required attribute types no registered decoder understands (for a 420). */
    public List<Integer> unknownComprehensionRequired() {
        List<Integer> unknown = null;
        for (StunAttribute a : attributes) {
            if (AttributeType.comprehensionRequired(a.type()) && !AttributeRegistry.isKnown(a.type())) {
                if (unknown == null) {
                    unknown = new ArrayList<>();
                }
                if (!unknown.contains(a.type())) {
                    unknown.add(a.type());
                }
            }
        }
        return unknown == null ? List.of() : unknown;
    }

    public boolean hasFingerprint() {
        return fingerprintOffset >= 0;
    }

    /** True if this decoded message carries a FINGERPRINT that matches its bytes. */
    public boolean fingerprintValid() {
        if (fingerprintOffset < 0) {
            return false;
        }
        return Fingerprint.over(raw, fingerprintOffset) == Bytes.int32(raw, fingerprintOffset + 4);
    }

    public boolean hasIntegrity() {
        return integrityOffset >= 0;
    }

    /** True if this decoded message carries a MESSAGE-INTEGRITY that is the HMAC-SHA1 of its bytes with key. */
    public boolean verifyIntegrity(byte[] key) {
        if (integrityOffset < 0) {
            return false;
        }
        byte[] expected = Integrity.sha1(key, raw, integrityOffset, integrityOffset - HEADER_LENGTH + 24);
        return Integrity.equal(expected, raw, integrityOffset + 4, MessageIntegrity.LENGTH);
    }

    public boolean hasIntegritySha256() {
        return integritySha256Offset >= 0;
    }

    /** True if MESSAGE-INTEGRITY-SHA256 (possibly truncated) matches the HMAC-SHA256 of the bytes with key. */
    public boolean verifyIntegritySha256(byte[] key) {
        if (integritySha256Offset < 0) {
            return false;
        }
        int length = Bytes.uint16(raw, integritySha256Offset + 2);
        byte[] expected = Integrity.sha256(key, raw, integritySha256Offset,
                integritySha256Offset - HEADER_LENGTH + 4 + length);
        return Integrity.equal(expected, raw, integritySha256Offset + 4, length);
    }

    /** Encodes into a new heap array; {@code key} signs MESSAGE-INTEGRITY(-SHA256) attributes, may be null. */
    public byte[] encode(byte[] key) {
        ByteBuf buf = Unpooled.buffer(128);
        encode(buf, key);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    public ByteBuf encode(ByteBufAllocator alloc, byte[] key) {
        ByteBuf buf = alloc.buffer(128);
        try {
            encode(buf, key);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** Appends the encoded message to {@code out}. */
    public void encode(ByteBuf out, byte[] key) {
        int start = out.writerIndex();
        out.writeShort(type);
        out.writeShort(0);
        out.writeInt(cookie);
        out.writeBytes(transactionId);
        for (StunAttribute a : attributes) {
            int at = out.writerIndex();
            if (a instanceof MessageIntegrity mi && (key != null || mi.hmac() == null)) {
                requireKey(key);
                out.setShort(start + 2, at - start - HEADER_LENGTH + 24);
                byte[] hmac = Integrity.sha1(key, out, start, at - start);
                writeHeader(out, a.type(), MessageIntegrity.LENGTH);
                out.writeBytes(hmac);
            } else if (a instanceof MessageIntegritySha256 mi && (key != null || mi.hmac() == null)) {
                requireKey(key);
                out.setShort(start + 2, at - start - HEADER_LENGTH + 4 + mi.length());
                byte[] hmac = Integrity.sha256(key, out, start, at - start);
                writeHeader(out, a.type(), mi.length());
                out.writeBytes(hmac, 0, mi.length());
            } else if (a instanceof Fingerprint) {
                out.setShort(start + 2, at - start - HEADER_LENGTH + 8);
                CRC32 crc = new CRC32();
                crc.update(out.nioBuffer(start, at - start));
                writeHeader(out, a.type(), 4);
                out.writeInt((int) crc.getValue() ^ Fingerprint.XOR);
            } else {
                writeHeader(out, a.type(), 0);
                a.writeValue(out, transactionId);
                int length = out.writerIndex() - at - 4;
                if (length > 0xFFFF) {
                    throw new IllegalArgumentException("attribute " + a.type() + " longer than 65535 bytes");
                }
                out.setShort(at + 2, length);
                for (int i = length; i % 4 != 0; i++) {
                    out.writeByte(padding);
                }
            }
        }
        int length = out.writerIndex() - start - HEADER_LENGTH;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("message longer than 65535 bytes");
        }
        out.setShort(start + 2, length);
    }

    private static void requireKey(byte[] key) {
        if (key == null) {
            throw new IllegalStateException("message has MESSAGE-INTEGRITY but no key was given");
        }
    }

    private static void writeHeader(ByteBuf out, int type, int length) {
        out.writeShort(type);
        out.writeShort(length);
    }

    /** Decodes exactly {@code length} bytes (one datagram or one TCP frame). */
    public static StunMessage decode(byte[] data, int offset, int length) throws StunParseException {
        checkHeader(data, offset, length);
        byte[] raw = new byte[length];
        System.arraycopy(data, offset, raw, 0, length);
        return decodeOwned(raw);
    }

    public static StunMessage decode(byte[] data) throws StunParseException {
        return decode(data, 0, data.length);
    }

    /** Decodes the readable bytes of {@code buf} without moving its reader index. */
    public static StunMessage decode(ByteBuf buf) throws StunParseException {
        int length = buf.readableBytes();
        if (length < HEADER_LENGTH) {
            throw new StunParseException("shorter than a STUN header: " + length + " bytes");
        }
        byte[] raw = new byte[length];
        buf.getBytes(buf.readerIndex(), raw);
        checkHeader(raw, 0, length);
        return decodeOwned(raw);
    }

    private static void checkHeader(byte[] data, int offset, int length) throws StunParseException {
        if (length < HEADER_LENGTH) {
            throw new StunParseException("shorter than a STUN header: " + length + " bytes");
        }
        if ((data[offset] & 0xC0) != 0) {
            throw new StunParseException("first two bits not zero: not STUN");
        }
        int bodyLength = Bytes.uint16(data, offset + 2);
        if (bodyLength % 4 != 0) {
            throw new StunParseException("message length " + bodyLength + " not a multiple of 4");
        }
        if (bodyLength + HEADER_LENGTH != length) {
            throw new StunParseException("message length " + bodyLength + " but " + (length - HEADER_LENGTH)
                    + " bytes follow the header");
        }
    }

    private static StunMessage decodeOwned(byte[] raw) throws StunParseException {
        int type = Bytes.uint16(raw, 0);
        int cookie = Bytes.int32(raw, 4);
        byte[] tid = new byte[12];
        System.arraycopy(raw, 8, tid, 0, 12);
        List<StunAttribute> attributes = raw.length == HEADER_LENGTH ? List.of() : new ArrayList<>(6);
        int integrity = -1;
        int integritySha256 = -1;
        int fingerprint = -1;
        byte padding = 0;
        boolean paddingSeen = false;
        int pos = HEADER_LENGTH;
        while (pos < raw.length) {
            if (fingerprint >= 0) {
                throw new StunParseException("attribute after FINGERPRINT");
            }
            if (raw.length - pos < 4) {
                throw new StunParseException("truncated attribute header");
            }
            int attrType = Bytes.uint16(raw, pos);
            int attrLength = Bytes.uint16(raw, pos + 2);
            int padded = (attrLength + 3) & ~3;
            if (pos + 4 + padded > raw.length) {
                throw new StunParseException("attribute " + attrType + " overruns the message");
            }
            if (!paddingSeen && padded != attrLength) {
                padding = raw[pos + 4 + attrLength];
                paddingSeen = true;
            }
            // RFC 8489 §14.5-6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count,
            // after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT.
            boolean ignored = (integrity >= 0 && attrType != AttributeType.MESSAGE_INTEGRITY_SHA256
                    && attrType != AttributeType.FINGERPRINT)
                    || (integritySha256 >= 0 && attrType != AttributeType.FINGERPRINT);
            if (!ignored) {
                if (attrType == AttributeType.MESSAGE_INTEGRITY) {
                    integrity = pos;
                } else if (attrType == AttributeType.MESSAGE_INTEGRITY_SHA256) {
                    integritySha256 = pos;
                } else if (attrType == AttributeType.FINGERPRINT) {
                    fingerprint = pos;
                }
                attributes.add(AttributeRegistry.decode(attrType, raw, pos + 4, attrLength, tid));
            }
            pos += 4 + padded;
        }
        return new StunMessage(type, cookie, tid, attributes.isEmpty() ? List.of()
                : Collections.unmodifiableList(attributes), padding, raw, integrity, integritySha256, fingerprint);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("STUN method 0x").append(Integer.toHexString(method())).append(' ')
                .append(MessageType.className(messageClass())).append(" [");
        for (StunAttribute a : attributes) {
            s.append(' ').append(a);
        }
        return s.append(" ]").toString();
    }

    /** Builds a message to send; attributes are written in the order added. */
    public static final class Builder {
        private final int type;
        private final int cookie;
        private final byte[] transactionId;
        private final List<StunAttribute> attributes = new ArrayList<>(6);
        private byte padding;

        private Builder(int type, int cookie, byte[] transactionId) {
            this.type = type;
            this.cookie = cookie;
            this.transactionId = transactionId;
        }

        public Builder add(StunAttribute attribute) {
            attributes.add(attribute);
            return this;
        }

        /** Padding byte value; zero unless reproducing a peer's bytes (RFC 5769 pads with spaces). */
        public Builder padding(byte value) {
            this.padding = value;
            return this;
        }

        public StunMessage build() {
            return new StunMessage(type, cookie, transactionId, List.copyOf(attributes), padding, null, -1, -1, -1);
        }
    }

    /** A builder pre-filled with this message's header and attributes (re-encoding a decoded message). */
    public Builder toBuilder() {
        Builder b = new Builder(type, cookie, transactionId).padding(padding);
        attributes.forEach(b::add);
        return b;
    }
}

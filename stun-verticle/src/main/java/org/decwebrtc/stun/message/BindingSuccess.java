package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The Binding success response (RFC 8489 §10), written straight into one array: it is the answer a STUN server
 * gives most, so it goes without the builder, the attribute objects and the per-message UTF-8 encoding of SOFTWARE
 * that {@link StunMessage#encode} costs. The bytes are exactly those of the builder with XOR-MAPPED-ADDRESS,
 * MAPPED-ADDRESS, SOFTWARE and FINGERPRINT (the two XOR/CRC attributes only for a request with the magic cookie:
 * a classic RFC 3489 client could not parse them).
 */
public final class BindingSuccess {
    private static final int TYPE = MessageType.type(MessageType.BINDING, MessageType.SUCCESS);

    /** SOFTWARE's value, padded to a multiple of 4 with zeros, and its unpadded length; null/0 without it. */
    private final byte[] software;
    private final int softwareLength;

    /** {@code software} may be null to leave SOFTWARE out. */
    public BindingSuccess(String software) {
        if (software == null) {
            this.software = null;
            this.softwareLength = 0;
        } else {
            byte[] value = Software.encode(software);
            this.softwareLength = value.length;
            this.software = new byte[(value.length + 3) & ~3];
            System.arraycopy(value, 0, this.software, 0, value.length);
        }
    }

    /** The response to {@code request} (a Binding request) telling the client it was seen at {@code reflexive}. */
    public byte[] encode(StunMessage request, InetSocketAddress reflexive) {
        int ipLength = AddressCodec.normalize(reflexive.getAddress()) instanceof Inet4Address ? 4 : 16;
        boolean modern = request.hasMagicCookie();
        int address = 4 + 4 + ipLength;
        int length = (modern ? address : 0) + address + (software == null ? 0 : 4 + software.length)
                + (modern ? 8 : 0);
        byte[] out = new byte[StunMessage.HEADER_LENGTH + length];
        ByteBuf buf = Unpooled.wrappedBuffer(out).writerIndex(0);
        byte[] tid = request.transactionIdBytes();
        buf.writeShort(TYPE).writeShort(length).writeInt(request.cookie()).writeBytes(tid);
        if (modern) {
            buf.writeShort(AttributeType.XOR_MAPPED_ADDRESS).writeShort(address - 4);
            AddressCodec.write(buf, reflexive, tid);
        }
        buf.writeShort(AttributeType.MAPPED_ADDRESS).writeShort(address - 4);
        AddressCodec.write(buf, reflexive, null);
        if (software != null) {
            buf.writeShort(AttributeType.SOFTWARE).writeShort(softwareLength).writeBytes(software);
        }
        if (modern) {
            int fingerprint = Fingerprint.over(out, buf.writerIndex());
            buf.writeShort(AttributeType.FINGERPRINT).writeShort(4).writeInt(fingerprint);
        }
        return out;
    }
}

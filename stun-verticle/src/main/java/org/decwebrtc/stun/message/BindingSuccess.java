package org.decwebrtc.stun.message;

import java.net.InetSocketAddress;
import java.util.zip.CRC32;

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
        byte[] ip = AddressCodec.normalize(reflexive.getAddress()).getAddress();
        int port = reflexive.getPort();
        boolean modern = request.hasMagicCookie();
        int address = 4 + 4 + ip.length;
        int length = (modern ? address : 0) + address + (software == null ? 0 : 4 + software.length)
                + (modern ? 8 : 0);
        byte[] out = new byte[StunMessage.HEADER_LENGTH + length];
        int pos = putShort(out, 0, TYPE);
        pos = putShort(out, pos, length);
        pos = putInt(out, pos, request.cookie());
        byte[] tid = request.transactionIdBytes();
        System.arraycopy(tid, 0, out, pos, 12);
        pos += 12;
        if (modern) {
            pos = putShort(out, pos, AttributeType.XOR_MAPPED_ADDRESS);
            pos = putShort(out, pos, 4 + ip.length);
            out[pos++] = 0;
            out[pos++] = (byte) (ip.length == 4 ? AddressCodec.IPV4 : AddressCodec.IPV6);
            pos = putShort(out, pos, port ^ 0x2112);
            // The mask is the magic cookie followed by the transaction id (RFC 8489 §14.2).
            for (int i = 0; i < ip.length; i++) {
                out[pos++] = (byte) (ip[i] ^ (i < 4 ? out[4 + i] : tid[i - 4]));
            }
        }
        pos = putShort(out, pos, AttributeType.MAPPED_ADDRESS);
        pos = putShort(out, pos, 4 + ip.length);
        out[pos++] = 0;
        out[pos++] = (byte) (ip.length == 4 ? AddressCodec.IPV4 : AddressCodec.IPV6);
        pos = putShort(out, pos, port);
        System.arraycopy(ip, 0, out, pos, ip.length);
        pos += ip.length;
        if (software != null) {
            pos = putShort(out, pos, AttributeType.SOFTWARE);
            pos = putShort(out, pos, softwareLength);
            System.arraycopy(software, 0, out, pos, software.length);
            pos += software.length;
        }
        if (modern) {
            CRC32 crc = new CRC32();
            crc.update(out, 0, pos);
            pos = putShort(out, pos, AttributeType.FINGERPRINT);
            pos = putShort(out, pos, 4);
            putInt(out, pos, (int) crc.getValue() ^ Fingerprint.XOR);
        }
        return out;
    }

    private static int putShort(byte[] out, int pos, int value) {
        out[pos] = (byte) (value >>> 8);
        out[pos + 1] = (byte) value;
        return pos + 2;
    }

    private static int putInt(byte[] out, int pos, int value) {
        out[pos] = (byte) (value >>> 24);
        out[pos + 1] = (byte) (value >>> 16);
        out[pos + 2] = (byte) (value >>> 8);
        out[pos + 3] = (byte) value;
        return pos + 4;
    }
}

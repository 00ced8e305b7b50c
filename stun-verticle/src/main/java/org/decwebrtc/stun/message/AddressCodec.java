package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The address value shared by (XOR-)MAPPED-ADDRESS, ALTERNATE-SERVER, XOR-PEER/RELAYED-ADDRESS (RFC 8489 §14.1-2). */
final class AddressCodec {
    static final int IPV4 = 0x01;
    static final int IPV6 = 0x02;

    private AddressCodec() {
    }

    /** Writes the address in the clear, or XOR-ed with the cookie and {@code transactionId} if that is not null. */
    static void write(ByteBuf out, InetSocketAddress address, byte[] transactionId) {
        byte[] ip = normalize(address.getAddress()).getAddress();
        int port = address.getPort();
        boolean xor = transactionId != null;
        out.writeByte(0);
        out.writeByte(ip.length == 4 ? IPV4 : IPV6);
        out.writeShort(xor ? port ^ 0x2112 : port);
        if (!xor) {
            out.writeBytes(ip);
            return;
        }
        // The mask is the magic cookie followed by the transaction id (RFC 8489 §14.2), applied in place.
        out.writeInt(intAt(ip, 0) ^ StunMessage.MAGIC_COOKIE);
        for (int i = 4; i < ip.length; i++) {
            out.writeByte(ip[i] ^ transactionId[i - 4]);
        }
    }

    private static int intAt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    static InetSocketAddress read(byte[] data, int offset, int length, byte[] mask) throws StunParseException {
        if (length < 4) {
            throw new StunParseException("address attribute too short");
        }
        int family = data[offset + 1] & 0xFF;
        int expected = family == IPV4 ? 8 : family == IPV6 ? 20 : -1;
        if (expected < 0) {
            throw new StunParseException("unknown address family " + family);
        }
        if (length != expected) {
            throw new StunParseException("address attribute of family " + family + " has length " + length);
        }
        int port = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
        byte[] ip = new byte[expected - 4];
        for (int i = 0; i < ip.length; i++) {
            ip[i] = (byte) (mask == null ? data[offset + 4 + i] : data[offset + 4 + i] ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), mask == null ? port : port ^ 0x2112);
        } catch (UnknownHostException e) {
            throw new StunParseException("bad address");
        }
    }

    /** A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; STUN must report them as IPv4. */
    static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean mapped = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /** Magic cookie followed by the transaction id: the XOR mask of RFC 8489 §14.2. */
    static byte[] mask(byte[] transactionId) {
        byte[] mask = new byte[16];
        mask[0] = 0x21;
        mask[1] = 0x12;
        mask[2] = (byte) 0xA4;
        mask[3] = 0x42;
        System.arraycopy(transactionId, 0, mask, 4, 12);
        return mask;
    }
}

package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/** MAPPED-ADDRESS (for RFC 3489 clients) or ALTERNATE-SERVER: an address sent in the clear. */
public record AddressAttribute(int type, InetSocketAddress address) implements StunAttribute {
    public static AddressAttribute mapped(InetSocketAddress address) {
        return new AddressAttribute(AttributeType.MAPPED_ADDRESS, address);
    }

    public static AddressAttribute alternateServer(InetSocketAddress address) {
        return new AddressAttribute(AttributeType.ALTERNATE_SERVER, address);
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        AddressCodec.write(out, address, null);
    }

    static AddressAttribute decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        return new AddressAttribute(type, AddressCodec.read(data, offset, length, null));
    }
}

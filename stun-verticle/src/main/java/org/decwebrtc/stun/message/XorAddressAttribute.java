package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * XOR-MAPPED-ADDRESS, and TURN's XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS: the address XOR-ed with the magic
 * cookie (and for IPv6 the transaction id) so that NATs rewriting addresses in payloads leave it alone.
 */
public record XorAddressAttribute(int type, InetSocketAddress address) implements StunAttribute {
    public static XorAddressAttribute mapped(InetSocketAddress address) {
        return new XorAddressAttribute(AttributeType.XOR_MAPPED_ADDRESS, address);
    }

    public static XorAddressAttribute peer(InetSocketAddress address) {
        return new XorAddressAttribute(AttributeType.XOR_PEER_ADDRESS, address);
    }

    public static XorAddressAttribute relayed(InetSocketAddress address) {
        return new XorAddressAttribute(AttributeType.XOR_RELAYED_ADDRESS, address);
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        AddressCodec.write(out, address, transactionId);
    }

    static XorAddressAttribute decode(int type, byte[] data, int offset, int length, byte[] tid)
            throws StunParseException {
        return new XorAddressAttribute(type, AddressCodec.read(data, offset, length, AddressCodec.mask(tid)));
    }
}

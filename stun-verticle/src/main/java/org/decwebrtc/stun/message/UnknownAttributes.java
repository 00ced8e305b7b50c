package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import java.util.List;

/** UNKNOWN-ATTRIBUTES: the comprehension-required types a 420 response rejects. */
public record UnknownAttributes(List<Integer> types) implements StunAttribute {
    public UnknownAttributes {
        types = List.copyOf(types);
    }

    @Override
    public int type() {
        return AttributeType.UNKNOWN_ATTRIBUTES;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        for (int t : types) {
            out.writeShort(t);
        }
    }

    static UnknownAttributes decode(int type, byte[] data, int offset, int length, byte[] tid)
            throws StunParseException {
        if (length % 2 != 0) {
            throw new StunParseException("UNKNOWN-ATTRIBUTES of odd length");
        }
        Integer[] types = new Integer[length / 2];
        for (int i = 0; i < types.length; i++) {
            types[i] = Bytes.uint16(data, offset + 2 * i);
        }
        return new UnknownAttributes(List.of(types));
    }
}

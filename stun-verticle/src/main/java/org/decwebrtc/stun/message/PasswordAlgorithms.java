package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** PASSWORD-ALGORITHMS (RFC 8489 §14.11): the algorithms a server offers, in order of preference. */
public record PasswordAlgorithms(List<PasswordAlgorithm> algorithms) implements StunAttribute {
    public PasswordAlgorithms {
        algorithms = List.copyOf(algorithms);
    }

    @Override
    public int type() {
        return AttributeType.PASSWORD_ALGORITHMS;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        for (PasswordAlgorithm a : algorithms) {
            PasswordAlgorithm.writeEntry(out, a.algorithm(), a.parameters(), true);
        }
    }

    static PasswordAlgorithms decode(int type, byte[] data, int offset, int length, byte[] tid)
            throws StunParseException {
        List<PasswordAlgorithm> list = new ArrayList<>();
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            if (end - pos < 4) {
                throw new StunParseException("PASSWORD-ALGORITHMS truncated");
            }
            int paramLength = Bytes.uint16(data, pos + 2);
            int padded = (paramLength + 3) & ~3;
            if (end - pos - 4 < paramLength) {
                throw new StunParseException("PASSWORD-ALGORITHMS entry overruns");
            }
            byte[] params = new byte[paramLength];
            System.arraycopy(data, pos + 4, params, 0, paramLength);
            list.add(new PasswordAlgorithm(Bytes.uint16(data, pos), params));
            pos += 4 + Math.min(padded, end - pos - 4);
        }
        return new PasswordAlgorithms(list);
    }
}

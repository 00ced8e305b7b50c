package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** ERROR-CODE: a 300-699 code and a short reason phrase (RFC 8489 §14.8). */
public record ErrorCode(int code, String reason) implements StunAttribute {
    public static final int TRY_ALTERNATE = 300;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int STALE_NONCE = 438;
    public static final int SERVER_ERROR = 500;
    private static final int MAX_REASON_BYTES = 763;

    public ErrorCode {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code must be 300-699, got " + code);
        }
        Text.encode("reason", reason, MAX_REASON_BYTES);
    }

    @Override
    public int type() {
        return AttributeType.ERROR_CODE;
    }

    @Override
    public void writeValue(ByteBuf out, byte[] transactionId) {
        out.writeShort(0);
        out.writeByte(code / 100);
        out.writeByte(code % 100);
        out.writeBytes(reason.getBytes(StandardCharsets.UTF_8));
    }

    static ErrorCode decode(int type, byte[] data, int offset, int length, byte[] tid) throws StunParseException {
        if (length < 4) {
            throw new StunParseException("ERROR-CODE too short");
        }
        int cls = data[offset + 2] & 0x07;
        int number = data[offset + 3] & 0xFF;
        if (cls < 3 || cls > 6 || number > 99) {
            throw new StunParseException("ERROR-CODE out of range");
        }
        return new ErrorCode(cls * 100 + number, Text.decode("reason", data, offset + 4, length - 4, MAX_REASON_BYTES));
    }
}

package org.decwebrtc.stun.message;

import java.nio.charset.StandardCharsets;

/** UTF-8 values with the byte limits RFC 8489 §14 puts on USERNAME, REALM, NONCE, SOFTWARE and reason phrases. */
final class Text {
    private Text() {
    }

    static String decode(String name, byte[] data, int offset, int length, int maxBytes) throws StunParseException {
        if (length > maxBytes) {
            throw new StunParseException(name + " longer than " + maxBytes + " bytes");
        }
        return new String(data, offset, length, StandardCharsets.UTF_8);
    }

    static byte[] encode(String name, String value, int maxBytes) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(name + " longer than " + maxBytes + " bytes");
        }
        return bytes;
    }
}

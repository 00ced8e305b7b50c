package org.decwebrtc.stun.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;

/**
 * Keys for MESSAGE-INTEGRITY (RFC 8489 §9). Passwords go through SASLprep (RFC 4013), as RFC 5389 and the
 * RFC 5769 test vectors do; RFC 8489's OpaqueString gives the same bytes for every ASCII password, which is what
 * browsers and TURN REST credentials use.
 */
public final class StunKeys {
    private StunKeys() {
    }

    /** Short-term credential: the key is the password itself. */
    public static byte[] shortTerm(String password) {
        return SaslPrep.prepare(password).getBytes(StandardCharsets.UTF_8);
    }

    /** Long-term credential, PASSWORD-ALGORITHM MD5 (the default): MD5(username ":" realm ":" password). */
    public static byte[] longTerm(String username, String realm, String password) {
        return digest("MD5", username, realm, password);
    }

    /** Long-term credential with PASSWORD-ALGORITHM SHA-256. */
    public static byte[] longTermSha256(String username, String realm, String password) {
        return digest("SHA-256", username, realm, password);
    }

    private static byte[] digest(String algorithm, String username, String realm, String password) {
        String text = SaslPrep.prepare(username) + ":" + SaslPrep.prepare(realm) + ":" + SaslPrep.prepare(password);
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JRE", e);
        }
    }

    /** The subset of SASLprep that changes strings: map-to-nothing, non-ASCII spaces, NFKC, prohibited output. */
    static final class SaslPrep {
        private SaslPrep() {
        }

        static String prepare(String input) {
            StringBuilder mapped = new StringBuilder(input.length());
            input.codePoints().forEach(c -> {
                if (mappedToNothing(c)) {
                    return;
                }
                mapped.appendCodePoint(nonAsciiSpace(c) ? ' ' : c);
            });
            String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
            normalized.codePoints().forEach(c -> {
                int t = Character.getType(c);
                if (t == Character.CONTROL || t == Character.PRIVATE_USE || t == Character.SURROGATE
                        || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) {
                    throw new IllegalArgumentException("prohibited character U+" + Integer.toHexString(c)
                            + " in a STUN credential");
                }
            });
            return normalized;
        }

        private static boolean mappedToNothing(int c) {
            return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D)
                    || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
        }

        private static boolean nonAsciiSpace(int c) {
            return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B && c != 0x200B) || c == 0x202F
                    || c == 0x205F || c == 0x3000;
        }
    }
}

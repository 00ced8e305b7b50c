package org.decwebrtc.stun.message;

import io.netty.buffer.ByteBuf;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * HMAC over a message prefix whose length field has been set to end just after the integrity attribute
 * (RFC 8489 §14.5). Mac instances are per thread: Mac.getInstance costs a provider lookup per call.
 */
final class Integrity {
    private static final ThreadLocal<Mac> SHA1 = ThreadLocal.withInitial(() -> mac("HmacSHA1"));
    private static final ThreadLocal<Mac> SHA256 = ThreadLocal.withInitial(() -> mac("HmacSHA256"));

    private Integrity() {
    }

    private static Mac mac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " missing from the JRE", e);
        }
    }

    /** HMAC of raw[0..end) with the length field replaced by {@code lengthField}. */
    static byte[] sha1(byte[] key, byte[] raw, int end, int lengthField) {
        return hmac(SHA1.get(), "HmacSHA1", key, raw, end, lengthField);
    }

    static byte[] sha256(byte[] key, byte[] raw, int end, int lengthField) {
        return hmac(SHA256.get(), "HmacSHA256", key, raw, end, lengthField);
    }

    private static byte[] hmac(Mac mac, String algorithm, byte[] key, byte[] raw, int end, int lengthField) {
        init(mac, algorithm, key);
        mac.update(raw, 0, 2);
        mac.update((byte) (lengthField >> 8));
        mac.update((byte) lengthField);
        mac.update(raw, 4, end - 4);
        return mac.doFinal();
    }

    /** HMAC of out[start..start+length), whose length field the caller already set. */
    static byte[] sha1(byte[] key, ByteBuf out, int start, int length) {
        Mac mac = SHA1.get();
        init(mac, "HmacSHA1", key);
        mac.update(out.nioBuffer(start, length));
        return mac.doFinal();
    }

    static byte[] sha256(byte[] key, ByteBuf out, int start, int length) {
        Mac mac = SHA256.get();
        init(mac, "HmacSHA256", key);
        mac.update(out.nioBuffer(start, length));
        return mac.doFinal();
    }

    private static void init(Mac mac, String algorithm, byte[] key) {
        try {
            // HMAC zero-pads keys to the block size, so an empty key (empty short-term password) equals {0};
            // SecretKeySpec refuses empty keys.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of expected[0..length) with raw[offset..offset+length). */
    static boolean equal(byte[] expected, byte[] raw, int offset, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= expected[i] ^ raw[offset + i];
        }
        return diff == 0;
    }
}

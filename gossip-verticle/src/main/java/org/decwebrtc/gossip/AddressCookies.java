package org.decwebrtc.gossip;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Stateless address validation, as QUIC's retry tokens: a cookie is an HMAC of the source address and the current
 * minute under a secret that never leaves this node. Only a host that receives packets at an address can echo the
 * cookie made for it, so a spoofed source address gets no further than the small Challenge, and we keep no state
 * for it. Not thread-safe: owned by the gossip verticle's event loop.
 */
final class AddressCookies {
    static final int COOKIE_BYTES = 16;
    private static final long EPOCH_MILLIS = 60_000;
    private final Mac mac;

    AddressCookies() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] cookie(String address, long nowMillis) {
        return forEpoch(address, nowMillis / EPOCH_MILLIS);
    }

    /** True for a cookie made for {@code address} in this minute or the one before. */
    boolean valid(String address, byte[] cookie, long nowMillis) {
        if (cookie.length != COOKIE_BYTES) {
            return false;
        }
        long epoch = nowMillis / EPOCH_MILLIS;
        return MessageDigest.isEqual(cookie, forEpoch(address, epoch))
                || MessageDigest.isEqual(cookie, forEpoch(address, epoch - 1));
    }

    private byte[] forEpoch(String address, long epoch) {
        mac.update(address.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(Long.toString(epoch).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(mac.doFinal(), COOKIE_BYTES);
    }
}

package org.decwebrtc.turn.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.LongSupplier;

/**
 * Stateless nonces: {@code <issue-time-hex>.<mac>} where mac = HMAC-SHA256(key, time|client ip) truncated.
 * Nothing is stored per client, so a flood of unauthenticated requests costs no memory; a nonce is bound to
 * the client address that received it and goes stale after the configured lifetime (→ 438).
 */
public final class NonceService {

    public enum Check { VALID, STALE, INVALID }

    private final long lifetimeMillis;
    private final LongSupplier nowMillis;
    private final ThreadLocal<Mac> mac;

    public NonceService(int lifetimeSeconds, LongSupplier nowMillis) {
        this.lifetimeMillis = lifetimeSeconds * 1000L;
        this.nowMillis = nowMillis;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    public String issue(String clientIp) {
        String time = Long.toHexString(nowMillis.getAsLong());
        return time + "." + sign(time, clientIp);
    }

    public Check check(String nonce, String clientIp) {
        if (nonce == null) {
            return Check.INVALID;
        }
        int dot = nonce.indexOf('.');
        if (dot <= 0 || dot > 16) {
            return Check.INVALID;
        }
        String time = nonce.substring(0, dot);
        if (!java.security.MessageDigest.isEqual(sign(time, clientIp).getBytes(StandardCharsets.US_ASCII),
                nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        long issued;
        try {
            issued = Long.parseUnsignedLong(time, 16);
        } catch (NumberFormatException e) {
            return Check.INVALID;
        }
        return nowMillis.getAsLong() - issued > lifetimeMillis ? Check.STALE : Check.VALID;
    }

    private String sign(String time, String clientIp) {
        byte[] out = mac.get().doFinal((time + "|" + clientIp).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(out, 0, 12);
    }
}

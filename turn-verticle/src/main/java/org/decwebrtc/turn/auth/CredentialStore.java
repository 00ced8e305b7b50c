package org.decwebrtc.turn.auth;

import org.decwebrtc.stun.message.StunKeys;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Who may allocate. Static users come from config; everyone else uses TURN REST ephemeral credentials
 * ({@code username = "<unix-expiry>:<user>"}, {@code password = base64(HMAC-SHA1(secret, username))}), which a
 * node hands to browsers without storing anything. Returns the long-term key MD5(user:realm:pass) that
 * MESSAGE-INTEGRITY is checked against, never the password; static users' keys are computed once.
 */
public final class CredentialStore {

    /** Outcome of a look-up. */
    public sealed interface Lookup {
        record Found(byte[] key, String user) implements Lookup {
        }

        record Unknown() implements Lookup {
        }

        record Expired(long expiredAtSeconds) implements Lookup {
        }
    }

    private final String realm;
    private final byte[] secret;
    private final Map<String, byte[]> staticKeys = new HashMap<>();
    private final LongSupplier nowMillis;
    private final java.util.function.Predicate<String> served;
    private final ThreadLocal<Mac> hmac;

    public CredentialStore(String realm, String secret, Map<String, String> users, LongSupplier nowMillis) {
        this(realm, secret, users, nowMillis, user -> true);
    }

    /**
     * @param served which users' ephemeral credentials this relay honours (a relay may serve only some users of
     *               the network); static users are always served
     */
    public CredentialStore(String realm, String secret, Map<String, String> users, LongSupplier nowMillis,
                           java.util.function.Predicate<String> served) {
        this.served = served;
        this.realm = realm;
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.nowMillis = nowMillis;
        users.forEach((u, p) -> staticKeys.put(u, longTermKey(u, realm, p)));
        this.hmac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA1");
                m.init(new SecretKeySpec(this.secret == null ? new byte[1] : this.secret, "HmacSHA1"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA1 unavailable", e);
            }
        });
    }

    public String realm() {
        return realm;
    }

    public Lookup lookup(String username) {
        byte[] key = staticKeys.get(username);
        if (key != null) {
            return new Lookup.Found(key, username);
        }
        if (secret == null) {
            return new Lookup.Unknown();
        }
        int colon = username.indexOf(':');
        if (colon <= 0 || colon > 19) {
            return new Lookup.Unknown();
        }
        long expiry;
        try {
            expiry = Long.parseLong(username.substring(0, colon));
        } catch (NumberFormatException e) {
            return new Lookup.Unknown();
        }
        if (expiry * 1000 <= nowMillis.getAsLong()) {
            return new Lookup.Expired(expiry);
        }
        if (!served.test(username.substring(colon + 1))) {
            return new Lookup.Unknown();
        }
        return new Lookup.Found(longTermKey(username, realm, restPassword(username)), username.substring(colon + 1));
    }

    /** The REST password for a username; also what {@code iceServers} hands out. */
    public String restPassword(String username) {
        if (secret == null) {
            throw new IllegalStateException("no TURN secret configured");
        }
        byte[] mac = hmac.get().doFinal(username.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }

    /** Fresh ephemeral credentials for {@code user}, valid {@code lifetimeSeconds} from now. */
    public Ephemeral issue(String user, int lifetimeSeconds) {
        long expiry = nowMillis.getAsLong() / 1000 + lifetimeSeconds;
        String username = expiry + ":" + user;
        return new Ephemeral(username, restPassword(username), expiry);
    }

    public record Ephemeral(String username, String password, long expiresAtSeconds) {
    }

    /** RFC 8489 §9.2.2 long-term key: MD5(username ":" realm ":" password), with the STUN layer's SASLprep. */
    public static byte[] longTermKey(String username, String realm, String password) {
        return StunKeys.longTerm(username, realm, password);
    }
}

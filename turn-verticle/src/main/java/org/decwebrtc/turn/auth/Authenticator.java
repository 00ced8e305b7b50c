package org.decwebrtc.turn.auth;

import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.MessageIntegrity;
import org.decwebrtc.stun.message.MessageIntegritySha256;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.Nonce;
import org.decwebrtc.stun.message.Realm;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.Username;

/**
 * The long-term credential mechanism of RFC 8489 §9.2 as a TURN server applies it, in the RFC's order:
 * no integrity → 401 with REALM and NONCE; integrity without USERNAME/REALM/NONCE → 400; a stale or foreign
 * nonce → 438 with a fresh one; an unknown or expired user, or a wrong HMAC → 401. A request that passes
 * yields the key its response must be signed with, and whether the client spoke MESSAGE-INTEGRITY-SHA256.
 */
public final class Authenticator {

    /** Result: either {@code key != null} (authenticated) or an error response to send unsigned. */
    public record Outcome(byte[] key, String username, String user, boolean sha256, StunMessage error,
                          Failure failure) {
        public boolean ok() {
            return key != null;
        }
    }

    /** Why a request was refused, for metrics. */
    public enum Failure { CHALLENGE, BAD_REQUEST, STALE_NONCE, UNKNOWN_USER, EXPIRED, BAD_INTEGRITY }

    private final CredentialStore credentials;
    private final NonceService nonces;

    public Authenticator(CredentialStore credentials, NonceService nonces) {
        this.credentials = credentials;
        this.nonces = nonces;
    }

    public Outcome authenticate(StunMessage request, String clientIp) {
        boolean sha1 = request.hasIntegrity();
        boolean sha256 = request.hasIntegritySha256();
        if (!sha1 && !sha256) {
            return refuse(request, clientIp, ErrorCode.UNAUTHENTICATED, "Unauthenticated", Failure.CHALLENGE);
        }
        Username username = request.get(Username.class);
        Realm realm = request.get(Realm.class);
        Nonce nonce = request.get(Nonce.class);
        if (username == null || realm == null || nonce == null) {
            return new Outcome(null, null, null, false, error(request, ErrorCode.BAD_REQUEST,
                    "Bad Request: USERNAME, REALM and NONCE are required with MESSAGE-INTEGRITY"), Failure.BAD_REQUEST);
        }
        if (nonces.check(nonce.value(), clientIp) != NonceService.Check.VALID) {
            return refuse(request, clientIp, ErrorCode.STALE_NONCE, "Stale Nonce", Failure.STALE_NONCE);
        }
        CredentialStore.Lookup found = credentials.lookup(username.value());
        if (found instanceof CredentialStore.Lookup.Expired) {
            return refuse(request, clientIp, ErrorCode.UNAUTHENTICATED, "Unauthenticated: credentials expired", Failure.EXPIRED);
        }
        if (!(found instanceof CredentialStore.Lookup.Found f) || !realm.value().equals(credentials.realm())) {
            return refuse(request, clientIp, ErrorCode.UNAUTHENTICATED, "Unauthenticated", Failure.UNKNOWN_USER);
        }
        boolean valid = sha256 ? request.verifyIntegritySha256(f.key()) : request.verifyIntegrity(f.key());
        if (!valid) {
            return refuse(request, clientIp, ErrorCode.UNAUTHENTICATED, "Unauthenticated", Failure.BAD_INTEGRITY);
        }
        return new Outcome(f.key(), username.value(), f.user(), sha256, null, null);
    }

    /** Appends the integrity attribute the client used; the caller encodes with {@link Outcome#key()}. */
    public static StunMessage.Builder sign(StunMessage.Builder response, Outcome auth) {
        return auth.sha256() ? response.add(MessageIntegritySha256.compute()) : response.add(MessageIntegrity.compute());
    }

    private Outcome refuse(StunMessage request, String clientIp, int code, String reason, Failure failure) {
        StunMessage response = request.respond(MessageType.ERROR)
                .add(new ErrorCode(code, reason))
                .add(new Realm(credentials.realm()))
                .add(new Nonce(nonces.issue(clientIp)))
                .build();
        return new Outcome(null, null, null, false, response, failure);
    }

    private static StunMessage error(StunMessage request, int code, String reason) {
        return request.respond(MessageType.ERROR).add(new ErrorCode(code, reason)).build();
    }
}

package org.decwebrtc.gossip;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Names bound to public keys on first sight (TOFU), and signature checks against them. A binding lasts as long
 * as the node is known: when a node is deleted for silence, its binding goes with all its other data.
 * Not thread-safe: owned by the gossip verticle's event loop.
 */
final class TrustStore {
    enum Verdict { TRUSTED, BAD_SIGNATURE, KEY_MISMATCH }

    private final Map<String, byte[]> keys = new HashMap<>();
    private final Map<String, PublicKey> decoded = new HashMap<>();
    private final Signature verifier;

    TrustStore() {
        try {
            verifier = Signature.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 not available in this JVM", e);
        }
    }

    /** Checks a packet signed by {@code name} with {@code publicKey}; binds the name to the key if it is new. */
    Verdict check(String name, byte[] publicKey, byte[] signed, byte[] signature) {
        byte[] bound = keys.get(name);
        if (bound != null && !Arrays.equals(bound, publicKey)) {
            return Verdict.KEY_MISMATCH;
        }
        PublicKey key = bound != null ? decoded.get(name) : decode(publicKey);
        if (key == null || !verify(key, signed, signature)) {
            return Verdict.BAD_SIGNATURE;
        }
        if (bound == null) {
            keys.put(name, publicKey.clone());
            decoded.put(name, key);
        }
        return Verdict.TRUSTED;
    }

    /** Checks a packet of a name already bound; unknown names are not trusted. */
    Verdict checkKnown(String name, byte[] signed, byte[] signature) {
        PublicKey key = decoded.get(name);
        if (key == null) {
            return Verdict.KEY_MISMATCH;
        }
        return verify(key, signed, signature) ? Verdict.TRUSTED : Verdict.BAD_SIGNATURE;
    }

    void forget(String name) {
        keys.remove(name);
        decoded.remove(name);
    }

    private static PublicKey decode(byte[] publicKey) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(publicKey));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private boolean verify(PublicKey key, byte[] signed, byte[] signature) {
        try {
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}

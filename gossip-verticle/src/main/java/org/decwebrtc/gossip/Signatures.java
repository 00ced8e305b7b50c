package org.decwebrtc.gossip;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ed25519 checks, with decoded keys cached. Not thread-safe: owned by the gossip verticle's event loop. */
final class Signatures {
    private static final int MAX_CACHED_KEYS = 4096;
    private final Signature verifier;
    private final KeyFactory factory;
    private final Map<ByteBuffer, PublicKey> decoded = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, PublicKey> eldest) {
            return size() > MAX_CACHED_KEYS;
        }
    };
    long verified;
    /** Checks already made by any node of this JVM, or null: see {@link GossipVerticle#sharingSignatureChecks}. */
    private final java.util.Set<java.nio.ByteBuffer> shared;
    private static final java.util.Set<java.nio.ByteBuffer> JVM_WIDE =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    Signatures() {
        this(false);
    }

    Signatures(boolean shareWithTheJvm) {
        this.shared = shareWithTheJvm ? JVM_WIDE : null;
        try {
            verifier = Signature.getInstance("Ed25519");
            factory = KeyFactory.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 not available in this JVM", e);
        }
    }

    boolean verify(byte[] publicKey, byte[] signed, byte[] signature) {
        if (publicKey.length == 0 || publicKey.length > 128 || signature.length != 64) {
            return false;
        }
        ByteBuffer memo = shared == null ? null : memoKey(publicKey, signed, signature);
        if (memo != null && shared.contains(memo)) {
            return true;
        }
        PublicKey key = decoded.get(ByteBuffer.wrap(publicKey));
        try {
            if (key == null) {
                key = factory.generatePublic(new X509EncodedKeySpec(publicKey));
                decoded.put(ByteBuffer.wrap(publicKey.clone()), key);
            }
            verified++;
            verifier.initVerify(key);
            verifier.update(signed);
            boolean ok = verifier.verify(signature);
            if (ok && memo != null) {
                shared.add(memo);
            }
            return ok;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static ByteBuffer memoKey(byte[] publicKey, byte[] signed, byte[] signature) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(publicKey);
            sha.update(signed);
            sha.update(signature);
            return ByteBuffer.wrap(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.decwebrtc.gossip;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 checks (RFC 8032, BouncyCastle's implementation: several times faster than the JDK's, which matters to
 * a node checking every record of a network), with decoded and fully validated public keys cached. Keys travel
 * X.509-encoded as the JDK writes them; any other encoding is refused. Not thread-safe: owned by the gossip
 * verticle's event loop.
 */
final class Signatures {
    private static final int MAX_CACHED_KEYS = 4096;
    /** X.509 (SubjectPublicKeyInfo) prefix of a raw 32-byte Ed25519 public key. */
    static final byte[] ED25519_X509_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
    private final Map<ByteBuffer, Ed25519.PublicPoint> decoded = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Ed25519.PublicPoint> eldest) {
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
    }

    /** The raw 32-byte key of an X.509-encoded Ed25519 public key, or null if it is not one. */
    static byte[] rawKey(byte[] x509) {
        if (x509.length != ED25519_X509_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
                || !Arrays.equals(x509, 0, ED25519_X509_PREFIX.length, ED25519_X509_PREFIX, 0, ED25519_X509_PREFIX.length)) {
            return null;
        }
        return Arrays.copyOfRange(x509, ED25519_X509_PREFIX.length, x509.length);
    }

    boolean verify(byte[] publicKey, byte[] signed, byte[] signature) {
        if (publicKey.length == 0 || publicKey.length > 128 || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        ByteBuffer memo = shared == null ? null : memoKey(publicKey, signed, signature);
        if (memo != null && shared.contains(memo)) {
            return true;
        }
        Ed25519.PublicPoint key = decoded.get(ByteBuffer.wrap(publicKey));
        if (key == null) {
            byte[] raw = rawKey(publicKey);
            // Full validation: a key of small order (which verifies forged signatures) is refused.
            key = raw == null ? null : Ed25519.validatePublicKeyFullExport(raw, 0);
            if (key == null) {
                return false;
            }
            decoded.put(ByteBuffer.wrap(publicKey.clone()), key);
        }
        verified++;
        boolean ok = Ed25519.verify(signature, 0, key, signed, 0, signed.length);
        if (ok && memo != null) {
            shared.add(memo);
        }
        return ok;
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

package org.decwebrtc.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A user's identity key as people compare it: lowercase hex SHA-256 of the encoded Ed25519 public key. */
public final class KeyFingerprint {
    private KeyFingerprint() {
    }

    public static String of(byte[] publicKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

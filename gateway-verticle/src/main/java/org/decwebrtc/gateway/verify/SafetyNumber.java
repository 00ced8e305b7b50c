package org.decwebrtc.gateway.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A number two users read to each other to check they talk to each other's keys, as Signal's safety numbers: each
 * user's half is derived from its name and key fingerprint, and the halves are put in a fixed order, so both sides
 * compute the same 30 digits. A key swapped in on the way (or a name claimed with another key) changes it.
 */
public final class SafetyNumber {
    private static final byte[] VERSION = "decwebrtc-safety-number-v1".getBytes(StandardCharsets.UTF_8);
    /** Hashing rounds per half, as Signal does, to make searching for a key with a matching half costly. */
    static final int ROUNDS = 5200;

    private SafetyNumber() {
    }

    /** Six groups of five digits, e.g. {@code "12345 67890 …"}; null when either fingerprint is unknown. */
    public static String of(String nameA, String fingerprintA, String nameB, String fingerprintB) {
        if (fingerprintA == null || fingerprintB == null || nameA == null || nameB == null) {
            return null;
        }
        String a = half(nameA, fingerprintA);
        String b = half(nameB, fingerprintB);
        String digits = a.compareTo(b) <= 0 ? a + b : b + a;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 5) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(digits, i, i + 5);
        }
        return out.toString();
    }

    /** 15 digits: three 5-byte chunks of the iterated hash, each mod 100000. */
    static String half(String name, String fingerprint) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            byte[] key = fingerprint.getBytes(StandardCharsets.UTF_8);
            sha.update(VERSION);
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(key);
            byte[] hash = sha.digest();
            for (int i = 1; i < ROUNDS; i++) {
                sha.update(hash);
                sha.update(key);
                hash = sha.digest();
            }
            StringBuilder digits = new StringBuilder();
            for (int chunk = 0; chunk < 3; chunk++) {
                long value = 0;
                for (int j = 0; j < 5; j++) {
                    value = (value << 8) | (hash[chunk * 5 + j] & 0xff);
                }
                digits.append(String.format("%05d", value % 100_000));
            }
            return digits.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

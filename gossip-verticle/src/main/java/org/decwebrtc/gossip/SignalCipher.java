package org.decwebrtc.gossip;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * End-to-end encryption of signal payloads between two nodes: X25519 between their static keys, HKDF-SHA256 to an
 * AES-256-GCM key, a random nonce per message, and the routing header (origin, destination, id) as associated
 * data. Relays forward ciphertext they can neither read nor alter; the SDP's DTLS fingerprint then protects media.
 * Not thread-safe: owned by the gossip verticle's event loop.
 */
final class SignalCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private record PeerKey(byte[] publicKey, SecretKeySpec aesKey) {
    }

    private final PrivateKey own;
    private final Map<String, PeerKey> keys = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Cipher cipher;

    SignalCipher(PrivateKey ownX25519) {
        this.own = ownX25519;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] encrypt(String self, String peer, byte[] peerPublicKey, long id, byte[] plaintext) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        cipher.init(Cipher.ENCRYPT_MODE, key(self, peer, peerPublicKey), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad(self, peer, id));
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return out;
    }

    /** Opens a payload {@code origin} sealed for {@code self}; throws if it was altered or is not for us. */
    byte[] decrypt(String self, String origin, byte[] originPublicKey, long id, byte[] payload) throws GeneralSecurityException {
        if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("payload too short");
        }
        cipher.init(Cipher.DECRYPT_MODE, key(self, origin, originPublicKey),
                new GCMParameterSpec(TAG_BITS, payload, 0, NONCE_BYTES));
        cipher.updateAAD(aad(origin, self, id));
        return cipher.doFinal(payload, NONCE_BYTES, payload.length - NONCE_BYTES);
    }

    void forget(String peer) {
        keys.remove(peer);
    }

    private SecretKeySpec key(String self, String peer, byte[] peerPublicKey) throws GeneralSecurityException {
        PeerKey cached = keys.get(peer);
        if (cached != null && Arrays.equals(cached.publicKey(), peerPublicKey)) {
            return cached.aesKey();
        }
        PublicKey theirs = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(peerPublicKey));
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(own);
        agreement.doPhase(theirs, true);
        byte[] shared = agreement.generateSecret();
        // Both ends derive the same key: the info names the pair in a fixed order.
        String pair = self.compareTo(peer) < 0 ? self + "\n" + peer : peer + "\n" + self;
        SecretKeySpec aes = new SecretKeySpec(hkdf(shared, ("decwebrtc-signal-v1\n" + pair).getBytes(StandardCharsets.UTF_8)), "AES");
        keys.put(peer, new PeerKey(peerPublicKey.clone(), aes));
        return aes;
    }

    private static byte[] hkdf(byte[] secret, byte[] info) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = mac.doFinal(secret);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return mac.doFinal();
    }

    private static byte[] aad(String origin, String destination, long id) {
        return (origin + "\n" + destination + "\n" + id).getBytes(StandardCharsets.UTF_8);
    }
}

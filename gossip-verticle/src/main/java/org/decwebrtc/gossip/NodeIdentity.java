package org.decwebrtc.gossip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * This node's keys, made at first start and kept in the data directory so that the node keeps its name across
 * restarts (peers bind a name to the first key they see for it): Ed25519 to sign, X25519 to receive encrypted
 * signals.
 */
final class NodeIdentity {
    private final KeyPair signing;
    private final KeyPair kex;
    private final Signature signer;

    private NodeIdentity(KeyPair signing, KeyPair kex) throws GeneralSecurityException {
        this.signing = signing;
        this.kex = kex;
        this.signer = Signature.getInstance("Ed25519");
        byte[] pkcs8 = signing.getPrivate().getEncoded();
        this.rawPublic = Signatures.rawKey(signing.getPublic().getEncoded());
        // PKCS#8 of an Ed25519 key as the JDK writes it: a 16-byte header, then the 32-byte seed.
        this.rawPrivate = rawPublic != null && pkcs8 != null && pkcs8.length == PKCS8_HEADER.length + 32
                && Arrays.equals(pkcs8, 0, PKCS8_HEADER.length, PKCS8_HEADER, 0, PKCS8_HEADER.length)
                ? Arrays.copyOfRange(pkcs8, PKCS8_HEADER.length, pkcs8.length) : null;
    }

    private static final byte[] PKCS8_HEADER = java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");
    /** Raw Ed25519 keys for BouncyCastle, or null (then the JDK signs). */
    private final byte[] rawPrivate;
    private final byte[] rawPublic;

    /** Keys from {@code dataDir} (made there when missing), or throwaway keys when there is no data directory. */
    static NodeIdentity loadOrCreate(Path dataDir) throws IOException, GeneralSecurityException {
        return new NodeIdentity(keyPair(dataDir, "Ed25519", "gossip-ed25519"), keyPair(dataDir, "X25519", "gossip-x25519"));
    }

    private static KeyPair keyPair(Path dataDir, String algorithm, String baseName) throws IOException, GeneralSecurityException {
        if (dataDir == null) {
            return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        }
        Path privateFile = dataDir.resolve(baseName + ".pk8");
        Path publicFile = dataDir.resolve(baseName + ".pub");
        if (Files.exists(privateFile) && Files.exists(publicFile)) {
            KeyFactory factory = KeyFactory.getInstance(algorithm);
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicFile))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateFile))));
        }
        KeyPair keys = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        Files.createDirectories(dataDir);
        Files.write(publicFile, keys.getPublic().getEncoded());
        Path tmp = Files.createTempFile(dataDir, baseName, ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the directory's own protection has to do
        }
        Files.write(tmp, keys.getPrivate().getEncoded());
        Files.move(tmp, privateFile, StandardCopyOption.REPLACE_EXISTING);
        return keys;
    }

    byte[] publicKey() {
        return signing.getPublic().getEncoded();
    }

    byte[] kexPublicKey() {
        return kex.getPublic().getEncoded();
    }

    PrivateKey kexPrivateKey() {
        return kex.getPrivate();
    }

    /**
     * Signs on the gossip event loop only (one {@link Signature} instance, not thread-safe). Ed25519 signatures are
     * deterministic (RFC 8032): BouncyCastle's, several times faster than the JDK's, are the same bytes.
     */
    byte[] sign(byte[] data) {
        if (rawPrivate != null) {
            byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(rawPrivate, 0, rawPublic, 0, data, 0, data.length, signature, 0);
            return signature;
        }
        try {
            signer.initSign(signing.getPrivate());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}

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
    }

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

    /** Signs on the gossip event loop only (one {@link Signature} instance, not thread-safe). */
    byte[] sign(byte[] data) {
        try {
            signer.initSign(signing.getPrivate());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}

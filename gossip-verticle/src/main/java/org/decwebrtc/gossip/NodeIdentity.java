package org.decwebrtc.gossip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * This node's Ed25519 key pair, made at first start and kept in the data directory so that the node keeps its
 * name across restarts: peers bind a name to the first key they see for it.
 */
final class NodeIdentity {
    static final String FILE_NAME = "gossip-ed25519.pk8";

    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final Signature signer;

    private NodeIdentity(KeyPair keys) throws GeneralSecurityException {
        this.privateKey = keys.getPrivate();
        this.publicKey = keys.getPublic().getEncoded();
        this.signer = Signature.getInstance("Ed25519");
    }

    static NodeIdentity loadOrCreate(Path dataDir) throws IOException, GeneralSecurityException {
        Path file = dataDir == null ? null : dataDir.resolve(FILE_NAME);
        if (file != null && Files.exists(file)) {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(file)));
            Path pubFile = dataDir.resolve(FILE_NAME + ".pub");
            PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pubFile)));
            return new NodeIdentity(new KeyPair(pub, key));
        }
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        if (file != null) {
            Files.createDirectories(dataDir);
            Files.write(dataDir.resolve(FILE_NAME + ".pub"), keys.getPublic().getEncoded());
            Path tmp = Files.createTempFile(dataDir, "gossip", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the directory's own protection has to do
            }
            Files.write(tmp, keys.getPrivate().getEncoded());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return new NodeIdentity(keys);
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /** Signs on the gossip event loop only (one {@link Signature} instance, not thread-safe). */
    byte[] sign(byte[] data) {
        try {
            signer.initSign(privateKey);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}

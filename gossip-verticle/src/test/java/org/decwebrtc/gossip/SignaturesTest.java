package org.decwebrtc.gossip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's signatures (BouncyCastle's Ed25519) are the standard's: the JDK's Ed25519 accepts them, and
 * {@link Signatures} refuses a changed message, a changed signature, a key of small order and a key in another
 * encoding.
 */
class SignaturesTest {
    @TempDir
    Path dir;

    @Test
    void aNodesSignatureVerifiesWithTheJdkAndWithSignaturesAndNothingAltered() throws Exception {
        NodeIdentity identity = NodeIdentity.loadOrCreate(dir);
        byte[] message = "origin n1 seq 42".getBytes(StandardCharsets.UTF_8);
        byte[] signature = identity.sign(message);

        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(identity.publicKey())));
        jdk.update(message);
        assertThat(jdk.verify(signature)).isTrue();

        Signatures signatures = new Signatures();
        assertThat(signatures.verify(identity.publicKey(), message, signature)).isTrue();
        byte[] otherMessage = message.clone();
        otherMessage[0] ^= 1;
        assertThat(signatures.verify(identity.publicKey(), otherMessage, signature)).isFalse();
        byte[] otherSignature = signature.clone();
        otherSignature[10] ^= 1;
        assertThat(signatures.verify(identity.publicKey(), message, otherSignature)).isFalse();
        // Reloaded from the data directory, the node signs the same bytes (Ed25519 is deterministic).
        assertThat(NodeIdentity.loadOrCreate(dir).sign(message)).isEqualTo(signature);
    }

    @Test
    void aKeyOfSmallOrderOrInAnotherEncodingIsRefused() throws Exception {
        Signatures signatures = new Signatures();
        byte[] identityPoint = new byte[32];
        identityPoint[0] = 1; // the neutral element: with it, S = 0 and R = identity "verify" any message
        byte[] smallOrderKey = java.util.Arrays.copyOf(Signatures.ED25519_X509_PREFIX, 44);
        System.arraycopy(identityPoint, 0, smallOrderKey, 12, 32);
        byte[] forged = new byte[64];
        forged[0] = 1; // R = identity, S = 0
        assertThat(signatures.verify(smallOrderKey, "anything".getBytes(StandardCharsets.UTF_8), forged)).isFalse();

        NodeIdentity identity = NodeIdentity.loadOrCreate(dir);
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        byte[] raw = java.util.Arrays.copyOfRange(identity.publicKey(), 12, 44);
        assertThat(signatures.verify(raw, message, identity.sign(message))).isFalse();
    }
}

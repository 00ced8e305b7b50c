package org.decwebrtc.gossip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrustStoreTest {
    @TempDir
    Path dir;

    @Test
    void aNameIsBoundToTheFirstKeyAndAnotherKeyIsRefused() throws Exception {
        NodeIdentity alice = NodeIdentity.loadOrCreate(dir.resolve("a"));
        NodeIdentity mallory = NodeIdentity.loadOrCreate(dir.resolve("m"));
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        TrustStore trust = new TrustStore();
        assertThat(trust.check("alice", alice.publicKey(), data, alice.sign(data))).isEqualTo(TrustStore.Verdict.TRUSTED);
        assertThat(trust.check("alice", mallory.publicKey(), data, mallory.sign(data)))
                .isEqualTo(TrustStore.Verdict.KEY_MISMATCH);
        assertThat(trust.checkKnown("alice", data, mallory.sign(data))).isEqualTo(TrustStore.Verdict.BAD_SIGNATURE);
        assertThat(trust.checkKnown("alice", data, alice.sign(data))).isEqualTo(TrustStore.Verdict.TRUSTED);
        trust.forget("alice");
        assertThat(trust.checkKnown("alice", data, alice.sign(data))).isEqualTo(TrustStore.Verdict.KEY_MISMATCH);
    }

    @Test
    void aTamperedMessageFailsItsSignature() throws Exception {
        NodeIdentity alice = NodeIdentity.loadOrCreate(dir);
        byte[] data = "offer".getBytes(StandardCharsets.UTF_8);
        byte[] signature = alice.sign(data);
        TrustStore trust = new TrustStore();
        assertThat(trust.check("alice", alice.publicKey(), "0ffer".getBytes(StandardCharsets.UTF_8), signature))
                .isEqualTo(TrustStore.Verdict.BAD_SIGNATURE);
    }

    @Test
    void theKeySurvivesARestart() throws Exception {
        NodeIdentity first = NodeIdentity.loadOrCreate(dir);
        NodeIdentity again = NodeIdentity.loadOrCreate(dir);
        assertThat(again.publicKey()).isEqualTo(first.publicKey());
    }
}

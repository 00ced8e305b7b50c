package org.decwebrtc.gossip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignalCipherTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheDestinationOpensAndAlteredOrRedirectedPayloadsFail() throws Exception {
        NodeIdentity alice = NodeIdentity.loadOrCreate(dir.resolve("alice"));
        NodeIdentity bob = NodeIdentity.loadOrCreate(dir.resolve("bob"));
        NodeIdentity relay = NodeIdentity.loadOrCreate(dir.resolve("relay"));
        byte[] sdp = "{\"type\":\"offer\",\"sdp\":\"v=0 c=IN IP4 198.18.0.7\"}".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = new SignalCipher(alice.kexPrivateKey()).encrypt("alice", "bob", bob.kexPublicKey(), 7, sdp);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("198.18.0.7");

        SignalCipher atBob = new SignalCipher(bob.kexPrivateKey());
        assertThat(atBob.decrypt("bob", "alice", alice.kexPublicKey(), 7, sealed)).isEqualTo(sdp);

        byte[] altered = sealed.clone();
        altered[altered.length - 20] ^= 1;
        assertThatThrownBy(() -> atBob.decrypt("bob", "alice", alice.kexPublicKey(), 7, altered))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> atBob.decrypt("bob", "alice", alice.kexPublicKey(), 8, sealed))
                .isInstanceOf(GeneralSecurityException.class);
        SignalCipher atRelay = new SignalCipher(relay.kexPrivateKey());
        assertThatThrownBy(() -> atRelay.decrypt("relay", "alice", alice.kexPublicKey(), 7, sealed))
                .isInstanceOf(GeneralSecurityException.class);
    }
}

package org.decwebrtc.turn.auth;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialStoreTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final CredentialStore store = new CredentialStore("example.org", "s3cret", Map.of("alice", "pw"), now::get);

    @Test
    void staticUserKeyIsMd5OfUserRealmPassword() {
        var found = (CredentialStore.Lookup.Found) store.lookup("alice");
        assertThat(HexFormat.of().formatHex(found.key()))
                .isEqualTo(HexFormat.of().formatHex(md5("alice:example.org:pw")));
        assertThat(found.user()).isEqualTo("alice");
    }

    @Test
    void restCredentialsMatchTheTurnRestFormula() throws Exception {
        CredentialStore.Ephemeral e = store.issue("bob", 3600);
        assertThat(e.username()).isEqualTo((now.get() / 1000 + 3600) + ":bob");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(e.username().getBytes(StandardCharsets.UTF_8)));
        assertThat(e.password()).isEqualTo(expected);
        var found = (CredentialStore.Lookup.Found) store.lookup(e.username());
        assertThat(found.key()).isEqualTo(md5(e.username() + ":example.org:" + expected));
        assertThat(found.user()).isEqualTo("bob");
    }

    @Test
    void expiredRestCredentialsAreReportedAsExpired() {
        CredentialStore.Ephemeral e = store.issue("bob", 60);
        now.addAndGet(61_000);
        assertThat(store.lookup(e.username())).isInstanceOf(CredentialStore.Lookup.Expired.class);
    }

    @Test
    void unknownUsersAndGarbageAreUnknown() {
        assertThat(store.lookup("mallory")).isInstanceOf(CredentialStore.Lookup.Unknown.class);
        assertThat(store.lookup("abc:bob")).isInstanceOf(CredentialStore.Lookup.Unknown.class);
        assertThat(store.lookup(":bob")).isInstanceOf(CredentialStore.Lookup.Unknown.class);
        CredentialStore noSecret = new CredentialStore("r", null, Map.of(), now::get);
        assertThat(noSecret.lookup("99999999999:bob")).isInstanceOf(CredentialStore.Lookup.Unknown.class);
    }

    private static byte[] md5(String s) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.decwebrtc.gateway.ice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.HostPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A relay's TURN grant, as a hostile relay might write it: only what a browser can safely use gets through. */
class GrantCheckTest {
    private static final HostPort ADVERT = HostPort.parse("198.18.0.7:3478");

    private static JsonObject entry(Object urls, Object username, Object credential) {
        return new JsonObject().put("urls", urls).put("username", username).put("credential", credential);
    }

    @Test
    void keepsTurnUrlsAtTheRelaysAdvertWithStringCredentials() {
        JsonArray grant = new JsonArray().add(entry(new JsonArray().add("turn:198.18.0.7:3478?transport=udp")
                .add("turn:198.18.0.7:3478?transport=tcp"), "1700000000:alice", "c2VjcmV0"));
        assertThat(GrantCheck.servers(grant, ADVERT)).isEqualTo(grant);
    }

    @Test
    void aMalformedUrlAForeignHostOrStunNeverReachesIceServers() {
        JsonArray grant = new JsonArray()
                .add(entry("foo:bar", "u", "p"))
                .add(entry(new JsonArray().add("turn:203.0.113.9:3478").add("turn:198.18.0.7:9999")
                        .add("stun:198.18.0.7:3478").add("turn:198.18.0.7:3478 ").add("TURN:198.18.0.7:3478x")
                        .add(42), "u", "p"))
                .add(entry("turn:198.18.0.7:3478?transport=sctp", "u", "p"));
        assertThat(GrantCheck.servers(grant, ADVERT)).isEmpty();
    }

    @Test
    void credentialsMustBeShortStrings() {
        String url = "turn:198.18.0.7:3478";
        JsonArray grant = new JsonArray()
                .add(entry(url, 42, "p"))
                .add(entry(url, "u", new JsonObject()))
                .add(entry(url, null, "p"))
                .add(entry(url, "u", "p".repeat(10_000)))
                .add(new JsonObject().put("urls", url));
        assertThat(GrantCheck.servers(grant, ADVERT)).isEmpty();
    }

    @Test
    void nothingWithoutAnAdvertOrWithAGrantOfTheWrongShape() {
        JsonArray good = new JsonArray().add(entry("turn:198.18.0.7:3478", "u", "p"));
        assertThat(GrantCheck.servers(good, null)).isEmpty();
        assertThat(GrantCheck.servers("turn:198.18.0.7:3478", ADVERT)).isEmpty();
        assertThat(GrantCheck.servers(null, ADVERT)).isEmpty();
        assertThat(GrantCheck.servers(new JsonArray().add("junk").add(1), ADVERT)).isEmpty();
    }

    @Test
    void aFloodOfEntriesIsCut() {
        JsonArray grant = new JsonArray();
        for (int i = 0; i < 100; i++) {
            grant.add(entry("turn:198.18.0.7:3478", "u" + i, "p"));
        }
        assertThat(GrantCheck.servers(grant, ADVERT)).hasSize(GrantCheck.MAX_ENTRIES);
    }

    @Test
    void ipv6AdvertsMatchBracketedUrls() {
        HostPort v6 = HostPort.parse("[2001:db8::7]:3478");
        JsonArray grant = new JsonArray().add(entry("turn:[2001:db8::7]:3478?transport=udp", "u", "p"))
                .add(entry("turn:[2001:db8::8]:3478", "u", "p"));
        assertThat(GrantCheck.servers(grant, v6)).hasSize(1);
    }
}

package org.decwebrtc.turn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.turn.policy.PeerPolicy;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnSettingsTest {

    @Test
    void defaultsAreTheSecureOnes() throws Exception {
        TurnSettings s = TurnSettings.fromJson(new JsonObject(), "secret");
        assertThat(s.realm()).isEqualTo("decwebrtc");
        assertThat(s.defaultLifetimeSeconds()).isEqualTo(600);
        assertThat(s.maxLifetimeSeconds()).isEqualTo(3600);
        assertThat(s.relayPortMin()).isEqualTo(49152);
        assertThat(s.relayPortMax()).isEqualTo(65535);
        assertThat(s.bandwidthBytesPerSecond()).isPositive();
        assertThat(s.legacyChannelNumbers()).as("RFC 5766 clients work out of the box").isTrue();
        assertThat(s.maxPermissions()).isEqualTo(1000);
        assertThat(s.maxPeersPerRequest()).isEqualTo(500);
        for (String peer : new String[]{"127.0.0.1", "0.0.0.0", "10.0.0.1", "::1", "::", "169.254.169.254"}) {
            assertThat(s.peerPolicy().allows(InetAddress.getByName(peer))).as(peer).isFalse();
        }
    }

    @Test
    void everyRefusalHasANamedSetting() throws Exception {
        assertThat(TurnSettings.refuseKey(PeerPolicy.Category.LINK_LOCAL)).isEqualTo("refuseLinkLocal");
        assertThat(TurnSettings.refuseKey(PeerPolicy.Category.CGNAT)).isEqualTo("refuseCgnat");
        TurnSettings s = TurnSettings.fromJson(new JsonObject().put("refusePrivate", false)
                .put("allowPeers", new JsonArray().add("127.0.0.0/8")), null);
        assertThat(s.peerPolicy().allows(InetAddress.getByName("192.168.1.2"))).isTrue();
        assertThat(s.peerPolicy().allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(s.peerPolicy().allows(InetAddress.getByName("169.254.1.1"))).isFalse();
    }

    @Test
    void lifetimeDefaultNeverExceedsTheCap() {
        TurnSettings s = TurnSettings.fromJson(new JsonObject().put("defaultLifetime", 7200).put("maxLifetime", 3600), null);
        assertThat(s.defaultLifetimeSeconds()).isEqualTo(3600);
    }

    @Test
    void badValuesAreRejectedWithTheKeyName() {
        assertThatThrownBy(() -> TurnSettings.fromJson(new JsonObject().put("users", new JsonArray().add("nocolon")), null))
                .hasMessageContaining("turn.users");
        assertThatThrownBy(() -> TurnSettings.fromJson(new JsonObject().put("relayPortMin", 6000).put("relayPortMax", 5000), null))
                .hasMessageContaining("turn.relayPortMin");
        assertThatThrownBy(() -> TurnSettings.fromJson(new JsonObject().put("maxAllocations", 0), null))
                .hasMessageContaining("turn.maxAllocations");
        assertThatThrownBy(() -> TurnSettings.fromJson(new JsonObject().put("allowPeers", new JsonArray().add("10.0.0.0/40")), null))
                .hasMessageContaining("10.0.0.0/40");
    }
}

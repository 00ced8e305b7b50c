package org.decwebrtc.turn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.config.ConfigJson;
import org.decwebrtc.api.config.TurnConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnSettingsTest {

    private static TurnSettings settings(JsonObject turn, String secret) {
        return TurnSettings.of(ConfigJson.fromJson(turn, TurnConfig.DEFAULTS, TurnConfig.class), secret);
    }

    @Test
    void defaultsAreTheSecureOnes() throws Exception {
        TurnSettings s = settings(new JsonObject(), "secret");
        assertThat(s.realm()).isEqualTo("decwebrtc");
        assertThat(s.defaultLifetimeSeconds()).isEqualTo(600);
        assertThat(s.maxLifetimeSeconds()).isEqualTo(3600);
        assertThat(s.relayPortMin()).isEqualTo(49152);
        assertThat(s.relayPortMax()).isEqualTo(65535);
        assertThat(s.bandwidthBytesPerSecond()).isEqualTo(2_500_000L);
        assertThat(s.maxAllocationsPerUser()).isEqualTo(20);
        assertThat(s.maxAllocations()).isEqualTo(5000);
        assertThat(s.legacyChannelNumbers()).as("coturn's own client picks from 0x4000-0x7FFF").isTrue();
        assertThat(s.maxPermissions()).isEqualTo(1000);
        assertThat(s.maxPeersPerRequest()).isEqualTo(500);
        for (String peer : new String[]{"127.0.0.1", "0.0.0.0", "10.0.0.1", "::1", "::", "169.254.169.254"}) {
            assertThat(s.peerPolicy().allows(InetAddress.getByName(peer))).as(peer).isFalse();
        }
    }

    @Test
    void everyRefusalHasANamedSetting() throws Exception {
        TurnSettings s = settings(new JsonObject().put("refuse", new JsonObject().put("private", false))
                .put("allowPeers", new JsonArray().add("127.0.0.0/8")), null);
        assertThat(s.peerPolicy().allows(InetAddress.getByName("192.168.1.2"))).isTrue();
        assertThat(s.peerPolicy().allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(s.peerPolicy().allows(InetAddress.getByName("169.254.1.1"))).isFalse();
        TurnSettings linkLocal = settings(new JsonObject().put("refuse", new JsonObject().put("linkLocal", false)), null);
        assertThat(linkLocal.peerPolicy().allows(InetAddress.getByName("169.254.1.1"))).isTrue();
        assertThat(linkLocal.peerPolicy().allows(InetAddress.getByName("10.1.1.1"))).isFalse();
    }

    @Test
    void lifetimeDefaultNeverExceedsTheCap() {
        TurnSettings s = settings(new JsonObject().put("defaultLifetime", 7200).put("maxLifetime", 3600), null);
        assertThat(s.defaultLifetimeSeconds()).isEqualTo(3600);
    }

    @Test
    void strictChannelNumbersAreAChoice() {
        assertThat(settings(new JsonObject().put("channelNumbers", "strict"), null).legacyChannelNumbers()).isFalse();
    }

    @Test
    void badValuesAreRejectedWithTheFlagName() {
        assertThatThrownBy(() -> settings(new JsonObject().put("users", new JsonArray().add("nocolon")), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-turnUser");
        assertThatThrownBy(() -> settings(new JsonObject().put("relayPorts", "6000-5000"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6000-5000");
        assertThatThrownBy(() -> settings(new JsonObject().put("maxAllocations", 0), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-turnQuotaTotal");
        assertThatThrownBy(() -> settings(new JsonObject().put("allowPeers", new JsonArray().add("10.0.0.0/40")), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-turnAllowPeers").hasMessageContaining("10.0.0.0/40");
    }
}

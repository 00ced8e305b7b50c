package org.decwebrtc.api.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.HostPort;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        NodeConfig d = NodeConfig.fromJson(new JsonObject().put("name", "alice"));
        assertThat(d.gossip().port()).isEqualTo(5000);
        assertThat(d.gossip().rtimerSeconds()).isEqualTo(10);
        assertThat(d.gateway().port()).isEqualTo(8080);
        assertThat(d.gateway().bind()).isEqualTo("127.0.0.1");
        assertThat(d.gateway().enabled()).isTrue();
        assertThat(d.stun().port()).isEqualTo(3478);
        assertThat(d.bind()).isEqualTo("0.0.0.0");
        assertThat(d.dataDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".decwebrtc", "alice").toString());
        assertThat(d.verticles()).containsExactly("gossip", "stun", "turn", "gateway");
        assertThat(d.turn().enabled()).isTrue();
        assertThat(d.turn().realm()).isEqualTo("decwebrtc");
        assertThat(d.turn().relayPorts()).isEqualTo(new PortRange(49152, 65535));
        assertThat(d.turn().credentialLifetime()).isEqualTo(3600);
        assertThat(d.turn().bandwidthBytesPerSecond()).isEqualTo(2_500_000L);
        assertThat(d.turn().maxAllocationsPerUser()).isEqualTo(20);
        assertThat(d.turn().maxAllocations()).isEqualTo(5000);
        assertThat(d.turn().channelNumbers()).isEqualTo(ChannelNumbers.LEGACY);
        assertThat(d.turn().refuse()).isEqualTo(PeerRefusals.DEFAULTS);
        assertThat(d.cluster().enabled()).isFalse();
        assertThat(d.cluster().host()).isEqualTo("127.0.0.1");
        assertThat(d.cluster().port()).isEqualTo(5701);
    }

    @Test
    void deploymentJsonRoundTripsEveryField() {
        NodeConfig c = NodeConfig.of("bob", Path.of("/tmp/bob")).withBind("::1")
                .withGossip(new GossipConfig(5001, List.of(HostPort.parse("[::1]:5002"), HostPort.parse("198.18.0.2:5000")), 3))
                .withTurn(TurnConfig.DEFAULTS.withAllowPeers(List.of("198.18.0.0/15")).withRelayPorts(new PortRange(40000, 40100))
                        .withUsers(List.of("u:p:with:colons")))
                .withCluster(ClusterConfig.DEFAULTS.withSecretFile("/run/secrets/cluster").withEnabled(true)
                        .withMembers(List.of("127.0.0.1:5702")));
        JsonObject json = c.toJson();
        assertThat(json.getJsonObject("turn").getString("relayPorts")).isEqualTo("40000-40100");
        assertThat(json.getJsonObject("turn").getString("channelNumbers")).isEqualTo("legacy");
        assertThat(json.getJsonObject("gossip").getJsonArray("peers").getList()).containsExactly("[::1]:5002", "198.18.0.2:5000");
        assertThat(NodeConfig.fromJson(json)).isEqualTo(c);
    }

    @Test
    void partialJsonKeepsTheOtherDefaultsOfASection() {
        NodeConfig c = NodeConfig.fromJson(new JsonObject().put("name", "n").put("turn", new JsonObject().put("realm", "x")
                .put("refuse", new JsonObject().put("private", false))));
        assertThat(c.turn().realm()).isEqualTo("x");
        assertThat(c.turn().refuse().privateRanges()).isFalse();
        assertThat(c.turn().refuse().loopback()).isTrue();
        assertThat(c.turn().maxAllocations()).isEqualTo(5000);
        assertThat(c.gossip()).isEqualTo(GossipConfig.DEFAULTS);
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("gossip", new JsonObject().put("port", 70000))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("-gossipPort must be a port 0-65535, got 70000");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "a b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("-name must be");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("-name is required");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("gossip", new JsonObject().put("rtimerSeconds", 0))))
                .hasMessageStartingWith("-rtimer must be 1-3600");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("verticles", new JsonArray().add("ftp"))))
                .hasMessageContaining("unknown verticle 'ftp'");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("turn", new JsonObject().put("credentialLifetime", 0))))
                .hasMessageStartingWith("-turnCredentialLifetime must be 1-86400");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("turn", new JsonObject().put("bandwidthBytesPerSecond", -1))))
                .hasMessageStartingWith("-turnBandwidth");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("turn", new JsonObject().put("maxAllocationsPerUser", 0))))
                .hasMessageStartingWith("-turnQuotaPerUser");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("turn", new JsonObject().put("channelNumbers", "loose"))))
                .hasMessageContaining("strict or legacy");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("turn", new JsonObject().put("relayPorts", "9-8"))))
                .hasMessageContaining("9-8");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("gossip", new JsonObject().put("peers", new JsonArray().add("nope")))))
                .hasMessageContaining("expected ip:port");
    }

    @Test
    void unknownKeysAreRefusedNotIgnored() {
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("gossipPort", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown config key 'gossipPort'");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("turn", new JsonObject().put("relayPortMin", 1))))
                .hasMessageContaining("unknown config key 'relayPortMin' in 'turn'");
        assertThatThrownBy(() -> NodeConfig.fromJson(new JsonObject().put("name", "n").put("gossip", "5000")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void portRangeAndChannelNumbersParse() {
        assertThat(PortRange.parse(" 1000-2000 ")).isEqualTo(new PortRange(1000, 2000));
        assertThat(PortRange.parse("7-7").size()).isEqualTo(1);
        assertThatThrownBy(() -> PortRange.parse("1000")).hasMessageContaining("a-b");
        assertThatThrownBy(() -> PortRange.parse("0-10")).hasMessageContaining("1 <= min");
        assertThatThrownBy(() -> PortRange.parse("10-70000")).hasMessageContaining("<= 65535");
        assertThatThrownBy(() -> PortRange.parse("-5-10")).hasMessageContaining("a-b");
        assertThat(ChannelNumbers.parse("STRICT")).isEqualTo(ChannelNumbers.STRICT);
        assertThat(ChannelNumbers.parse("legacy")).isEqualTo(ChannelNumbers.LEGACY);
        assertThatThrownBy(() -> ChannelNumbers.parse("")).hasMessageContaining("strict or legacy");
    }
}

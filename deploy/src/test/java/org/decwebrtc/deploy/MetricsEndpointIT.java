package org.decwebrtc.deploy;

import com.google.protobuf.ByteString;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.Hello;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.turn.it.TurnTestClient;
import org.decwebrtc.turn.message.ChannelNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator's Prometheus sees of a relay node ({@code -disableGui}): {@code /metrics} on the management
 * port parses as Prometheus text, and the relay counters move while two TURN clients talk through the relay;
 * {@code /health} answers; SIGTERM stops the node through its verticles.
 */
@Timeout(120)
class MetricsEndpointIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRelaysMetricsParseAsPrometheusTextAndMoveWithRelayedTraffic() throws Exception {
        int stun = TestPorts.free();
        int metrics = TestPorts.free();
        int gossip = TestPorts.free();
        try (NodeProcess relay = NodeProcess.start(dir.resolve("relay.log"), "-name", "relay", "-disableGui",
                "-gossipPort", "" + gossip, "-stunPort", "" + stun, "-metricsPort", "" + metrics,
                "-turnsPort", "0", "-bind", "127.0.0.1", "-turnUser", "u:p", "-turnAllowPeers", "127.0.0.0/8",
                "-dataDir", dir.resolve("relay").toString())) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> get(metrics, "/health").statusCode() == 200);
            HttpResponse<String> health = get(metrics, "/health");
            assertThat(health.body()).contains("\"status\":\"up\"").contains("\"turn\":true");

            Map<String, Double> before = Prometheus.parse(get(metrics, "/metrics").body());
            int packets = 50;
            try (TurnTestClient a = new TurnTestClient(stun).credentials("u", "p");
                 TurnTestClient b = new TurnTestClient(stun).credentials("u", "p")) {
                StunMessage aAlloc = a.allocate();
                StunMessage bAlloc = b.allocate();
                assertThat(TurnTestClient.errorCode(aAlloc)).isZero();
                assertThat(TurnTestClient.errorCode(bAlloc)).isZero();
                InetSocketAddress aRelay = TurnTestClient.relayed(aAlloc);
                InetSocketAddress bRelay = TurnTestClient.relayed(bAlloc);
                assertThat(TurnTestClient.errorCode(a.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4000),
                        XorAddressAttribute.peer(bRelay)))).isZero();
                assertThat(TurnTestClient.errorCode(b.createPermission(aRelay.getAddress().getHostAddress()))).isZero();
                byte[] frame = new byte[4 + 100];
                frame[0] = 0x40;
                frame[3] = 100;
                for (int i = 0; i < packets; i++) {
                    a.socket.send(new DatagramPacket(frame, frame.length, new InetSocketAddress("127.0.0.1", stun)));
                }
                Map<String, Double> during = Prometheus.parse(get(metrics, "/metrics").body());
                assertThat(during.get("turn_allocations_active{node=\"relay\"}")).isEqualTo(2.0);
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    Map<String, Double> now = Prometheus.parse(get(metrics, "/metrics").body());
                    return delta(before, now, "turn_relayed_packets_total{direction=\"to-peer\",node=\"relay\"}") >= packets
                            && delta(before, now, "turn_relayed_packets_total{direction=\"to-client\",node=\"relay\"}") >= packets;
                });
                Map<String, Double> after = Prometheus.parse(get(metrics, "/metrics").body());
                System.out.printf("metrics: relayed to peer +%.0f packets +%.0f bytes, to client +%.0f packets; 401s %.0f%n",
                        delta(before, after, "turn_relayed_packets_total{direction=\"to-peer\",node=\"relay\"}"),
                        delta(before, after, "turn_relayed_bytes_total{direction=\"to-peer\",node=\"relay\"}"),
                        delta(before, after, "turn_relayed_packets_total{direction=\"to-client\",node=\"relay\"}"),
                        after.getOrDefault("turn_refusals_total{code=\"401\",node=\"relay\"}", 0.0));
                assertThat(delta(before, after, "turn_relayed_bytes_total{direction=\"to-peer\",node=\"relay\"}"))
                        .isGreaterThanOrEqualTo(packets * 100.0);
                assertThat(after).containsKey("turn_refusals_total{code=\"401\",node=\"relay\"}");
                assertThat(after).containsKey("decwebrtc_gossip_neighbours{node=\"relay\"}");
                assertThat(after).containsKey("decwebrtc_gossip_routes{node=\"relay\"}");
            }
            // Gossip traffic is counted on the gossip socket: a stranger's Hello draws the relay's Challenge.
            Map<String, Double> beforeHello = Prometheus.parse(get(metrics, "/metrics").body());
            byte[] hello = GossipPacket.newBuilder().setHello(Hello.newBuilder()
                    .setCookie(ByteString.copyFrom(new byte[16])).setPadding(ByteString.copyFrom(new byte[44])))
                    .build().toByteArray();
            try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                stranger.setSoTimeout(10_000);
                stranger.send(new DatagramPacket(hello, hello.length, InetAddress.getLoopbackAddress(), gossip));
                DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                stranger.receive(answer);
                assertThat(GossipPacket.parseFrom(java.util.Arrays.copyOf(answer.getData(), answer.getLength()))
                        .hasChallenge()).isTrue();
                Map<String, Double> afterHello = Prometheus.parse(get(metrics, "/metrics").body());
                System.out.printf("metrics: gossip +%.0f packets +%.0f bytes received, +%.0f packets +%.0f bytes sent%n",
                        delta(beforeHello, afterHello, "decwebrtc_gossip_packets_received_total{node=\"relay\"}"),
                        delta(beforeHello, afterHello, "decwebrtc_gossip_bytes_received_total{node=\"relay\"}"),
                        delta(beforeHello, afterHello, "decwebrtc_gossip_packets_sent_total{node=\"relay\"}"),
                        delta(beforeHello, afterHello, "decwebrtc_gossip_bytes_sent_total{node=\"relay\"}"));
                assertThat(delta(beforeHello, afterHello, "decwebrtc_gossip_packets_received_total{node=\"relay\"}"))
                        .isGreaterThanOrEqualTo(1.0);
                assertThat(delta(beforeHello, afterHello, "decwebrtc_gossip_bytes_received_total{node=\"relay\"}"))
                        .isGreaterThanOrEqualTo(hello.length);
                assertThat(delta(beforeHello, afterHello, "decwebrtc_gossip_packets_sent_total{node=\"relay\"}"))
                        .isGreaterThanOrEqualTo(1.0);
                assertThat(delta(beforeHello, afterHello, "decwebrtc_gossip_bytes_sent_total{node=\"relay\"}"))
                        .isGreaterThanOrEqualTo(answer.getLength());
                assertThat(afterHello.get("decwebrtc_gossip_neighbours{node=\"relay\"}")).isZero();
            }
            // SIGTERM: the shutdown hook undeploys the verticles before the JVM exits.
            ProcessHandle handle = relayHandle(relay);
            handle.destroy();
            await().atMost(Duration.ofSeconds(30)).until(() -> !relay.alive());
            assertThat(relay.log()).contains("relay stopped in");
        }
    }

    private static ProcessHandle relayHandle(NodeProcess relay) {
        return relay.handle();
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A strict reader of the Prometheus text exposition format (0.0.4): {@code # HELP}/{@code # TYPE} comments,
     * then {@code name{label="value",...} number} lines. Any other line fails the test. Keys are the series as
     * written, with labels sorted by name.
     */
    static final class Prometheus {
        private static final Pattern SAMPLE = Pattern.compile(
                "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)(\\s+-?\\d+)?");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
        private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

        static Map<String, Double> parse(String text) {
            Map<String, Double> series = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    assertThat(line).as("comment line").matches(COMMENT);
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                assertThat(m.matches()).as("sample line: %s", line).isTrue();
                List<String> labels = new ArrayList<>();
                if (m.group(3) != null && !m.group(3).isEmpty()) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int end = 0;
                    while (l.find() && l.start() == end) {
                        labels.add(l.group(1) + "=\"" + l.group(2) + "\"");
                        end = l.end();
                    }
                    assertThat(end).as("labels of %s", line).isEqualTo(m.group(3).length());
                }
                labels.sort(null);
                String key = m.group(1) + (labels.isEmpty() ? "" : "{" + String.join(",", labels) + "}");
                series.put(key, Double.parseDouble(m.group(4).replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
            }
            return series;
        }
    }
}

package org.decwebrtc.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.config.ConfigJson;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.config.TurnConfig;
import org.decwebrtc.turn.it.TurnTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TURN with no central authority: a relay hands short-lived credentials over gossip to the users it serves, its
 * TURN refuses the others and expired credentials, and a user's gateway renews them before they run out and
 * pushes them to the open tab.
 */
@Timeout(180)
class TurnOverGossipIT {
    private static final int LIFETIME = 8;
    private static final String SECRET = "relay-secret-for-tests";
    @TempDir
    Path dir;
    private final List<NodeLauncher.RunningNode> nodes = new ArrayList<>();
    private final Vertx client = Vertx.vertx();

    @AfterEach
    void stop() {
        nodes.forEach(n -> n.close().await());
        client.close().await();
    }

    private NodeConfig user(String name, int gossip, int gui, int relayGossip) {
        return LocalConfig.local(name, gossip, gui, TestPorts.free(), List.of("127.0.0.1:" + relayGossip), 10,
                dir.resolve(name));
    }

    @Test
    void relayGrantsServedUsersRefusesOthersAndCredentialsAreRenewedBeforeExpiry() throws Exception {
        int relayGossip = TestPorts.free();
        relayStun = TestPorts.free();
        NodeConfig relay = LocalConfig.local("relay", relayGossip, 0, relayStun, List.of(), 10, dir.resolve("relay"))
                .withVerticles(List.of("gossip", "turn"));
        relay = relay.withTurn(ConfigJson.fromJson(new JsonObject().put("secret", SECRET).put("relayPorts", "43000-43999")
                .put("allowPeers", new JsonArray().add("127.0.0.0/8")).put("serveUsers", new JsonArray().add("alice"))
                .put("credentialLifetime", LIFETIME), relay.turn(), TurnConfig.class));
        nodes.add(NodeLauncher.launch(relay).await());
        int aliceGui = TestPorts.free();
        nodes.add(NodeLauncher.launch(user("alice", TestPorts.free(), aliceGui, relayGossip)).await());
        nodes.add(NodeLauncher.launch(user("bob", TestPorts.free(), TestPorts.free(), relayGossip)).await());

        // alice's tab: the gateway pushes ice servers whenever the relay grants (or renews) credentials.
        List<JsonObject> pushed = new CopyOnWriteArrayList<>();
        WebSocketClient ws = client.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustAll(true)
                .setVerifyHost(false));
        WebSocket tab = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(aliceGui).setSsl(true)
                .setURI("/ws?k=" + GuiToken.read(dir.resolve("alice"))).addHeader("Origin", "https://127.0.0.1:" + aliceGui))
                .await();
        tab.textMessageHandler(text -> {
            JsonObject m = new JsonObject(text);
            if ("ice-servers".equals(m.getString("type"))) {
                pushed.add(m);
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> relayEntry(pushed).isPresent());
        JsonObject first = relayEntry(pushed).orElseThrow();
        assertThat(first.getString("username")).endsWith(":alice");
        long firstExpiry = Long.parseLong(first.getString("username").split(":")[0]);
        System.out.printf("turn over gossip: alice got %s from the relay%n", first.getJsonArray("urls"));

        // The granted credentials work on the relay's TURN...
        try (TurnTestClient turn = new TurnTestClient(relayStun)) {
            turn.credentials(first.getString("username"), first.getString("credential"));
            assertThat(TurnTestClient.errorCode(turn.allocate())).isZero();
        }
        // ...but credentials for a user the relay does not serve are refused, even when correctly signed,
        try (TurnTestClient turn = new TurnTestClient(relayStun)) {
            String bobName = (System.currentTimeMillis() / 1000 + 600) + ":bob";
            turn.credentials(bobName, rest(bobName));
            assertThat(TurnTestClient.errorCode(turn.allocate())).isEqualTo(401);
        }
        // ...and so are expired ones.
        try (TurnTestClient turn = new TurnTestClient(relayStun)) {
            String old = (System.currentTimeMillis() / 1000 - 5) + ":alice";
            turn.credentials(old, rest(old));
            assertThat(TurnTestClient.errorCode(turn.allocate())).isEqualTo(401);
        }

        // Renewal: new credentials reach the tab before the first ones expire.
        await().atMost(Duration.ofSeconds(LIFETIME + 2)).pollInterval(Duration.ofMillis(100)).until(() ->
                relayEntry(pushed).map(e -> !e.getString("username").equals(first.getString("username"))).orElse(false));
        long renewedAt = System.currentTimeMillis();
        JsonObject renewed = relayEntry(pushed).orElseThrow();
        assertThat(renewedAt).isLessThan(firstExpiry * 1000);
        System.out.printf("turn over gossip: renewed %d ms before the first credential expired (lifetime %d s)%n",
                firstExpiry * 1000 - renewedAt, LIFETIME);
        try (TurnTestClient turn = new TurnTestClient(relayStun)) {
            turn.credentials(renewed.getString("username"), renewed.getString("credential"));
            assertThat(TurnTestClient.errorCode(turn.allocate())).isZero();
        }
        tab.close().await();
    }

    /**
     * Who a node serves by default: a stranger (a fresh gossip name with nothing to do with anyone) asks a
     * user's node and a relay node for TURN credentials with a signed gossip request. The user's node (GUI on,
     * serving its own calls only) refuses; the relay node (no GUI, relaying is its job) grants credentials that
     * work on its TURN.
     */
    @Test
    void aStrangerIsRefusedByAUserNodeAndServedByARelayNode() throws Exception {
        int relayGossip = TestPorts.free();
        relayStun = TestPorts.free();
        nodes.add(NodeLauncher.launch(LocalConfig.local("relay", relayGossip, 0, relayStun, List.of(), 10,
                dir.resolve("relay"))).await());
        int carolGossip = TestPorts.free();
        nodes.add(NodeLauncher.launch(user("carol", carolGossip, TestPorts.free(), relayGossip)).await());
        NodeLauncher.RunningNode stranger = NodeLauncher.launch(LocalConfig.local("stranger", TestPorts.free(), 0,
                TestPorts.free(), List.of("127.0.0.1:" + relayGossip, "127.0.0.1:" + carolGossip), 10,
                dir.resolve("stranger"))).await();
        nodes.add(stranger);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonObject d = stranger.vertx().eventBus().<JsonObject>request(
                    org.decwebrtc.api.Addresses.directoryGet("stranger"), new JsonObject()).await().body();
            return org.decwebrtc.api.Directory.fromJson(d).users().stream().map(org.decwebrtc.api.UserEntry::name)
                    .collect(java.util.stream.Collectors.toSet()).containsAll(List.of("relay", "carol"));
        });
        java.util.Map<String, org.decwebrtc.api.TurnCredentialGrant> answers = new java.util.concurrent.ConcurrentHashMap<>();
        stranger.vertx().eventBus().<JsonObject>consumer(org.decwebrtc.api.Addresses.signalReceived("stranger"), m -> {
            org.decwebrtc.api.SignalEnvelope e = org.decwebrtc.api.SignalEnvelope.fromReceivedJson(m.body());
            if (e.signal() != null && org.decwebrtc.api.SignalTypes.TURN_CREDENTIAL_GRANT.equals(e.signal().getString("type"))) {
                answers.put(e.peer(), org.decwebrtc.api.TurnCredentialGrant.fromSignal(e.signal()));
            }
        }).completion().await();
        for (String node : List.of("relay", "carol")) {
            stranger.vertx().eventBus().request(org.decwebrtc.api.Addresses.signalSend("stranger"),
                    new org.decwebrtc.api.SignalEnvelope(node, org.decwebrtc.api.TurnCredentialGrant.requestSignal())
                            .toSendJson()).await();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> answers.size() == 2);
        System.out.println("stranger's TURN credential requests: relay -> "
                + (answers.get("relay").isRefusal() ? "refused" : "granted") + ", carol -> " + answers.get("carol").refused());
        assertThat(answers.get("carol").isRefusal()).as("a user's node serves only its own calls").isTrue();
        org.decwebrtc.api.TurnCredentialGrant granted = answers.get("relay");
        assertThat(granted.isRefusal()).as("a relay node serves everyone").isFalse();
        JsonObject server = granted.iceServers().getJsonObject(0);
        try (TurnTestClient turn = new TurnTestClient(relayStun)) {
            turn.credentials(server.getString("username"), server.getString("credential"));
            assertThat(TurnTestClient.errorCode(turn.allocate())).isZero();
        }
    }

    /** The relay's TURN entry in the latest ice servers pushed to the tab (the relay's port is in the URL). */
    private Optional<JsonObject> relayEntry(List<JsonObject> pushed) {
        if (pushed.isEmpty()) {
            return Optional.empty();
        }
        JsonArray servers = pushed.get(pushed.size() - 1).getJsonArray("iceServers");
        return servers.stream().map(o -> (JsonObject) o)
                .filter(s -> s.getString("username") != null && s.getString("username").endsWith(":alice"))
                .filter(s -> s.getValue("urls").toString().contains(":" + relayStun))
                .findFirst();
    }

    private int relayStun;

    private static String rest(String username) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes()));
    }
}

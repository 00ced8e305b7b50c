package org.decwebrtc.turn.it;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.IceServers;
import org.decwebrtc.api.ServiceAdvert;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.turn.SecretFile;
import org.decwebrtc.turn.TurnVerticle;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decwebrtc.turn.it.TurnTestClient.errorCode;

/** The verticle as the node uses it: Binding on the TURN port, ice.servers, the secret file, the gossip advert. */
class TurnVerticleTest {

    @Test
    void answersBindingOnTheTurnPort() throws Exception {
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn());
             TurnTestClient c = new TurnTestClient(node.port)) {
            StunMessage r = c.transact(StunMessage.builder(MessageType.BINDING, MessageType.REQUEST).build(), null);
            assertThat(errorCode(r)).isZero();
            XorAddressAttribute mapped = (XorAddressAttribute) r.get(org.decwebrtc.stun.message.AttributeType.XOR_MAPPED_ADDRESS);
            assertThat(mapped.address().getPort()).isEqualTo(c.socket.getLocalPort());
            assertThat(node.stats().getLong("bindingRequests")).isEqualTo(1);
            // The same counter is visible to an operator's Micrometer registry.
            assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.get("turn.binding.requests")
                    .tag("node", node.name).counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void iceServersHandOutWorkingEphemeralCredentials() throws Exception {
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn().put("credentialLifetime", 120))) {
            long askedAt = System.currentTimeMillis() / 1000;
            JsonObject reply = node.request(Addresses.iceServers(node.name), new JsonObject().put("user", "dave"));
            long answeredAt = System.currentTimeMillis() / 1000;
            JsonArray servers = IceServers.fromJson(reply).servers();
            String hp = "127.0.0.1:" + node.port;
            assertThat(servers.getJsonObject(0).getJsonArray("urls").getList()).containsExactly("stun:" + hp);
            JsonObject turn = servers.getJsonObject(1);
            assertThat(turn.getJsonArray("urls").getList())
                    .containsExactly("turn:" + hp + "?transport=udp", "turn:" + hp + "?transport=tcp",
                            "turns:127.0.0.1:" + node.stats().getInteger("tlsPort") + "?transport=tcp");
            String username = turn.getString("username");
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            assertThat(expiry).as("issued with a 120 s lifetime").isBetween(askedAt + 120, answeredAt + 120);
            assertThat(username).endsWith(":dave");
            try (TurnTestClient c = new TurnTestClient(node.port).credentials(username, turn.getString("credential"))) {
                assertThat(errorCode(c.allocate())).isZero();
            }
            // Credentials the node did not sign, and signed ones that have expired, are refused.
            try (TurnTestClient c = new TurnTestClient(node.port).credentials(username, "forged")) {
                assertThat(errorCode(c.allocate())).isEqualTo(401);
            }
            try (TurnTestClient c = new TurnTestClient(node.port).credentials("1000:dave", "anything")) {
                assertThat(errorCode(c.allocate())).isEqualTo(401);
            }
            Throwable bad = node.vertx.eventBus().request(Addresses.iceServers(node.name), new JsonObject())
                    .toCompletionStage().toCompletableFuture().handle((m, e) -> e).get(5, TimeUnit.SECONDS);
            assertThat(bad).isNotNull().hasMessageContaining("user");
        }
    }

    @Test
    void freshEphemeralCredentialsDoNotBuyMoreThanTheUserQuota() throws Exception {
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn().put("maxAllocationsPerUser", 2));
             TurnTestClient a = new TurnTestClient(node.port);
             TurnTestClient b = new TurnTestClient(node.port);
             TurnTestClient c = new TurnTestClient(node.port)) {
            int i = 0;
            for (TurnTestClient client : new TurnTestClient[]{a, b, c}) {
                // A different lifetime each time, so each credential (expiry:frank) is a different USERNAME.
                JsonObject turn = IceServers.fromJson(node.request(Addresses.iceServers(node.name),
                        new JsonObject().put("user", "frank"))).servers().getJsonObject(1);
                String username = turn.getString("username");
                String shifted = (Long.parseLong(username.substring(0, username.indexOf(':'))) + i++) + ":frank";
                client.credentials(shifted, restPassword(node, shifted));
            }
            assertThat(errorCode(a.allocate())).isZero();
            assertThat(errorCode(b.allocate())).isZero();
            assertThat(errorCode(c.allocate())).isEqualTo(486);
        }
    }

    /** The REST password for an arbitrary username, computed from the node's secret file as a client would. */
    /** The first service advert {@code node} sends to gossip, answered as gossip would answer it. */
    private static CompletableFuture<JsonObject> firstAdvert(Vertx vertx, String node) {
        CompletableFuture<JsonObject> advert = new CompletableFuture<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.advertise(node), m -> {
            advert.complete(m.body());
            m.reply(new JsonObject().put("ok", true));
        });
        return advert;
    }

    private static String restPassword(TurnNode node, String username) throws Exception {
        String secret = Files.readString(node.dataDir.resolve(SecretFile.NAME)).trim();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
        return java.util.Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void generatedSecretIsPrivateAndSurvivesRestart() throws Exception {
        Path dir;
        String firstCredential;
        String username;
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn())) {
            dir = node.dataDir;
            Path file = dir.resolve(SecretFile.NAME);
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            JsonObject turn = IceServers.fromJson(node.request(Addresses.iceServers(node.name),
                    new JsonObject().put("user", "erin"))).servers().getJsonObject(1);
            firstCredential = turn.getString("credential");
            username = turn.getString("username");
        }
        String secret = Files.readString(dir.resolve(SecretFile.NAME)).trim();
        assertThat(SecretFile.loadOrCreate(dir)).isEqualTo(secret);
        // A second node on the same data directory accepts credentials issued by the first.
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject config = TurnNode.config("restart", dir, TurnNode.loopbackTurn());
            vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            int port = vertx.eventBus().<JsonObject>request(Addresses.turnStats("restart"), new JsonObject())
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body().getInteger("port");
            try (TurnTestClient c = new TurnTestClient(port).credentials(username, firstCredential)) {
                assertThat(errorCode(c.allocate())).isZero();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void advertisesStunAndTurnToGossipAndSurvivesItsAbsence() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<JsonObject> advert = firstAdvert(vertx, "adv");
            JsonObject config = TurnNode.config("adv", Files.createTempDirectory("turn-adv"), TurnNode.loopbackTurn());
            vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            ServiceAdvert got = ServiceAdvert.fromJson(advert.get(5, TimeUnit.SECONDS));
            assertThat(got.stun()).startsWith("127.0.0.1:");
            assertThat(got.turn()).isEqualTo(got.stun());
            // Without a gossip verticle the node still starts and serves.
            JsonObject config2 = config.copy().put("name", "lonely");
            vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config2))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(vertx.eventBus().<JsonObject>request(Addresses.turnStats("lonely"), new JsonObject())
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body().getInteger("port")).isPositive();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIpv6BindIsAdvertisedWithOnePairOfBrackets() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<JsonObject> advert = firstAdvert(vertx, "v6");
            JsonObject config = TurnNode.config("v6", Files.createTempDirectory("turn-v6"), TurnNode.loopbackTurn()
                    .put("tls", new JsonObject().put("port", 0))).put("bind", "::1");
            vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            ServiceAdvert got = ServiceAdvert.fromJson(advert.get(5, TimeUnit.SECONDS));
            assertThat(got.stun()).matches("\\[::1]:\\d+");
            JsonArray servers = IceServers.fromJson(vertx.eventBus().<JsonObject>request(Addresses.iceServers("v6"),
                    new JsonObject().put("user", "dave")).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).body()).servers();
            assertThat(servers.getJsonObject(0).getJsonArray("urls").getString(0)).isEqualTo("stun:" + got.stun());
            assertThat(servers.getJsonObject(1).getJsonArray("urls").getString(0))
                    .isEqualTo("turn:" + got.stun() + "?transport=udp");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void badConfigurationFailsTheDeploymentWithAReason() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject config = TurnNode.config("bad", null, new JsonObject().put("secret", "0123456789abcdef0123").put("allowPeers", new JsonArray().add("lan")));
            Throwable e = vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config))
                    .toCompletionStage().toCompletableFuture().handle((id, err) -> err).get(20, TimeUnit.SECONDS);
            assertThat(e).isNotNull().hasMessageContaining("bad CIDR 'lan'");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}

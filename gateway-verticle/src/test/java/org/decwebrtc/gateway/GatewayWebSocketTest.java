package org.decwebrtc.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.UserEntry;
import org.decwebrtc.api.config.GatewayConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.gateway.access.AccessToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gateway seen by a non-browser client, as an attacker's local program would see it: the UI is served from the
 * classpath to anyone, but the status API and the tab's WebSocket need the per-start token (and the WebSocket a
 * matching Origin), only the gateway's own host names are answered, one tab at a time, messages within limits,
 * and a silent tab is let go. Gossip is a stand-in answering the directory request on the event bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayWebSocketTest {
    private static final long IDLE_MILLIS = 1500;
    private Path dir;
    private Vertx vertx;
    private WebClient http;
    private WebSocketClient ws;
    private int port;
    private String token;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("decwebrtc-gw");
        vertx = Vertx.vertx();
        vertx.eventBus().<JsonObject>consumer(Addresses.directoryGet("carol"),
                m -> m.reply(new Directory("carol", List.of(), List.of(new UserEntry("dave", "127.0.0.1:1", 1, null,
                        null, "d".repeat(64))), "c".repeat(64)).toJson()));
        NodeConfig config = NodeConfig.of("carol", dir).withGateway(
                new GatewayConfig(true, 0, "127.0.0.1", List.of("carol.example")));
        GatewayVerticle gateway = new GatewayVerticle(IDLE_MILLIS);
        vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config.toJson())).await(20, TimeUnit.SECONDS);
        String url = gateway.guiUrl();
        assertThat(url).matches("https://127\\.0\\.0\\.1:\\d+/#k=[A-Za-z0-9_-]{43}");
        port = Integer.parseInt(url.replaceAll("^https://127\\.0\\.0\\.1:(\\d+)/.*$", "$1"));
        token = Files.readString(dir.resolve(AccessToken.FILE)).trim();
        assertThat(url).endsWith("#k=" + token);
        http = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        ws = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustAll(true)
                .setVerifyHost(false).setMaxFrameSize(4 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private HttpResponse<Buffer> get(String path) throws Exception {
        return send(http.get(port, "127.0.0.1", path));
    }

    private static HttpResponse<Buffer> send(HttpRequest<Buffer> request) throws Exception {
        return request.send().await(10, TimeUnit.SECONDS);
    }

    private JsonObject status() throws Exception {
        HttpResponse<Buffer> response = get("/api/node?k=" + token);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    @Test
    void servesTheUiFromTheClasspathWithoutCachingAndWithoutAToken() throws Exception {
        HttpResponse<Buffer> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.getHeader("content-type")).startsWith("text/html");
        assertThat(index.getHeader("cache-control")).isEqualTo("no-store");
        assertThat(index.getHeader("content-security-policy")).contains("default-src 'self'");
        assertThat(index.bodyAsString()).contains("data-testid=\"call-state\"", "js/ui.js")
                .doesNotContain("http://", "https://");
        for (String module : List.of("/js/ui.js", "/js/signaling.js", "/js/call.js", "/js/chat.js", "/js/files.js",
                "/js/sha256.js", "/css/app.css")) {
            HttpResponse<Buffer> file = get(module);
            assertThat(file.statusCode()).as(module).isEqualTo(200);
            assertThat(file.bodyAsString()).as(module).isNotBlank()
                    .as(module + " loads nothing from the internet").doesNotContain("http://", "https://", "//cdn");
            if (module.endsWith(".js")) {
                assertThat(file.getHeader("content-type")).as(module).contains("javascript");
            }
        }
        assertThat(get("/js/").statusCode()).as("no directory listing").isNotEqualTo(200);
    }

    @Test
    void statusApiTakesTheTokenAsQueryOrBearerAndRefusesWithoutIt() throws Exception {
        JsonObject status = status();
        assertThat(status.getString("name")).isEqualTo("carol");
        assertThat(status.getJsonArray("peers")).isNotNull();
        assertThat(status.getJsonArray("users")).isNotNull();
        assertThat(status.getBoolean("gui")).isFalse();
        assertThat(status.getJsonObject("call").getString("state")).isEqualTo("idle");
        assertThat(status.getJsonObject("call").containsKey("with")).isTrue();
        assertThat(status.getJsonObject("call").containsKey("since")).isTrue();

        assertThat(send(http.get(port, "127.0.0.1", "/api/node").bearerTokenAuthentication(token)).statusCode())
                .isEqualTo(200);
        HttpResponse<Buffer> none = get("/api/node");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.bodyAsString()).contains("token").doesNotContain(token);
        assertThat(get("/api/node?k=" + token.substring(1)).statusCode()).isEqualTo(403);
        assertThat(get("/api/node?k=").statusCode()).isEqualTo(403);
        assertThat(get("/api/anything-else").statusCode()).isEqualTo(403);
        assertThat(send(http.get(port, "127.0.0.1", "/api/node").bearerTokenAuthentication("x" + token)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aWebSocketWithAMatchingOriginButNoTokenIsRefused() {
        for (String uri : List.of("/ws", "/ws?k=", "/ws?k=wrong-token-wrong-token", "/ws?K=" + token)) {
            assertRefused(() -> connect(uri, origin(), new CopyOnWriteArrayList<>()), uri);
        }
    }

    @Test
    void refusesAWebSocketFromAForeignOriginEvenWithTheToken() {
        for (String origin : List.of("https://evil.example", "http://127.0.0.1:" + port,
                "https://127.0.0.1:" + (port + 1))) {
            assertRefused(() -> connect("/ws?k=" + token, origin, new CopyOnWriteArrayList<>()), origin);
        }
    }

    @Test
    void aRequestForAnotherHostNameIsRefused() throws Exception {
        for (String path : List.of("/", "/js/ui.js", "/api/node?k=" + token)) {
            HttpResponse<Buffer> response = send(http.get(port, "127.0.0.1", path).putHeader("Host", "evil.example"));
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(response.bodyAsString()).contains("-guiHosts");
            assertThat(send(http.get(port, "127.0.0.1", path).putHeader("Host", "evil.example:" + port)).statusCode())
                    .as(path).isEqualTo(403);
        }
        // A page of evil.example rebound to 127.0.0.1 sends its own name as Host and a matching Origin.
        assertRefused(() -> ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                        .setURI("/ws?k=" + token).putHeader("Host", "evil.example:" + port)
                        .addHeader("Origin", "https://evil.example:" + port))
                .await(10, TimeUnit.SECONDS), "rebound WebSocket");
        for (String host : List.of("localhost:" + port, "LOCALHOST", "127.0.0.1", "[::1]:" + port, "carol.example:" + port)) {
            assertThat(send(http.get(port, "127.0.0.1", "/").putHeader("Host", host)).statusCode()).as(host).isEqualTo(200);
        }
    }

    @Test
    void oneTabOnlyAndBadMessagesGetAnErrorWhileTheSocketStaysUp() throws Exception {
        List<JsonObject> first = new CopyOnWriteArrayList<>();
        WebSocket tab = connect("/ws?k=" + token, origin(), first);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.stream().anyMatch(m -> "hello".equals(m.getString("type"))));
        assertThat(status().getBoolean("gui")).isTrue();

        // A second tab hears "already open" and is closed; the first keeps the node.
        List<JsonObject> second = new CopyOnWriteArrayList<>();
        WebSocket other = connect("/ws?k=" + token, origin(), second);
        await().atMost(Duration.ofSeconds(5)).until(other::isClosed);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).getString("type")).isEqualTo("already-open");
        assertThat(second.get(0).getString("message")).contains("already open");

        byte[] garbage = new byte[1024 * 1024];
        new SecureRandom().nextBytes(garbage);
        tab.writeBinaryMessage(Buffer.buffer(garbage));
        tab.writeTextMessage("x".repeat(1024 * 1024));
        tab.writeTextMessage("{not json");
        tab.writeTextMessage("{\"type\":\"teleport\"}");
        tab.writeTextMessage("{\"type\":\"call\",\"to\":42}");
        tab.writeTextMessage("{\"type\":\"offer\",\"sdp\":\"v=0\",\"call\":\"0123456789abcdef0123456789abcdef\"}");
        tab.writeTextMessage("{\"type\":\"ping\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> first.stream().anyMatch(m -> "pong".equals(m.getString("type"))));
        List<String> errors = first.stream().filter(m -> "error".equals(m.getString("type")))
                .map(m -> m.getString("message")).toList();
        assertThat(errors).hasSize(6);
        assertThat(errors.get(0)).contains("binary");
        assertThat(errors.get(1)).contains("too large");
        assertThat(errors.get(2)).contains("malformed");
        assertThat(errors.get(3)).contains("unknown message type");
        assertThat(errors.get(4)).contains("call");
        assertThat(errors.get(5)).contains("no call in progress");
        assertThat(tab.isClosed()).isFalse();

        // Adding a peer is validated with a clear reason.
        tab.writeTextMessage(new JsonObject().put("type", "add-peer").put("peer", "not a peer").encode());
        await().atMost(Duration.ofSeconds(5)).until(() -> first.stream()
                .anyMatch(m -> "error".equals(m.getString("type")) && m.getString("message").contains("cannot add peer")));

        tab.close().await(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !status().getBoolean("gui"));
    }

    @Test
    void verifyingAUserIsShownAndKeptInTheDataDirectory() throws Exception {
        List<JsonObject> got = new CopyOnWriteArrayList<>();
        WebSocket tab = connect("/ws?k=" + token, origin(), got);
        await().atMost(Duration.ofSeconds(5)).until(() -> dave(got) != null);
        assertThat(dave(got).getString("safetyNumber")).matches("(\\d{5} ){5}\\d{5}");
        assertThat(dave(got).getBoolean("verified")).isFalse();
        tab.writeTextMessage(new JsonObject().put("type", "verify").put("name", "dave").encode());
        await().atMost(Duration.ofSeconds(5)).failFast(() -> got.stream().anyMatch(m -> "error".equals(m.getString("type")))).until(() -> dave(got).getBoolean("verified"));
        assertThat(Files.readString(dir.resolve("contact-keys.json"))).contains("\"verified\"");
        assertThat(status().getJsonArray("users").getJsonObject(0).getBoolean("verified")).isTrue();
        tab.close().await(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !status().getBoolean("gui"));
    }

    private static JsonObject dave(List<JsonObject> messages) {
        JsonObject last = null;
        for (JsonObject m : messages) {
            if ("directory".equals(m.getString("type")) && !m.getJsonArray("users").isEmpty()) {
                last = m.getJsonArray("users").getJsonObject(0);
            }
        }
        return last;
    }

    /**
     * A tab that upgrades and then says nothing, not even the pong every browser sends by itself, is closed after
     * the idle time, so the node can be opened again (a raw TLS socket: Vert.x's client would answer pings).
     */
    @Test
    void aSilentTabIsClosedAfterTheIdleTime() throws Exception {
        long opened = System.nanoTime();
        NetSocket raw = vertx.createNetClient(new NetClientOptions().setSsl(true).setTrustAll(true)
                .setHostnameVerificationAlgorithm("")).connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
        StringBuilder received = new StringBuilder();
        raw.handler(b -> received.append(b.toString(StandardCharsets.ISO_8859_1)));
        raw.write("GET /ws?k=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nOrigin: " + origin() + "\r\n\r\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.toString().startsWith("HTTP/1.1 101"));
        // The gateway sends the silent tab a close frame (code 4002, "idle") and lets the node be opened again.
        String closeFrame = "\u0088\u0006\u000f\u00a2idle"; // FIN+close, 6 bytes: 4002 then "idle"
        await().atMost(Duration.ofSeconds(30)).until(() -> received.toString().contains(closeFrame));
        long millis = (System.nanoTime() - opened) / 1_000_000;
        assertThat(status().getBoolean("gui")).isFalse();
        System.out.printf("gateway: silent tab let go after %d ms (idle limit %d ms)%n", millis, IDLE_MILLIS);
        assertThat(millis).as("not closed before the idle time").isGreaterThanOrEqualTo(IDLE_MILLIS);
        raw.close();
    }

    private String origin() {
        return "https://127.0.0.1:" + port;
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable connect, String what) {
        assertThatThrownBy(connect).as(what)
                .satisfies(e -> {
                    Throwable root = e;
                    while (root.getCause() != null && !(root instanceof UpgradeRejectedException)) {
                        root = root.getCause();
                    }
                    assertThat(root).isInstanceOf(UpgradeRejectedException.class);
                    assertThat(((UpgradeRejectedException) root).getStatus()).isEqualTo(403);
                });
    }

    /** Connects and collects the text messages; the handler is set on the event loop so none is missed. */
    private WebSocket connect(String uri, String origin, List<JsonObject> received) throws Exception {
        return ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                        .setURI(uri).addHeader("Origin", origin))
                .map(socket -> socket.textMessageHandler(t -> received.add(new JsonObject(t))))
                .await(10, TimeUnit.SECONDS);
    }
}

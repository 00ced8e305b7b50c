package org.decwebrtc.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gateway seen by a non-browser client: the UI is served from the classpath (as from the jar), the status API
 * has its fields, and the WebSocket enforces Origin, the single-tab rule and message limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayWebSocketTest {
    private Path dir;
    private TestNodes.Node carol;
    private Vertx vertx;
    private WebClient http;
    private WebSocketClient ws;

    @BeforeAll
    void start() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("decwebrtc-gw");
        carol = TestNodes.start("carol", FreePorts.tcpAndUdp(), List.of(), dir.resolve("carol"));
        vertx = Vertx.vertx();
        http = TestNodes.client(vertx);
        ws = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustAll(true)
                .setVerifyHost(false).setMaxFrameSize(4 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        TestNodes.stop(carol);
        TestNodes.deleteTree(dir);
    }

    @Test
    void servesTheUiFromTheClasspathWithoutCaching() throws Exception {
        HttpResponse<Buffer> index = TestNodes.get(http, carol, "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.getHeader("content-type")).startsWith("text/html");
        assertThat(index.getHeader("cache-control")).isEqualTo("no-store");
        assertThat(index.getHeader("content-security-policy")).contains("default-src 'self'");
        assertThat(index.bodyAsString()).contains("data-testid=\"call-state\"", "js/ui.js")
                .doesNotContain("http://", "https://");
        for (String module : List.of("/js/ui.js", "/js/signaling.js", "/js/call.js", "/js/chat.js", "/js/files.js",
                "/js/sha256.js", "/css/app.css")) {
            HttpResponse<Buffer> file = TestNodes.get(http, carol, module);
            assertThat(file.statusCode()).as(module).isEqualTo(200);
            assertThat(file.bodyAsString()).as(module).isNotBlank()
                    .as(module + " loads nothing from the internet").doesNotContain("http://", "https://", "//cdn");
            if (module.endsWith(".js")) {
                assertThat(file.getHeader("content-type")).as(module).contains("javascript");
            }
        }
        assertThat(TestNodes.get(http, carol, "/js/").statusCode()).as("no directory listing").isNotEqualTo(200);
    }

    @Test
    void statusApiKeepsItsFieldsAndAddsTabAndCall() {
        JsonObject status = TestNodes.status(http, carol);
        assertThat(status.getString("name")).isEqualTo("carol");
        assertThat(status.getJsonArray("peers")).isNotNull();
        assertThat(status.getJsonArray("users")).isNotNull();
        assertThat(status.getBoolean("gui")).isFalse();
        assertThat(status.getJsonObject("call").getString("state")).isEqualTo("idle");
        assertThat(status.getJsonObject("call").containsKey("with")).isTrue();
        assertThat(status.getJsonObject("call").containsKey("since")).isTrue();
        // The same view for other verticles, over the event bus.
        JsonObject state = carol.running().vertx().eventBus()
                .<JsonObject>request(org.decwebrtc.api.Addresses.gatewayState("carol"), new JsonObject())
                .toCompletionStage().toCompletableFuture().join().body();
        assertThat(state.getBoolean("gui")).isFalse();
        assertThat(state.getJsonObject("call").getString("state")).isEqualTo("idle");
    }

    @Test
    void refusesAWebSocketFromAForeignOrigin() {
        for (String origin : List.of("https://evil.example", "http://127.0.0.1:" + carol.guiPort(),
                "https://127.0.0.1:" + (carol.guiPort() + 1))) {
            assertThatThrownBy(() -> connect(origin, new CopyOnWriteArrayList<>()))
                    .as(origin)
                    .hasRootCauseInstanceOf(UpgradeRejectedException.class)
                    .rootCause().satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(403));
        }
        assertThat(TestNodes.status(http, carol).getBoolean("gui")).isFalse();
    }

    @Test
    void oneTabOnlyAndBadMessagesGetAnErrorWhileTheSocketStaysUp() throws Exception {
        List<JsonObject> first = new CopyOnWriteArrayList<>();
        WebSocket tab = connect(carol.origin(), first);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.stream().anyMatch(m -> "hello".equals(m.getString("type"))));
        assertThat(TestNodes.status(http, carol).getBoolean("gui")).isTrue();

        // A second tab hears "already open" and is closed; the first keeps the node.
        List<JsonObject> second = new CopyOnWriteArrayList<>();
        WebSocket other = connect(carol.origin(), second);
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
        tab.writeTextMessage("{\"type\":\"ping\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> first.stream().anyMatch(m -> "pong".equals(m.getString("type"))));
        List<String> errors = first.stream().filter(m -> "error".equals(m.getString("type")))
                .map(m -> m.getString("message")).toList();
        assertThat(errors).hasSize(5);
        assertThat(errors.get(0)).contains("binary");
        assertThat(errors.get(1)).contains("too large");
        assertThat(errors.get(2)).contains("malformed");
        assertThat(errors.get(3)).contains("unknown message type");
        assertThat(errors.get(4)).contains("call");
        assertThat(tab.isClosed()).isFalse();

        // Adding a peer is validated with a clear reason.
        tab.writeTextMessage(new JsonObject().put("type", "add-peer").put("peer", "not a peer").encode());
        await().atMost(Duration.ofSeconds(5)).until(() -> first.stream()
                .anyMatch(m -> "error".equals(m.getString("type")) && m.getString("message").contains("cannot add peer")));

        tab.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !TestNodes.status(http, carol).getBoolean("gui"));
        assertThat(TestNodes.get(http, carol, "/").statusCode()).isEqualTo(200);
    }

    /** Connects and collects the text messages; the handler is set on the event loop so none is missed. */
    private WebSocket connect(String origin, List<JsonObject> received) throws Exception {
        return ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(carol.guiPort()).setSsl(true)
                        .setURI("/ws").addHeader("Origin", origin))
                .map(socket -> socket.textMessageHandler(t -> received.add(new JsonObject(t))))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

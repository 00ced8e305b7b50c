package org.decwebrtc.turn.it;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Must-show 3: headless Chromium, iceTransportPolicy "relay", our TURN URL with ephemeral credentials from
 * ice.servers: two peer connections in one page connect through our relay and video frames are decoded.
 * Over UDP and over TCP to the TURN server.
 */
class ChromiumRelayTest {
    static TurnNode node;
    static HttpServer http;
    static ChromeDriver driver;
    static ChromeDriverService service;

    @BeforeAll
    static void start() throws Exception {
        // Both relayed addresses are on 127.0.0.1, so the allow-list must open loopback for the two relays to meet.
        node = TurnNode.start(TurnNode.loopbackTurn().put("relayPorts", "48000-48099"));
        String page;
        try (InputStream in = ChromiumRelayTest.class.getResourceAsStream("/relay-page/index.html")) {
            page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String html = page;
        // http://127.0.0.1 is a secure context, so getUserMedia works without TLS.
        http = node.vertx.createHttpServer().requestHandler(r -> r.response().putHeader("content-type", "text/html").end(html))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        Path profile = Files.createTempDirectory("turn-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-gpu", "--ignore-certificate-errors",
                "--user-data-dir=" + profile);
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            node.close();
        }
    }

    @ParameterizedTest(name = "TURN over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void relayOnlyCallDecodesVideoThroughOurTurn(String transport) throws Exception {
        JsonObject ice = node.request(Addresses.iceServers(node.name), new JsonObject().put("user", "browser"));
        JsonObject turn = ice.getJsonArray("iceServers").getJsonObject(1);
        String url = turn.getJsonArray("urls").stream().map(String::valueOf)
                .filter(u -> u.endsWith("transport=" + transport)).findFirst().orElseThrow();
        long relayedBefore = node.stats().getLong("relayedPacketsToClient");
        driver.get("http://127.0.0.1:" + http.actualPort() + "/");
        Object started = driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "window.relayCall({urls: arguments[0], username: arguments[1], credential: arguments[2]})"
                        + ".then(done, e => done('error: ' + e));",
                url, turn.getString("username"), turn.getString("credential"));
        assertThat(started).isEqualTo(true);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Object> stats = stats();
            assertThat(((Number) stats.get("framesDecoded")).longValue()).as(stats.toString()).isGreaterThan(30);
        });
        Map<String, Object> stats = stats();
        System.out.println("chromium relay-only over " + transport + ": " + stats);
        assertThat(stats.get("local")).as("selected local candidate").isEqualTo("relay");
        assertThat(stats.get("remote")).as("selected remote candidate").isEqualTo("relay");
        assertThat(stats.get("relayProtocol")).isEqualTo(transport);
        @SuppressWarnings("unchecked")
        List<String> candidates = (List<String>) stats.get("candidates");
        assertThat(candidates).allMatch(c -> c.contains(" typ relay"));
        long frames = ((Number) stats.get("framesDecoded")).longValue();
        Thread.sleep(1000);
        assertThat(((Number) stats().get("framesDecoded")).longValue()).as("frames keep coming").isGreaterThan(frames);
        assertThat(node.stats().getLong("relayedPacketsToClient") - relayedBefore).as("media went through our relay")
                .isGreaterThan(100);
        driver.executeScript("window.relayPcs.pc1.close(); window.relayPcs.pc2.close();");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats() {
        return (Map<String, Object>) driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; window.relayStats().then(done, e => done({error: '' + e}));");
    }
}

package org.decwebrtc.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The calling app's evaluation steps with two real headless Chromium against two in-process nodes on loopback.
 * The nodes and browsers are shared to save their start-up, but each step sets up what it needs (both users idle
 * and seeing each other; a call of its own), so any step runs alone and in any order. Latencies are printed as
 * figures; the waits only bound them generously, for a shared machine.
 */
@Tag("slow")
@Timeout(value = 3, unit = TimeUnit.MINUTES) // per step: a wedged browser must not hang the build
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallingAppE2eTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(50);

    private Path dir;
    private TestNodes.Node alice;
    private TestNodes.Node bob;
    private Browser a;
    private Browser b;
    private Vertx vertx;
    private WebClient http;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("decwebrtc-e2e");
        vertx = Vertx.vertx();
        http = TestNodes.client(vertx);
        Browser[] ab = Browser.launchTwo("alice", "bob");
        a = ab[0];
        b = ab[1];
        TestNodes.Pair nodes = TestNodes.startPair(dir);
        alice = nodes.alice();
        bob = nodes.bob();
    }

    /** Both pages open on their own node, seeing each other, no call going on. */
    @BeforeEach
    void bothUsersReadyAndIdle() {
        for (Browser browser : List.of(a, b)) {
            TestNodes.Node node = browser == a ? alice : bob;
            if (!browser.driver().getCurrentUrl().startsWith(node.origin())
                    || !TestNodes.status(http, node).getBoolean("gui")) {
                browser.open(node.url());
            }
        }
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.hasCallButton("bob") && b.hasCallButton("alice"));
        hangUpIfNeeded();
    }

    @AfterAll
    void stop() throws Exception {
        Browser.closeAll(a, b);
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        TestNodes.stop(alice);
        TestNodes.stop(bob);
        TestNodes.deleteTree(dir);
    }

    @Test
    void aNewUserAppearsOnOpenPagesAndPeersCanBeAdded() throws Exception {
        // A page reloaded at bob's shows alice at once.
        b.open(bob.url());
        long loaded = System.nanoTime();
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.hasCallButton("alice"));
        long bobUiMs = (System.nanoTime() - loaded) / 1_000_000;
        assertThat(a.state()).isEqualTo("idle");
        assertThat(b.state()).isEqualTo("idle");
        assertThat(TestNodes.status(http, alice).getBoolean("gui")).isTrue();

        // Direct peers in the advanced panel: a bad address gets a clear error, a good one is listed.
        b.el("add-peer-input").sendKeys("not-a-peer");
        b.click("add-peer");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.notice().contains("cannot add peer"));
        assertThat(b.notice()).contains("expected ip:port");
        String alicePeer = "127.0.0.1:" + alice.gossipPort();
        b.el("add-peer-input").clear();
        b.el("add-peer-input").sendKeys(alicePeer);
        b.click("add-peer");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.notice().contains("added peer " + alicePeer));
        assertThat(b.text("peers")).contains(alicePeer);
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.text("peers").contains("127.0.0.1:" + bob.gossipPort()));

        // A third user joining pushes a new directory to the open pages, without a reload; the Call button bob
        // already has for alice stays the same element, so a click that lands on it while the list updates is not
        // lost. How long discovery takes is a figure (the goal is well under a second), not a limit.
        WebElement callAlice = b.callButton("alice");
        long t0 = System.nanoTime();
        TestNodes.Node carol = TestNodes.start("carol", FreePorts.tcpAndUdp(), List.of(alice.gossipPort()), dir.resolve("carol"));
        try {
            long started = System.nanoTime();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> knows(alice, "carol") && knows(carol, "alice"));
            long nodesMs = (System.nanoTime() - started) / 1_000_000;
            await().atMost(WAIT).pollInterval(POLL).until(() -> a.hasCallButton("carol") && b.hasCallButton("carol"));
            long pagesMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("[e2e] discovery: carol's node started in %d ms; alice's node and carol's know each other "
                    + "%d ms later, both open pages show carol after %d ms; bob's reloaded page showed alice %d ms after "
                    + "loading%n", (started - t0) / 1_000_000, nodesMs, pagesMs, bobUiMs);
            assertThat(b.all("call")).extracting(e -> e.getAttribute("data-user")).containsSubsequence("alice", "carol");
            assertThat(callAlice.getAttribute("data-user")).isEqualTo("alice");
        } finally {
            TestNodes.stop(carol);
        }
    }

    @Test
    void callAcceptAndBothVideosPlay() {
        establishCall(a, b, "bob", "alice");
        JsonObject call = TestNodes.status(http, alice).getJsonObject("call");
        assertThat(call.getString("state")).isEqualTo("in-call");
        assertThat(call.getString("with")).isEqualTo("bob");
        assertThat(call.getString("since")).isNotBlank();
        assertThat(TestNodes.status(http, bob).getJsonObject("call").getString("with")).isEqualTo("alice");
        await().atMost(WAIT).until(() -> !a.text("call-timer").equals("00:00"));
        // The quality indicator on each remote video, and the ladder at full video on a clean loopback link.
        for (Browser browser : List.of(a, b)) {
            await().atMost(WAIT).pollInterval(POLL).until(() -> browser.el("quality").isDisplayed()
                    && List.of("good", "fair", "poor").contains(browser.el("quality").getAttribute("data-level"))
                    && browser.el("quality").getAttribute("title").contains("round trip"));
            assertThat(browser.el("media-level").getAttribute("data-level")).isEqualTo("video");
            System.out.printf("[e2e] %s quality %s: %s%n", browser.label, browser.el("quality").getAttribute("data-level"),
                    browser.el("quality").getAttribute("title").replace('\n', ';'));
        }
        a.screenshot(Path.of("target", "e2e-alice-in-call.png"));
    }

    @Test
    void chatBothWaysInOrderAndAsText() {
        establishCall(a, b, "bob", "alice");
        int earlierAtA = messages(a).size();
        int earlierAtB = messages(b).size();
        List<String> fromAlice = List.of("hello bob", "<script>document.title='pwned'</script>", "<b>bold?</b> & ünïcødé ✓");
        List<String> fromBob = List.of("hi alice", "second from bob");
        for (String m : fromAlice) {
            chat(a, m);
        }
        for (String m : fromBob) {
            chat(b, m);
        }
        List<String> expected = new java.util.ArrayList<>(fromAlice);
        expected.addAll(fromBob);
        await().atMost(WAIT).pollInterval(POLL).until(() -> since(messages(b), earlierAtB).equals(expected)
                && since(messages(a), earlierAtA).equals(expected));
        for (Browser browser : List.of(a, b)) {
            assertThat(browser.js("return document.querySelectorAll('.chat-log script, .chat-log b').length"))
                    .as("chat text is never parsed as HTML").isEqualTo(0L);
            assertThat(browser.driver().getTitle()).doesNotContain("pwned");
        }
    }

    @Test
    void filesArriveWithTheSendersHash() throws Exception {
        establishCall(a, b, "bob", "alice");
        Path files = Files.createDirectories(dir.resolve("files"));
        Path pdf = files.resolve("report.pdf");
        Files.writeString(pdf, "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0"
                + "/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n", StandardCharsets.ISO_8859_1);
        Path png = files.resolve("picture.png");
        BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(40, 20, 200, 160);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
        Path txt = files.resolve("notes.txt");
        Files.writeString(txt, "plain text, ünïcødé, <not html>\n".repeat(2000));
        Path big = files.resolve("random-50MiB.bin");
        TestFiles.writeRandom(big, 50 * 1024 * 1024);

        int before = b.all("received-file").size();
        for (Path small : List.of(pdf, png, txt)) {
            a.el("file-input").sendKeys(small.toString());
        }
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.acceptFileOffers() >= 0
                && b.all("received-file").size() == before + 3);
        List<WebElement> received = b.all("received-file");
        for (int i = 0; i < 3; i++) {
            Path sent = List.of(pdf, png, txt).get(i);
            WebElement link = received.get(before + i);
            assertThat(link.getAttribute("download")).isEqualTo(sent.getFileName().toString());
            assertThat(link.getAttribute("data-sha256")).as(sent.toString()).isEqualTo(TestFiles.sha256(sent));
        }

        long t0 = System.nanoTime();
        a.el("file-input").sendKeys(big.toString());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> b.acceptFileOffers() >= 0 && b.all("received-file").size() == before + 4);
        double seconds = (System.nanoTime() - t0) / 1e9;
        WebElement link = b.all("received-file").get(before + 3);
        assertThat(link.getAttribute("data-sha256")).isEqualTo(TestFiles.sha256(big));
        String receiverStatus = (String) b.js("const rows = document.querySelectorAll('.transfers .file-status');"
                + "return rows[rows.length - 1].textContent;");
        System.out.printf("[e2e] 50 MiB file alice→bob: %.2f s from picking the file to a verified download "
                + "(consent and hashing included) = %.1f MiB/s; receiver page says: %s%n", seconds, 50 / seconds,
                receiverStatus);
        // Both sides show progress, and it is complete.
        for (Browser browser : List.of(a, b)) {
            assertThat(browser.all("file-progress")).hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(p -> assertThat(Double.parseDouble(p.getAttribute("value"))).isEqualTo(1.0));
        }
        Files.delete(big);
        b.screenshot(Path.of("target", "e2e-bob-after-files.png"));
    }

    @Test
    void screenShareSwitchesTheRemoteViewAndBack() {
        establishCall(a, b, "bob", "alice");
        double camera = b.remoteAspect();
        assertThat(camera).isGreaterThan(0);
        a.click("share-screen");
        await().atMost(WAIT).pollInterval(POLL).until(() -> Math.abs(b.remoteAspect() - 16.0 / 9) < 0.05);
        Map<String, Object> sharing = b.stats();
        System.out.printf("[e2e] screen share: bob sees %sx%s (camera aspect was %.3f)%n",
                sharing.get("frameWidth"), sharing.get("frameHeight"), camera);
        assertThat(Math.abs(camera - 16.0 / 9)).as("camera and screen differ in shape").isGreaterThan(0.1);
        assertThat(a.text("share-screen")).isEqualTo("Stop sharing");
        a.click("share-screen");
        await().atMost(WAIT).pollInterval(POLL).until(() -> Math.abs(b.remoteAspect() - camera) < 0.02);
        assertThat(a.text("share-screen")).isEqualTo("Share screen");
        assertFramesRising(b);
    }

    @Test
    void aNetworkChangeRestartsIceAndTheCallGoesOn() {
        establishCall(a, b, "bob", "alice");
        // bob accepted, so bob's side makes the offers, including the ICE restart.
        Object ufrag = b.stats().get("iceUfrag");
        b.js("window.dispatchEvent(new Event('online'))");
        await().atMost(WAIT).pollInterval(POLL).until(() -> {
            Map<String, Object> stats = b.stats();
            return ((Number) stats.get("restarts")).intValue() == 1 && !ufrag.equals(stats.get("iceUfrag"))
                    && "connected".equals(stats.get("connection"));
        });
        assertThat(a.state()).isEqualTo("in-call");
        assertFramesRising(a);
        assertFramesRising(b);

        // Mute buttons switch the local tracks off and on again, without ending anything.
        String enabled = "return document.querySelector(\"[data-testid='local-video']\").srcObject"
                + ".getTracks().filter(t => t.kind === arguments[0]).every(t => t.enabled)";
        a.click("mute-mic");
        a.click("mute-camera");
        assertThat(a.js(enabled, "audio")).isEqualTo(false);
        assertThat(a.js(enabled, "video")).isEqualTo(false);
        a.click("mute-mic");
        a.click("mute-camera");
        assertThat(a.js(enabled, "audio")).isEqualTo(true);
        assertThat(a.js(enabled, "video")).isEqualTo(true);
        assertThat(a.state()).isEqualTo("in-call");
    }

    @Test
    void hangUpReturnsBothToIdleAndASecondCallWorks() {
        establishCall(a, b, "bob", "alice");
        a.click("hangup");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        assertThat(TestNodes.status(http, bob).getJsonObject("call").getString("state")).isEqualTo("idle");
        // This time bob calls: the roles (offerer/answerer) swap.
        establishCall(b, a, "alice", "bob", "typed before the channel opened");
        b.click("hangup");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        assertThat(a.notice()).contains("bob ended the call");
    }

    @Test
    void refusalsGiveTheirNoticeAndTheNodeKeepsServing() throws Exception {
        // Reject.
        a.call("bob");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.el("incoming-call").isDisplayed());
        assertThat(b.text("incoming-call")).contains("alice is calling");
        assertThat(a.state()).isEqualTo("calling");
        b.click("reject");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        assertThat(a.notice()).contains("rejected");

        // 1 MiB of garbage, and other junk, on bob's own socket: errors, the tab stays connected.
        b.js("window.decwebrtc.sendRaw('x'.repeat(1024 * 1024))");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.notice().contains("too large"));
        b.js("const g = new Uint8Array(1024 * 1024); crypto.getRandomValues(g.subarray(0, 65536));"
                + "window.decwebrtc.sendRaw(g)");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.notice().contains("binary"));
        b.js("window.decwebrtc.sendRaw('{\"type\": nonsense')");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.notice().contains("malformed"));

        // A second tab at bob's is told the node is already open there.
        String first = b.driver().getWindowHandle();
        b.driver().switchTo().newWindow(WindowType.TAB);
        b.open(bob.url());
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.notice().contains("already open"));
        b.driver().close();
        b.driver().switchTo().window(first);
        // A tab opened without the link's access key is told where to find it, and takes nothing over.
        b.driver().switchTo().newWindow(WindowType.TAB);
        b.open("https://127.0.0.1:" + bob.guiPort() + "/");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.notice().contains("access key"));
        b.driver().close();
        b.driver().switchTo().window(first);
        assertThat(TestNodes.status(http, bob).getBoolean("gui")).isTrue();

        // A WebSocket from a foreign page is refused.
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
                .setTrustAll(true).setVerifyHost(false));
        assertThatThrownBy(() -> client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                        .setPort(bob.guiPort()).setSsl(true).setURI("/ws?k=" + bob.token())
                        .addHeader("Origin", "https://evil.example"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(UpgradeRejectedException.class);

        // The tab at bob's is still the node's tab: calls reach it.
        a.call("bob");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.el("incoming-call").isDisplayed());
        a.click("hangup");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        assertThat(b.notice()).contains("missed call from alice");

        // The camera cannot be opened at bob's: both sides return to idle with a notice.
        b.js("navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'))");
        a.call("bob");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.el("incoming-call").isDisplayed());
        b.click("accept");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        assertThat(b.notice()).contains("camera or microphone unavailable: permission denied");
        assertThat(a.notice()).contains("bob ended the call").contains("permission denied");

        // No tab at bob's: bob's node answers for him.
        b.open("about:blank");
        await().atMost(WAIT).pollInterval(POLL).until(() -> !TestNodes.status(http, bob).getBoolean("gui"));
        a.call("bob");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.notice().contains("no one is at bob's screen"));
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle"));

        b.open(bob.url());
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.hasCallButton("alice"));
        assertThat(TestNodes.status(http, bob).getBoolean("gui")).isTrue();
    }

    @Test
    void relayOnlyCallGoesThroughOurTurnServer() {
        for (Browser browser : List.of(a, b)) {
            browser.click("relay-only");
            assertThat(browser.el("relay-only").isSelected()).isTrue();
        }
        try {
            establishCall(a, b, "bob", "alice");
            for (Browser browser : List.of(a, b)) {
                Map<String, Object> stats = browser.stats();
                System.out.printf("[e2e] relay-only call at %s: selected pair %s ↔ %s%n", browser.label,
                        stats.get("local"), stats.get("remote"));
                assertThat(stats.get("local")).as(browser.label + " local candidate").isEqualTo("relay");
            }
            a.click("hangup");
            await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));

            // The TURN toggle takes TURN out of the next call: relay only then has nothing to relay through.
            a.click("turn-toggle");
            assertThat(a.el("turn-toggle").isSelected()).isFalse();
            a.call("bob");
            await().atMost(WAIT).pollInterval(POLL).until(() -> a.notice().contains("no TURN server is available"));
            a.click("hangup");
            await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        } finally {
            if (!a.el("turn-toggle").isSelected()) {
                a.click("turn-toggle");
            }
            for (Browser browser : List.of(a, b)) {
                if (browser.el("relay-only").isSelected()) {
                    browser.click("relay-only");
                }
                if (!browser.state().equals("idle")) {
                    browser.click("hangup");
                }
            }
        }
    }

    @Test
    void aDeadPeerEndsTheCallOnBothSides() throws Exception {
        // A node of its own for bob's browser, so alice and bob stay up for the other steps.
        TestNodes.Node erin = TestNodes.start("erin", FreePorts.tcpAndUdp(), List.of(alice.gossipPort()), dir.resolve("erin"));
        try {
            b.open(erin.url());
            establishCall(a, b, "erin", "alice");
            long t0 = System.nanoTime();
            TestNodes.stop(erin); // erin's whole node goes away in the middle of the call
            erin = null;
            await().atMost(WAIT).pollInterval(POLL).until(() -> b.state().equals("idle"));
            assertThat(b.notice()).contains("lost the connection to the node");
            await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle"));
            assertThat(a.notice()).contains("connection to erin was lost");
            System.out.printf("[e2e] dead peer: alice's call ended %d ms after erin's node stopped%n",
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            TestNodes.stop(erin);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** caller calls callee; callee accepts; both remote videos play with rising frame counts. */
    private void establishCall(Browser caller, Browser callee, String calleeName, String callerName) {
        establishCall(caller, callee, calleeName, callerName, null);
    }

    /** As above; {@code earlyChat}, if given, is typed by the callee right after accepting, before the channel opens. */
    private void establishCall(Browser caller, Browser callee, String calleeName, String callerName, String earlyChat) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> caller.hasCallButton(calleeName));
        caller.call(calleeName);
        await().atMost(WAIT).pollInterval(POLL).until(() -> callee.el("incoming-call").isDisplayed());
        assertThat(callee.text("incoming-call")).contains(callerName + " is calling");
        assertThat(callee.state()).isEqualTo("ringing");
        assertThat(caller.state()).isEqualTo("calling");
        caller.armPlayingProbe();
        callee.armPlayingProbe();
        long t0 = System.currentTimeMillis();
        callee.click("accept");
        boolean queued = false;
        if (earlyChat != null) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> callee.el("chat-input").isEnabled());
            chat(callee, earlyChat);
            queued = Boolean.TRUE.equals(callee.js("const items = document.querySelectorAll('.chat-log li');"
                    + "return items[items.length - 1].classList.contains('pending');"));
        }
        await().atMost(WAIT).pollInterval(POLL).until(() -> caller.remotePlaying() && callee.remotePlaying());
        long ms = Math.max(caller.playingAt(), callee.playingAt()) - t0;
        assertThat(Math.min(caller.playingAt(), callee.playingAt())).as("probe saw both videos play").isPositive();
        System.out.printf("[e2e] %s→%s: accept to both remote videos playing: %d ms (goal ≤ 1500 ms)%n"
                        + "      caller: %s%n      callee: %s%n", callerName, calleeName, ms,
                caller.stats().get("timeline"), callee.stats().get("timeline"));
        // The goal is 1.5 s: a figure to read in the output (and bench), bounded here only by the WAIT above.
        assertThat(caller.state()).isEqualTo("in-call");
        assertThat(callee.state()).isEqualTo("in-call");
        assertFramesRising(caller);
        assertFramesRising(callee);
        if (earlyChat != null) {
            System.out.printf("[e2e] chat typed right after accept was %s%n",
                    queued ? "queued until the channel opened" : "sent at once (channel already open)");
            await().atMost(WAIT).pollInterval(POLL).until(() -> messages(caller).contains(earlyChat));
        }
    }

    /** A step that failed half-way must not leave a call behind for the next one. */
    private void hangUpIfNeeded() {
        for (Browser browser : List.of(a, b)) {
            if (!browser.state().equals("idle") && browser.el("hangup").isEnabled()) {
                browser.click("hangup");
            }
        }
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
    }

    private static void assertFramesRising(Browser browser) {
        long first = browser.framesDecoded();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> browser.framesDecoded() > first + 5);
    }

    private static void chat(Browser browser, String text) {
        browser.el("chat-input").sendKeys(text);
        browser.click("chat-send");
    }

    private static List<String> since(List<String> messages, int earlier) {
        return messages.subList(Math.min(earlier, messages.size()), messages.size());
    }

    private static List<String> messages(Browser browser) {
        return browser.all("chat-message").stream().map(e -> e.getAttribute("textContent")).toList();
    }

    private boolean knows(TestNodes.Node node, String user) {
        return TestNodes.status(http, node).getJsonArray("users").stream()
                .anyMatch(u -> user.equals(((JsonObject) u).getString("name")));
    }
}

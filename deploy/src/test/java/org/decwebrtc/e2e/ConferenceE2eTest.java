package org.decwebrtc.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conferences with four headless Chromium on four in-process nodes in a chain (alice - bob - carol - dave), so the
 * signaling of most legs hops through other nodes. The steps share the nodes and browsers and run in order.
 */
@Tag("slow")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConferenceE2eTest {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final List<String> NAMES = List.of("alice", "bob", "carol", "dave");

    private Path dir;
    private final List<TestNodes.Node> nodes = new ArrayList<>();
    private final List<Browser> browsers = new ArrayList<>();
    private String conf;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("decwebrtc-conf-e2e");
        List<CompletableFuture<Browser>> starting = NAMES.stream()
                .map(n -> CompletableFuture.supplyAsync(() -> Browser.launch(n))).toList();
        Integer previous = null;
        for (String name : NAMES) {
            int gossip = FreePorts.tcpAndUdp();
            nodes.add(TestNodes.start(name, gossip, previous == null ? List.of() : List.of(previous), dir.resolve(name)));
            previous = gossip;
        }
        for (CompletableFuture<Browser> b : starting) {
            browsers.add(b.get(90, TimeUnit.SECONDS));
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (Browser b : browsers) {
            b.close();
        }
        for (TestNodes.Node node : nodes) {
            TestNodes.stop(node);
        }
        TestNodes.deleteTree(dir);
    }

    private Browser page(String name) {
        return browsers.get(NAMES.indexOf(name));
    }

    // ---- page probes --------------------------------------------------------------------------------------

    /** Users with a tile, read in one script: tiles come and go while the test polls. */
    @SuppressWarnings("unchecked")
    private static List<String> tiles(Browser b) {
        List<Object> users = (List<Object>) b.js("return [...document.querySelectorAll(\"[data-testid='conf-tile']\")]"
                + ".map(t => t.dataset.user)");
        return users.stream().map(String::valueOf).sorted().toList();
    }

    /** currentTime of every tile's video that has a picture, by user. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> videoTimes(Browser b) {
        Object result = b.js("const out = {};"
                + "document.querySelectorAll(\"[data-testid='conf-tile']\").forEach(t => {"
                + "  const v = t.querySelector('video');"
                + "  if (v && v.srcObject && !v.paused && v.readyState >= 2 && v.videoWidth > 0) out[t.dataset.user] = v.currentTime;"
                + "});"
                + "return out;");
        Map<String, Double> times = new java.util.TreeMap<>();
        ((Map<String, Object>) result).forEach((k, v) -> times.put(k, ((Number) v).doubleValue()));
        return times;
    }

    /** Every listed user's tile plays: it has a picture and its time moves on. */
    private static boolean playing(Browser b, List<String> users) {
        Map<String, Double> first = videoTimes(b);
        if (!first.keySet().containsAll(users)) {
            return false;
        }
        sleep(700);
        Map<String, Double> second = videoTimes(b);
        return users.stream().allMatch(u -> second.containsKey(u) && second.get(u) > first.get(u));
    }

    private void awaitMesh(List<String> in, Duration wait) {
        try {
            for (String name : in) {
                List<String> others = in.stream().filter(n -> !n.equals(name)).sorted().toList();
                await().atMost(wait).pollInterval(POLL).until(() -> tiles(page(name)).equals(others)
                        && playing(page(name), others));
                assertThat(page(name).state()).isEqualTo("in-conference");
            }
        } catch (RuntimeException | AssertionError e) {
            for (String name : in) {
                System.out.println("[e2e] " + name + "'s page: " + describe(page(name)));
            }
            throw e;
        }
    }

    /** What a page shows of the conference, for the build output when a step fails. */
    private static Object describe(Browser b) {
        try {
            return b.js("const tiles = [...document.querySelectorAll(\"[data-testid='conf-tile']\")].map(t => {"
                    + "  const v = t.querySelector('video');"
                    + "  return `${t.dataset.user}:${t.dataset.connection}:frames=${t.dataset.framesDecoded}:ready=${v.readyState}`; });"
                    + "return `state=${document.querySelector(\"[data-testid='call-state']\").textContent} tiles=${tiles.join(',')}"
                    + " notice=${document.querySelector(\"[data-testid='notice']\").textContent}`;");
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static String itemState(Browser b, String conf) {
        List<WebElement> items = b.driver().findElements(
                By.cssSelector("[data-testid='conf-item'][data-conf='" + conf + "']"));
        return items.isEmpty() ? null : items.get(0).getAttribute("data-state");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private String startConference(Browser starter, String title) {
        starter.el("conf-title").sendKeys(title);
        starter.click("conf-start");
        await().atMost(WAIT).pollInterval(POLL).until(() -> starter.state().equals("in-conference")
                && !starter.all("conf-item").isEmpty());
        return (String) starter.js("const items = document.querySelectorAll(\"[data-testid='conf-item']\");"
                + "return items[items.length - 1].dataset.conf");
    }

    private static void invite(Browser from, String user) {
        WebElement button = from.driver().findElement(
                By.cssSelector("[data-testid='conf-invite'][data-user='" + user + "']"));
        button.click();
    }

    private static void awaitRinging(Browser b, String conf) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.el("conf-invitation").isDisplayed()
                && conf.equals(b.el("conf-invitation").getAttribute("data-conf")));
    }

    // ---- steps --------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void fourJoinAndEveryPageShowsThreePlayingTiles() {
        for (int i = 0; i < NAMES.size(); i++) {
            browsers.get(i).open(nodes.get(i).url());
        }
        for (String name : NAMES) {
            for (String other : NAMES) {
                if (!other.equals(name)) {
                    await().atMost(WAIT).pollInterval(POLL).until(() -> page(name).hasCallButton(other));
                }
            }
        }
        Browser alice = page("alice");
        conf = startConference(alice, "weekly <b>sync</b>");
        assertThat(itemState(alice, conf)).isEqualTo("started");
        assertThat(alice.all("conf-tile")).isEmpty();
        long t0 = System.currentTimeMillis();
        for (String invitee : List.of("bob", "carol", "dave")) {
            invite(alice, invitee);
        }
        for (String invitee : List.of("bob", "carol", "dave")) {
            Browser b = page(invitee);
            awaitRinging(b, conf);
            assertThat(b.el("conf-invitation").getText()).contains("alice invites you to").contains("weekly <b>sync</b>");
            assertThat(itemState(b, conf)).isEqualTo("started");
        }
        for (String invitee : List.of("bob", "carol", "dave")) {
            page(invitee).click("conf-join");
        }
        awaitMesh(NAMES, WAIT);
        System.out.printf("[e2e] conference: 4 people, every page plays 3 remote tiles %d ms after the first invite%n",
                System.currentTimeMillis() - t0);
        for (String name : NAMES) {
            assertThat(itemState(page(name), conf)).as(name).isEqualTo("active");
            assertThat(page(name).all("conf-tile")).allSatisfy(t ->
                    assertThat(t.getAttribute("data-connection")).isEqualTo("connected"));
        }
        alice.screenshot(Path.of("target", "e2e-conference-alice.png"));
    }

    @Test
    @Order(2)
    void chatFromOneReachesAllAndAFileToAllArrivesWithItsHash() throws Exception {
        page("carol").el("chat-input").sendKeys("hello everyone <i>from</i> carol");
        page("carol").click("chat-send");
        for (String name : List.of("alice", "bob", "dave")) {
            await().atMost(WAIT).pollInterval(POLL).until(() -> page(name).all("chat-message").stream()
                    .anyMatch(m -> m.getText().equals("hello everyone <i>from</i> carol")));
        }
        Path file = dir.resolve("minutes.bin");
        byte[] bytes = new byte[300 * 1024 + 7];
        new Random(15).nextBytes(bytes);
        Files.write(file, bytes);
        String expected = sha256(file);
        page("bob").el("file-input").sendKeys(file.toString());
        for (String name : List.of("alice", "carol", "dave")) {
            // Each receiver consents to the offer (the file-offer row's Accept), as a user would.
            await().atMost(WAIT).pollInterval(POLL).until(() -> page(name).acceptFileOffers() >= 0
                    && page(name).all("received-file").stream()
                    .anyMatch(l -> expected.equals(l.getAttribute("data-sha256"))));
        }
        assertThat(page("bob").all("received-file")).isEmpty();
    }

    @Test
    @Order(3)
    void oneLeavesAndTheOthersKeepPlaying() {
        page("carol").click("conf-leave");
        await().atMost(WAIT).pollInterval(POLL).until(() -> page("carol").state().equals("idle"));
        assertThat(page("carol").all("conf-tile")).isEmpty();
        awaitMesh(List.of("alice", "bob", "dave"), WAIT);
        assertThat(itemState(page("carol"), conf)).isEqualTo("active");
        assertThat(page("alice").notice()).contains("carol");
    }
}

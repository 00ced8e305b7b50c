package org.decwebrtc.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad networks, for real (deploy/topologies in network namespaces, headless Chromium inside them): the network
 * check's verdict on a LAN, behind symmetric NATs and with UDP blocked; a call over TURN/TCP when UDP is blocked;
 * a call whose link is shaped with tc netem stepping down to chat only and back to video; a call whose media path
 * dies ending on both sides. Every test brings its topology up and down itself (down also in @AfterEach, which
 * takes every tc and iptables rule with the namespaces).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DegradationNetnsIT extends NetnsTopologyFixture {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    // ---- the network check -------------------------------------------------------------------------------

    @Test
    void netCheckOnALanSaysDirectCallsLikely() throws Exception {
        assertThat(netCheck("1-lan", "alice")).isEqualTo("direct calls likely");
    }

    @Test
    void netCheckBehindSymmetricNatsSaysRelay() throws Exception {
        assertThat(netCheck("5-symmetric-nats", "alice")).isEqualTo("calls will go through a relay");
    }

    @Test
    void netCheckWithUdpBlockedSaysRelayOverTcpOrTls() throws Exception {
        assertThat(netCheck("7-udp-blocked", "alice")).isEqualTo("UDP blocked: relay over TCP/TLS");
    }

    // ---- calls ---------------------------------------------------------------------------------------------

    @Test
    void udpBlockedCallConnectsThroughTheRelayOverTcpOrTls() throws Exception {
        Browser[] ab = twoUsersUp("7-udp-blocked");
        Browser a = ab[0];
        Browser b = ab[1];
        long setupMs = a.callAndAnswer(b, "bob", Duration.ofSeconds(40));
        long frames = a.framesDecoded();
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.framesDecoded() > frames + 10);
        Map<String, Object> stats = a.stats();
        System.out.printf("[degradation] 7-udp-blocked: call up in %d ms; alice's selected pair: %s%n", setupMs, stats.get("pair"));
        System.out.printf("[degradation] 7-udp-blocked: bob's selected pair: %s%n", b.stats().get("pair"));
        assertThat(stats.get("local")).as("alice's end is a TURN relay").isEqualTo("relay");
        assertThat(String.valueOf(stats.get("relayProtocol"))).as("reached over TCP or TLS").isIn("tcp", "tls");
        chatArrives(b, a, "over the relay, UDP blocked");
        hangUp(a, b);
    }

    @Test
    void aShapedLinkStepsDownToChatOnlyAndBackToVideo() throws Exception {
        Browser[] ab = twoUsersUp("1-lan");
        Browser a = ab[0];
        Browser b = ab[1];
        a.callAndAnswer(b, "bob", WAIT);
        for (Browser browser : ab) {
            await().atMost(WAIT).pollInterval(POLL).until(() -> "video".equals(level(browser)) && browser.el("quality").isDisplayed());
        }
        // alice's link both ways: 30% loss, 100 kbit/s, a short queue (a long one only adds delay).
        String netem = shapeAlice();
        long t0 = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).until(() -> "audio".equals(level(a)) || "chat".equals(level(a)));
        long audioMs = System.currentTimeMillis() - t0;
        await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).until(() -> "chat".equals(level(a)) && "chat".equals(level(b)));
        long chatMs = System.currentTimeMillis() - t0;
        System.out.printf("[degradation] shaped (%s): audio after %d ms, chat after %d ms; alice sees \"%s\", bob \"%s\"; quality %s / %s%n",
                netem, audioMs, chatMs, a.text("media-level"), b.text("media-level"),
                a.el("quality").getAttribute("data-level"), b.el("quality").getAttribute("data-level"));
        assertThat(a.state()).isEqualTo("in-call");
        assertThat(a.text("media-level")).contains("paused");
        assertThat(b.text("media-level")).contains("paused");
        long chatSent = System.currentTimeMillis();
        chatArrives(b, a, "still here at chat only");
        System.out.printf("[degradation] chat across the shaped link arrived in %d ms%n", System.currentTimeMillis() - chatSent);

        unshapeAlice();
        long t1 = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).until(() -> "audio".equals(level(a)));
        long backAudioMs = System.currentTimeMillis() - t1;
        await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).until(() -> "video".equals(level(a)) && "video".equals(level(b)));
        long backVideoMs = System.currentTimeMillis() - t1;
        long frames = a.framesDecoded();
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.framesDecoded() > frames + 10);
        System.out.printf("[degradation] shaping removed: audio after %d ms, video after %d ms (goal <= 30000 ms)%n",
                backAudioMs, backVideoMs);
        assertThat(backVideoMs).as("back to video, ms (goal 30 s; generous bound for a loaded machine)").isLessThan(90_000);
        hangUp(a, b);
    }

    @Test
    void aCallWhoseMediaPathDiesEndsOnBothSidesWithANotice() throws Exception {
        Browser[] ab = twoUsersUp("1-lan");
        Browser a = ab[0];
        Browser b = ab[1];
        a.callAndAnswer(b, "bob", WAIT);
        // Every UDP packet of alice's except gossip (port 5000): media, TURN relays, STUN all gone; signaling stays.
        block("dw1-alice", "OUTPUT", "!", "-o", "lo", "-p", "udp", "!", "--sport", "5000");
        block("dw1-alice", "INPUT", "!", "-i", "lo", "-p", "udp", "!", "--dport", "5000");
        long t0 = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).until(() -> "idle".equals(a.state()) && "idle".equals(b.state()));
        long endedMs = System.currentTimeMillis() - t0;
        System.out.printf("[degradation] media path cut: both calls ended after %d ms (stated: within 30 s); notices: alice \"%s\", bob \"%s\"%n",
                endedMs, a.notice(), b.notice());
        assertThat(a.notice()).isNotBlank();
        assertThat(b.notice()).isNotBlank();
        assertThat(a.notice() + " " + b.notice()).contains("lost");
    }

    // ---- helpers -------------------------------------------------------------------------------------------


    /** Runs the network check in {@code user}'s page after discovery (so other nodes' STUN adverts are known). */
    private String netCheck(String name, String user) throws Exception {
        Browser[] ab = twoUsersUp(name);
        Browser page = user.equals("alice") ? ab[0] : ab[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).until(() -> "done".equals(page.el("net-verdict").getAttribute("data-state")));
        page.click("net-check");
        await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).until(() -> "done".equals(page.el("net-verdict").getAttribute("data-state")));
        String verdict = page.text("net-verdict");
        Object details = page.js("return [...document.querySelectorAll('#net-details li')].map(li => li.textContent).join(' | ')");
        System.out.printf("[degradation] net check in %s (%s): \"%s\" — %s%n", name, user, verdict, details);
        return verdict;
    }

    private static String level(Browser browser) {
        return browser.el("media-level").getAttribute("data-level");
    }

    private static void chatArrives(Browser from, Browser to, String text) {
        from.el("chat-input").sendKeys(text);
        from.click("chat-send");
        await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).until(() -> to.all("chat-message").stream()
                .anyMatch(e -> text.equals(e.getAttribute("textContent"))));
    }

    private static void hangUp(Browser a, Browser b) {
        a.click("hangup");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
    }

    private static final String NETEM = "netem loss 30% rate 100kbit limit 30";
    private static final String TBF = "tbf rate 100kbit burst 4kb latency 300ms";
    private static final String[][] ALICE_LINK = {{"dw1-alice", "to-lan"}, {"dw1-lan", "s1alice"}};

    /**
     * 30% loss and a 100 kbit/s cap on alice's link, both directions: tc netem where the kernel has it; else (this
     * machine's kernel has no sch_netem) tc tbf for the cap and iptables' statistic match for the loss.
     * @return what was applied, for the printout
     */
    private String shapeAlice() throws Exception {
        String probe = exec("ip", "netns", "exec", "dw1-alice", "tc", "qdisc", "add", "dev", "to-lan", "root",
                "netem", "loss", "0%");
        exec("ip", "netns", "exec", "dw1-alice", "tc", "qdisc", "del", "dev", "to-lan", "root");
        boolean netem = probe.isBlank();
        for (String[] end : ALICE_LINK) {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", end[0], "tc", "qdisc", "add", "dev", end[1], "root"));
            command.addAll(List.of((netem ? NETEM : TBF).split(" ")));
            String out = exec(command.toArray(String[]::new));
            assertThat(out).as("tc: " + out).isBlank();
        }
        if (!netem) {
            for (String[] rule : lossRules()) {
                String out = exec(rule);
                assertThat(out).as("iptables: " + out).isBlank();
            }
        }
        return netem ? "tc " + NETEM : "tc " + TBF + " + iptables statistic 30% drop (no sch_netem in this kernel)";
    }

    private void unshapeAlice() throws Exception {
        for (String[] end : ALICE_LINK) {
            exec("ip", "netns", "exec", end[0], "tc", "qdisc", "del", "dev", end[1], "root");
        }
        for (String[] rule : lossRules()) {
            String[] delete = rule.clone();
            delete[5] = "-D";
            exec(delete);
        }
    }

    /** Random loss on alice's LAN interface (not on loopback: the page's own gateway is there). */
    private static List<String[]> lossRules() {
        return List.of(
                new String[]{"ip", "netns", "exec", "dw1-alice", "iptables", "-A", "INPUT", "-i", "to-lan", "-m", "statistic",
                        "--mode", "random", "--probability", "0.3", "-j", "DROP"},
                new String[]{"ip", "netns", "exec", "dw1-alice", "iptables", "-A", "OUTPUT", "-o", "to-lan", "-m", "statistic",
                        "--mode", "random", "--probability", "0.3", "-j", "DROP"});
    }

    private void block(String namespace, String chain, String... match) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "iptables", "-I", chain));
        command.addAll(List.of(match));
        command.addAll(List.of("-j", "DROP"));
        String out = exec(command.toArray(String[]::new));
        assertThat(out).as("iptables: " + out).isBlank();
    }
}

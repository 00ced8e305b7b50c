package org.decwebrtc.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.decwebrtc.e2e.ConferencePages.POLL;
import static org.decwebrtc.e2e.ConferencePages.WAIT;
import static org.decwebrtc.e2e.ConferencePages.awaitMesh;
import static org.decwebrtc.e2e.ConferencePages.conferenceOf;

/**
 * A conference of three where alice is behind a symmetric NAT and bob and carol behind cone-like ones
 * (deploy/topologies/8-conference-one-symmetric.sh), each user a headless Chromium in its own namespace: everyone
 * plays everyone, alice's two legs go through a relay's TURN, bob's and carol's leg to each other goes direct.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConferenceNetnsIT extends NetnsTopologyFixture {
    private static final List<String> USERS = List.of("alice", "bob", "carol");

    @Test
    void theLegsOfTheUserBehindASymmetricNatAreRelayedAndTheOthersGoDirect() throws Exception {
        topology = "8-conference-one-symmetric";
        work = Files.createTempDirectory("decwebrtc-topology");
        script(topology, "down");
        assertThat(script(topology, "up")).contains(topology + " is up");
        Map<String, Browser> in = new LinkedHashMap<>();
        for (String user : USERS) {
            Browser b = browser("dw8-" + user);
            b.open(GUI + "/#k=" + token(user));
            in.put(user, b);
        }
        for (String user : USERS) {
            await().atMost(WAIT).pollInterval(POLL).until(() -> USERS.stream()
                    .allMatch(other -> other.equals(user) || in.get(user).hasCallButton(other)));
        }
        long t0 = System.currentTimeMillis();
        conferenceOf(in, "behind a symmetric NAT");
        System.out.printf("[topology] 8-conference-one-symmetric: three people, every page plays two remote tiles "
                + "%d ms after the start%n", System.currentTimeMillis() - t0);

        Map<String, Map<String, List<String>>> pairs = new LinkedHashMap<>();
        for (String user : USERS) {
            await().atMost(WAIT).pollInterval(POLL).until(() -> selectedPairs(in.get(user)).size() == 2);
            pairs.put(user, selectedPairs(in.get(user)));
        }
        System.out.printf("[topology] 8-conference-one-symmetric: selected candidate pairs (local, remote) per leg: %s%n",
                pairs);
        assertThat(pairs.get("alice").get("bob")).as("alice-bob: a symmetric NAT leaves only TURN").contains("relay");
        assertThat(pairs.get("alice").get("carol")).as("alice-carol: a symmetric NAT leaves only TURN").contains("relay");
        assertThat(pairs.get("bob").get("alice")).contains("relay");
        assertThat(pairs.get("carol").get("alice")).contains("relay");
        assertThat(pairs.get("bob").get("carol")).as("bob-carol: cone NATs punch through").doesNotContain("relay");
        assertThat(pairs.get("carol").get("bob")).doesNotContain("relay");

        String text = "hello from behind a symmetric NAT";
        in.get("alice").el("chat-input").sendKeys(text);
        in.get("alice").click("chat-send");
        for (String user : List.of("bob", "carol")) {
            await().atMost(WAIT).pollInterval(POLL).until(() -> in.get(user).all("chat-message").stream()
                    .anyMatch(m -> text.equals(m.getAttribute("textContent"))));
        }
        in.get("bob").click("conf-leave");
        awaitMesh(Map.of("alice", in.get("alice"), "carol", in.get("carol")), WAIT);
    }

    /** The candidate types (local, remote) of each leg's selected pair, by remote user, from the page's getStats. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> selectedPairs(Browser b) {
        Object result = b.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "window.decwebrtc.conferenceStats().then(done, () => done(null));");
        Map<String, List<String>> pairs = new java.util.TreeMap<>();
        if (result instanceof Map<?, ?> legs) {
            legs.forEach((user, stats) -> {
                Map<String, Object> s = (Map<String, Object>) stats;
                if (s.get("local") != null && s.get("remote") != null) {
                    pairs.put(String.valueOf(user), List.of(String.valueOf(s.get("local")), String.valueOf(s.get("remote"))));
                }
            });
        }
        return pairs;
    }
}

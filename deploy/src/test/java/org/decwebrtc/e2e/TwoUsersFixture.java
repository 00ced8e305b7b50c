package org.decwebrtc.e2e;

import org.junit.jupiter.api.AfterEach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Tests that each want alice and bob afresh: two in-process nodes on loopback and a headless Chromium each, set up
 * by {@link #startTwoUsers} and all stopped after each test.
 */
abstract class TwoUsersFixture {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(100);

    Path dir;
    TestNodes.Node alice;
    TestNodes.Node bob;
    Browser a;
    Browser b;

    /** Both nodes, both pages open (browsers labelled {@code label-alice}, {@code label-bob}), seeing each other. */
    void startTwoUsers(String label) throws Exception {
        dir = Files.createTempDirectory("decwebrtc-" + label);
        TestNodes.Pair nodes = TestNodes.startPair(dir);
        alice = nodes.alice();
        bob = nodes.bob();
        a = new Browser(label + "-alice");
        b = new Browser(label + "-bob");
        a.open(alice.url());
        b.open(bob.url());
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.hasCallButton("bob") && b.hasCallButton("alice"));
    }

    @AfterEach
    void stopTwoUsers() throws Exception {
        Browser.closeAll(a, b);
        TestNodes.stop(alice);
        TestNodes.stop(bob);
        TestNodes.deleteTree(dir);
    }
}

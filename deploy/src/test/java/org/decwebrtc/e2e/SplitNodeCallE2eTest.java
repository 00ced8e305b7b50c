package org.decwebrtc.e2e;

import org.decwebrtc.deploy.LocalConfig;
import org.decwebrtc.deploy.NodeLauncher;
import org.decwebrtc.deploy.SplitNode;
import org.decwebrtc.deploy.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A browser call through a node split over two JVMs (gateway in one, gossip+STUN/TURN in the other, joined by
 * Hazelcast on loopback): the call works, losing the gossip JVM shows a notice, and the gateway recovers on its
 * own when the gossip JVM comes back.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SplitNodeCallE2eTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    @TempDir
    Path dir;
    private final int bobGossip = TestPorts.free();
    private final int bobGui = TestPorts.free();
    private SplitNode alice;
    private NodeLauncher.RunningNode bob;
    private Browser a;
    private Browser b;

    @AfterEach
    void stop() throws Exception {
        Browser.closeAll(a, b);
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close().await();
        }
    }

    @Test
    void callThroughASplitNodeSurvivesLosingTheGossipJvm() throws Exception {
        bob = NodeLauncher.launch(LocalConfig.local("bob", bobGossip, bobGui, TestPorts.free(), List.of(), 1,
                dir.resolve("bob"))).await();
        alice = new SplitNode(dir, bobGossip).start();
        a = new Browser("split-alice");
        b = new Browser("split-bob");
        b.open(org.decwebrtc.deploy.GuiToken.pageUrl(bobGui, dir.resolve("bob")));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            a.open(alice.pageUrl());
            return true;
        });
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.hasCallButton("bob") && b.hasCallButton("alice"));
        call();

        alice.killGossipJvm();
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> a.notice().contains("signaling unavailable"));
        System.out.println("[split] alice's page after her gossip JVM died: " + a.notice());

        alice.startGossipJvm();
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.notice().contains("signaling reconnected"));
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.hasCallButton("bob") && b.hasCallButton("alice"));
        call();
    }

    private void call() {
        a.callAndAnswer(b, "bob", WAIT);
        a.click("hangup");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
    }
}

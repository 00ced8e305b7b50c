package org.decwebrtc.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One node split over two JVMs on a clustered event bus (Hazelcast, TCP/IP members on loopback only): the
 * gateway in one, gossip+STUN/TURN in the other. The gateway shows the network through the cluster, reports
 * the loss of its gossip JVM, and recovers when it comes back.
 */
class SplitDeploymentIT {
    @TempDir
    Path dir;
    private final Vertx client = Vertx.vertx();
    private final WebClient web = WebClient.create(client, new WebClientOptions().setSsl(true).setTrustAll(true)
            .setVerifyHost(false));
    private NodeLauncher.RunningNode bob;
    private SplitNode alice;
    private final int bobGossip = TestPorts.free();

    @AfterEach
    void stop() throws Exception {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close().await();
        }
        client.close().await();
    }

    private HttpResponse<Buffer> apiNode() {
        return web.get(alice.guiPort, "127.0.0.1", alice.withToken("/api/node")).timeout(3000).send().await();
    }

    @Test
    void gatewayInOneJvmSeesTheNetworkThroughGossipInAnother() throws Exception {
        bob = NodeLauncher.launch(LocalConfig.local("bob", bobGossip, 0, 0, List.of(), 1, dir.resolve("bob"))
                .withVerticles(List.of("gossip"))).await();
        alice = new SplitNode(dir, bobGossip).start();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                apiNode().bodyAsJsonObject().getJsonArray("users").stream()
                        .anyMatch(u -> ((JsonObject) u).getString("name").equals("bob")));

        alice.killGossipJvm();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> apiNode().statusCode() == 503);
        assertThat(apiNode().bodyAsJsonObject().getString("error")).contains("gossip unavailable");
        assertThat(alice.gatewayAlive()).isTrue();

        alice.startGossipJvm();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                apiNode().bodyAsJsonObject().getJsonArray("users").stream()
                        .anyMatch(u -> ((JsonObject) u).getString("name").equals("bob")));
    }
}

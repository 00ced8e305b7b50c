package org.decwebrtc.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.DockerComposeContainer;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * compose.yaml, built from deploy/Dockerfile on the local base image, brought up by Testcontainers with the
 * host's docker-compose (no helper image, no pulls): alice and bob find each other only through the two relays,
 * call each other from two Chromium on the host, and `down` leaves nothing behind.
 */
class ComposeDockerIT {
    private static final String BASE_IMAGE = System.getProperty("decwebrtc.baseImage", "local/jre17");
    private static DockerComposeContainer<?> compose;
    private static final Vertx CLIENT = Vertx.vertx();
    private static final WebClient WEB = WebClient.create(CLIENT, new WebClientOptions().setSsl(true)
            .setTrustAll(true).setVerifyHost(false));

    @BeforeAll
    static void up() throws Exception {
        assumeThat(DockerClientFactory.instance().isDockerAvailable())
                .as("no Docker engine reachable (DOCKER_HOST=%s): ./test.sh starts one with ../shared/docker/dockerd-up",
                        System.getenv("DOCKER_HOST"))
                .isTrue();
        assumeThat(docker("image", "inspect", BASE_IMAGE).exitCode())
                .as("base image %s missing: ./test.sh builds it with ../shared/docker/base-image", BASE_IMAGE)
                .isZero();
        compose = new DockerComposeContainer<>(new File("../compose.yaml"))
                .withLocalCompose(true)
                .withPull(false)
                .withBuild(true)
                .withEnv("BASE_IMAGE", BASE_IMAGE);
        compose.start();
    }

    @AfterAll
    static void down() throws Exception {
        CLIENT.close().await();
        if (compose == null) {
            return;
        }
        compose.stop();
        assertThat(docker("ps", "-a", "--filter", "ancestor=decwebrtc/node:local", "-q").out()).isBlank();
        assertThat(docker("network", "ls", "--format", "{{.Name}}").out())
                .doesNotContain("_lan_a").doesNotContain("_lan_b").doesNotContain("_backbone");
        // and no bridge of those networks is left on the host
        Process ip = new ProcessBuilder("ip", "-o", "addr").redirectErrorStream(true).start();
        String addresses = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ip.waitFor();
        assertThat(addresses).doesNotContain("198.18.10.").doesNotContain("198.18.11.").doesNotContain("198.18.12.");
    }

    private static JsonObject apiNode(int port) throws Exception {
        String user = port == 8080 ? "alice" : "bob";
        return WEB.get(port, "127.0.0.1", "/api/node?k=" + token(user)).timeout(3000).send().await().bodyAsJsonObject();
    }

    /** A container's GUI access token, from the link its node logs ("GUI at https://127.0.0.1:8080/#k=..."). */
    static String token(String service) throws Exception {
        String id = docker("ps", "-q", "--filter", "label=com.docker.compose.service=" + service).out().trim();
        assertThat(id).as("container of " + service).isNotBlank();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("GUI at https://\\S+/#k=([A-Za-z0-9_-]+)")
                .matcher(docker("logs", id.lines().findFirst().orElseThrow()).out());
        String token = null;
        while (m.find()) {
            token = m.group(1); // the last start's
        }
        assertThat(token).as(service + "'s node has printed its GUI link").isNotNull();
        return token;
    }

    private static Map<String, Integer> hops(JsonObject node) {
        return node.getJsonArray("users").stream().map(o -> (JsonObject) o)
                .collect(Collectors.toMap(u -> u.getString("name"), u -> u.getInteger("hops")));
    }

    @Test
    void aliceAndBobSeeEachOtherOnlyThroughTheTwoRelays() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                hops(apiNode(8080)).containsKey("bob") && hops(apiNode(8081)).containsKey("alice"));
        JsonObject alice = apiNode(8080);
        JsonObject bob = apiNode(8081);
        assertThat(hops(alice)).containsEntry("bob", 3).containsEntry("relay1", 1).containsEntry("relay2", 2);
        assertThat(hops(bob)).containsEntry("alice", 3).containsEntry("relay2", 1).containsEntry("relay1", 2);
        assertThat(alice.getJsonArray("peers").getList()).containsExactly("198.18.10.10:5000");
        assertThat(bob.getJsonArray("peers").getList()).containsExactly("198.18.12.20:5000");
    }

    @Test
    void aliceCallsBobThroughTheComposeNetwork() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                hops(apiNode(8080)).containsKey("bob") && hops(apiNode(8081)).containsKey("alice"));
        try (Browser a = new Browser("compose-alice"); Browser b = new Browser("compose-bob")) {
            a.open("https://127.0.0.1:8080/#k=" + token("alice"));
            b.open("https://127.0.0.1:8081/#k=" + token("bob"));
            Duration wait = Duration.ofSeconds(30);
            await().atMost(wait).until(() -> a.hasCallButton("bob") && b.hasCallButton("alice"));
            System.out.printf("[compose] alice -> bob through relay1 and relay2: both videos playing %d ms after the call%n",
                    a.callAndAnswer(b, "bob", wait));
            a.el("chat-input").sendKeys("hi bob, from a container");
            a.click("chat-send");
            await().atMost(wait).until(() -> b.all("chat-message").stream()
                    .anyMatch(e -> "hi bob, from a container".equals(e.getAttribute("textContent"))));
            a.click("hangup");
            await().atMost(wait).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        }
    }

    record Result(int exitCode, String out) {
    }

    static Result docker(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "docker";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}

package org.decwebrtc.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.deploy.LocalConfig;
import org.decwebrtc.deploy.NodeLauncher;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting in-process nodes on loopback and reading their HTTPS status, for the e2e tests. */
final class TestNodes {
    private TestNodes() {
    }

    /** @param token the gateway's access token, read from {@code <dataDir>/gui-token} as an operator would */
    record Node(String name, int gossipPort, int guiPort, int stunPort, NodeLauncher.RunningNode running, String token) {
        /** The link the node prints: the page reads its access token from the fragment. */
        String url() {
            return "https://127.0.0.1:" + guiPort + "/#k=" + token;
        }

        String origin() {
            return "https://127.0.0.1:" + guiPort;
        }
    }

    static Node start(String name, int gossipPort, List<Integer> peerGossipPorts, Path dir) throws Exception {
        int guiPort = FreePorts.tcpAndUdp();
        int stunPort = FreePorts.tcpAndUdp();
        List<String> peers = peerGossipPorts.stream().map(p -> "127.0.0.1:" + p).toList();
        NodeConfig local = LocalConfig.local(name, gossipPort, guiPort, stunPort, peers, 1, dir);
        NodeConfig settings = local.withTurn(local.turn().withAllowPeers(List.of("127.0.0.0/8")));
        NodeLauncher.RunningNode running = NodeLauncher.launch(settings).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return new Node(name, gossipPort, guiPort, stunPort, running, org.decwebrtc.deploy.GuiToken.read(dir));
    }

    /** Alice's and bob's nodes, bob's with alice's as its gossip neighbour. */
    record Pair(Node alice, Node bob) {
    }

    /** Starts alice's node, then bob's listing alice's as its neighbour, with their data under {@code dir}. */
    static Pair startPair(Path dir) throws Exception {
        Node alice = start("alice", FreePorts.tcpAndUdp(), List.of(), dir.resolve("alice"));
        Node bob = start("bob", FreePorts.tcpAndUdp(), List.of(alice.gossipPort()), dir.resolve("bob"));
        return new Pair(alice, bob);
    }

    static WebClient client(Vertx vertx) {
        // Our own self-signed certificate on loopback: nothing to verify against.
        return WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    }

    /** GET with the node's access token as {@code ?k=} (the page's files need none; /api/* does). */
    static HttpResponse<Buffer> get(WebClient client, Node node, String path) throws Exception {
        String withToken = path + (path.contains("?") ? "&" : "?") + "k=" + node.token();
        return client.get(node.guiPort(), "127.0.0.1", withToken).send().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    static JsonObject status(WebClient client, Node node) {
        try {
            return get(client, node, "/api/node").bodyAsJsonObject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void stop(Node node) throws Exception {
        if (node != null) {
            node.running().close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    /** Removes a test's temporary directory; a file still in use only stays behind. */
    static void deleteTree(Path root) {
        if (root == null || !java.nio.file.Files.exists(root)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("[e2e] could not remove " + root + ": " + e);
        }
    }
}

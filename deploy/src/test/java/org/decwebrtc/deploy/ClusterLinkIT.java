package org.decwebrtc.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import org.decwebrtc.api.config.ClusterConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The link between the JVMs of a split node, attacked from the same machine: what it listens on, and what a JVM
 * without the secret, or outside the member list, gets.
 */
class ClusterLinkIT {
    private static final String ECHO = "decwebrtc.test.echo";

    @TempDir
    Path dir;

    private final List<Vertx> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(v -> v.close().toCompletionStage().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS)
                .exceptionally(e -> null).join());
    }

    private Path secretFile(String name, String secret) throws IOException {
        return Files.writeString(dir.resolve(name), secret + "\n");
    }

    @Test
    void aClusteredNodeListensOnTheClusterHostOnly() throws Exception {
        int clusterPort = TestPorts.free();
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.log"), "-name", "lone", "-verticles", "gossip",
                "-bind", "127.0.0.1", "-gossipPort", "" + TestPorts.free(), "-dataDir", dir.resolve("lone").toString(),
                "--cluster", "--cluster-host", "127.0.0.1", "--cluster-port", "" + clusterPort,
                "--cluster-members", "127.0.0.1:" + TestPorts.free(),
                "--cluster-secret-file", secretFile("secret", "listener-test-secret-0123").toString())) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> node.log().contains("gossip on") || !node.alive());
            assertThat(node.alive()).as(node.log()).isTrue();
            List<String> listeners = tcpListeners(node.handle().pid());
            System.out.println("[cluster] TCP listeners of the clustered JVM: " + listeners);
            assertThat(listeners).as("Hazelcast's port").contains("127.0.0.1:" + clusterPort);
            assertThat(listeners).as("Hazelcast and the event bus, nothing on another address")
                    .hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.startsWith("127.0.0.1:"));
        }
    }

    @Test
    void strangersDoNotJoinWhileTheMembersStillTalk() throws Exception {
        String secret = "the-members-secret-0123456789";
        int portA = TestPorts.free();
        int portB = TestPorts.free();
        Path file = secretFile("secret", secret);
        Vertx a = member("a", portA, List.of("127.0.0.1:" + portB), file);
        Vertx b = member("b", portB, List.of("127.0.0.1:" + portA), file);
        List<String> reachedB = new CopyOnWriteArrayList<>();
        b.eventBus().<String>consumer(ECHO, m -> {
            reachedB.add(m.body());
            m.reply("echo " + m.body());
        }).completion().await(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> nodes(a) == 2 && nodes(b) == 2);
        assertThat(echo(a, "from a")).isEqualTo("echo from a");

        // Without the secret (another one), listing a: refused by Hazelcast.
        CompletableFuture<Vertx> noSecret = launch("nosecret", TestPorts.free(), List.of("127.0.0.1:" + portA),
                secretFile("other", "some-other-secret-0123456789"));
        // With the secret, but at an address the members do not list: refused as well.
        CompletableFuture<Vertx> unlisted = launch("unlisted", TestPorts.free(), List.of("127.0.0.1:" + portA), file);
        for (CompletableFuture<Vertx> stranger : List.of(noSecret, unlisted)) {
            Vertx v = awaitStart(stranger);
            if (v != null) {
                assertThat(nodes(v)).as("a stranger forms a cluster of its own").isEqualTo(1);
            }
        }
        assertThat(nodes(a)).isEqualTo(2);
        assertThat(nodes(b)).isEqualTo(2);

        assertThat(echo(a, "still talking")).isEqualTo("echo still talking");
    }

    private NodeConfig config(String name, int port, List<String> members, Path secretFile) {
        return LocalConfig.local(name, 0, 0, 0, List.of(), 10, dir.resolve(name)).withVerticles(List.of())
                .withCluster(new ClusterConfig(true, "127.0.0.1", port, members, secretFile.toString()));
    }

    private CompletableFuture<Vertx> launch(String name, int port, List<String> members, Path secretFile) {
        return NodeLauncher.launch(config(name, port, members, secretFile)).map(NodeLauncher.RunningNode::vertx)
                .onSuccess(started::add).toCompletionStage().toCompletableFuture();
    }

    private Vertx member(String name, int port, List<String> members, Path secretFile) throws Exception {
        return launch(name, port, members, secretFile).get(90, TimeUnit.SECONDS);
    }

    /** A stranger's start: it may finish on its own (a cluster of one) or keep trying to join; either is fine. */
    private static Vertx awaitStart(CompletableFuture<Vertx> start) {
        try {
            return start.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("[cluster] a stranger did not start within 60 s: " + e);
            return null;
        }
    }

    private static int nodes(Vertx vertx) {
        return ((VertxInternal) vertx).clusterManager().getNodes().size();
    }

    private static String echo(Vertx from, String text) throws Exception {
        return from.eventBus().<String>request(ECHO, text, new DeliveryOptions().setSendTimeout(10_000))
                .await(15, TimeUnit.SECONDS).body();
    }

    /** {@code address:port} of every TCP socket the process listens on (from /proc/net/tcp{,6} and its fds). */
    private static List<String> tcpListeners(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", "" + pid, "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<String> listeners = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    listeners.add(address(local[0]) + ":" + Integer.parseInt(local[1], 16));
                }
            }
        }
        return listeners;
    }

    /** /proc/net/tcp's hex address (32-bit words in host byte order) as text; IPv4-mapped IPv6 as IPv4. */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        return address.getHostAddress();
    }

}

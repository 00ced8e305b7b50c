package org.decwebrtc.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import org.decwebrtc.api.config.ClusterConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The link between the JVMs of a split node, attacked from the same machine: what it listens on, and what a JVM
 * without the secret, or outside the member list, gets.
 */
class ClusterLinkIT {
    private static final String ECHO = "decwebrtc.test.echo";
    private static final String OVERHEARD = "decwebrtc.test.overheard";

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
                "-metricsPort", "0",
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
                    .hasSize(2).allMatch(l -> l.startsWith("127.0.0.1:"));
            int eventBusPort = listeners.stream().filter(l -> !l.equals("127.0.0.1:" + clusterPort))
                    .mapToInt(l -> Integer.parseInt(l.substring(l.lastIndexOf(':') + 1))).findFirst().orElseThrow();
            assertThat(handshake(eventBusPort, "no certificate, to the jar's event bus", null)).startsWith("refused");
        }
    }

    @Test
    void strangersDoNotJoinWhileTheMembersStillTalk() throws Exception {
        String secret = "the-members-secret-0123456789";
        Members members = twoTalkingMembers(secret);
        Vertx a = members.a();
        Vertx b = members.b();
        int portA = members.portA();
        Path file = members.secretFile();

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

    @Test
    void theEventBusPortSpeaksOnlyTlsAndWantsAMembersCertificate() throws Exception {
        String secret = "the-members-secret-0123456789";
        int portA = TestPorts.free();
        int portB = TestPorts.free();
        Path file = secretFile("secret", secret);
        Vertx a = member("a", portA, List.of("127.0.0.1:" + portB), file);
        int eventBusPort = ((VertxInternal) a).clusterManager().getNodeInfo().port();
        System.out.println("[cluster] a's event bus listens on 127.0.0.1:" + eventBusPort);

        // Plain TCP: an event-bus frame in clear gets no answer, only the connection closed.
        try (Socket plain = new Socket("127.0.0.1", eventBusPort)) {
            plain.setSoTimeout(10_000);
            byte[] frame = "\0\0\0\u0020\u0001\u0009decwebrtc.test.echo in clear".getBytes(StandardCharsets.ISO_8859_1);
            plain.getOutputStream().write(frame);
            byte[] answer;
            try {
                answer = plain.getInputStream().readNBytes(4096);
            } catch (java.net.SocketException reset) {
                answer = new byte[0];
            }
            System.out.println("[cluster] plain TCP frame answered with " + answer.length + " bytes, then closed");
            assertThat(answer.length == 0 || answer[0] == 0x15).as("nothing, or a TLS alert").isTrue();
        }

        ClusterConfig asB = new ClusterConfig(true, "127.0.0.1", portB, List.of("127.0.0.1:" + portA), file.toString());
        ClusterTls rightSecret = ClusterTls.create(ClusterSecret.of(secret), asB, dir.resolve("right"));
        ClusterTls otherSecret = ClusterTls.create(ClusterSecret.of("some-other-secret-0123456789"), asB,
                dir.resolve("other"));

        // TLS without a certificate, and with one from another secret's authority: refused by a.
        assertThat(handshake(eventBusPort, "no certificate", null)).startsWith("refused");
        assertThat(handshake(eventBusPort, "another secret's certificate", otherSecret)).startsWith("refused");
        // With a certificate from the members' authority, the same handshake goes through (and stays open).
        String accepted = handshake(eventBusPort, "a certificate from the members' secret", rightSecret);
        assertThat(accepted).isEqualTo("open TLSv1.3, server CN=decwebrtc cluster member 127.0.0.1_" + portA
                + " issued by CN=decwebrtc cluster authority");
    }

    @Test
    void aJvmThatForgesTheClusterNameStillCannotReadOrInjectEventBusMessages() throws Exception {
        String secret = "the-members-secret-0123456789";
        Members members = twoTalkingMembers(secret);
        Vertx a = members.a();
        Vertx b = members.b();
        int portA = members.portA();
        int portB = members.portB();
        List<String> reachedB = members.reachedB();
        String membersName = ClusterSecret.of(secret).clusterName(List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB));

        // Hazelcast's cluster name travels in clear, so assume a stranger read it off the wire: it joins Hazelcast,
        // but its TLS comes from another secret, or from the right secret with another member list.
        ClusterConfig impostorB = new ClusterConfig(true, "127.0.0.1", portB, List.of("127.0.0.1:" + portA), "unused");
        ClusterConfig otherList = new ClusterConfig(true, "127.0.0.1", TestPorts.free(),
                List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB), "unused");
        Map<String, ClusterTls> impostors = new LinkedHashMap<>();
        impostors.put("another secret, the members' list",
                ClusterTls.create(ClusterSecret.of("some-other-secret-0123456789"), impostorB, dir.resolve("i1")));
        impostors.put("the secret, another member list",
                ClusterTls.create(ClusterSecret.of(secret), otherList, dir.resolve("i2")));
        for (Map.Entry<String, ClusterTls> impostor : impostors.entrySet()) {
            int hazelcastPort = TestPorts.free();
            Vertx stranger = Vertx.builder()
                    .with(new VertxOptions().setEventBusOptions(impostor.getValue().eventBusOptions("127.0.0.1")))
                    .withClusterManager(new HazelcastClusterManager(NodeLauncher.hazelcast(new ClusterConfig(true,
                            "127.0.0.1", hazelcastPort, List.of("127.0.0.1:" + portA), "unused"), membersName)))
                    .buildClustered().await(90, TimeUnit.SECONDS);
            started.add(stranger);
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes(a) == 3);
            System.out.println("[cluster] impostor with " + impostor.getKey() + " is in Hazelcast: " + nodes(a)
                    + " nodes");
            List<String> overheard = new CopyOnWriteArrayList<>();
            stranger.eventBus().<String>consumer(OVERHEARD, m -> overheard.add(m.body()))
                    .completion().await(10, TimeUnit.SECONDS);

            // Inject: a request from the impostor to b's consumer never reaches it.
            Throwable injected = requestOnceSubscribed(stranger, ECHO, "injected");
            System.out.println("[cluster] impostor's request: " + injected);
            assertThat(injected).as("the impostor gets no answer").isNotNull();
            // Read: what a sends to the impostor's consumer never arrives.
            Throwable sent = requestOnceSubscribed(a, OVERHEARD, "for members only");
            a.eventBus().publish(OVERHEARD, "published to all");
            System.out.println("[cluster] a's request to the impostor: " + sent);
            assertThat(sent).isNotNull();
            Thread.sleep(2_000);
            assertThat(overheard).as(impostor.getKey()).isEmpty();
            assertThat(reachedB).doesNotContain("injected");

            stranger.close().await(30, TimeUnit.SECONDS);
            started.remove(stranger);
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes(a) == 2 && nodes(b) == 2);
            assertThat(echo(a, "still talking")).isEqualTo("echo still talking");
        }
    }

    /**
     * A TLS 1.3 handshake with the event bus at {@code port} that trusts any server, presenting the member
     * certificate of {@code identity} (none if null), then a read: "refused …" when the server turned it down,
     * "open …" when it kept the connection (a member's bus says nothing until asked, so the read times out).
     */
    private static String handshake(int port, String label, ClusterTls identity) throws Exception {
        KeyManager[] keys = null;
        if (identity != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("member", identity.memberKey(), new char[0], new Certificate[]{identity.member()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys, new TrustManager[]{new TrustAnyServer()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            // Long enough for a loaded machine's verdict: a refusal seen as "still open" would fail the test.
            socket.setSoTimeout(10_000);
            String result;
            try {
                socket.startHandshake();
                X509Certificate server = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                String session = socket.getSession().getProtocol() + ", server " + server.getSubjectX500Principal()
                        + " issued by " + server.getIssuerX500Principal();
                // TLS 1.3 finishes the client's side before the server has checked the client's certificate: its
                // verdict arrives as the first record.
                int first = socket.getInputStream().read();
                result = first < 0 ? "refused: closed after " + session : "open " + session + " (read " + first + ")";
            } catch (SocketTimeoutException e) {
                result = "open " + socket.getSession().getProtocol() + ", server "
                        + ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        + " issued by " + ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                        .getIssuerX500Principal();
            } catch (SSLException | java.net.SocketException e) {
                result = "refused: " + e;
            }
            System.out.println("[cluster] handshake with " + label + ": " + result);
            return result;
        }
    }

    /** The test's client checks nothing of the server: what is tested is the server's check of the client. */
    private static final class TrustAnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * What {@code from} gets for a request to {@code address}, once the cluster knows a consumer for it (before
     * that, the request fails with "no handlers").
     */
    private static Throwable requestOnceSubscribed(Vertx from, String address, String body) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            failure.set(catchThrowable(() -> from.eventBus().request(address, body,
                    new DeliveryOptions().setSendTimeout(5_000)).await(15, TimeUnit.SECONDS)));
            return !(failure.get() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS);
        });
        return failure.get();
    }

    private NodeConfig config(String name, int port, List<String> members, Path secretFile) {
        return LocalConfig.local(name, 0, 0, 0, List.of(), 10, dir.resolve(name)).withVerticles(List.of())
                .withCluster(new ClusterConfig(true, "127.0.0.1", port, members, secretFile.toString()));
    }

    private CompletableFuture<Vertx> launch(String name, int port, List<String> members, Path secretFile) {
        return NodeLauncher.launch(config(name, port, members, secretFile)).map(NodeLauncher.RunningNode::vertx)
                .onSuccess(started::add).toCompletionStage().toCompletableFuture();
    }

    /** Two members a and b of one cluster, each listing the other; b echoes on {@link #ECHO} and keeps what reached it. */
    private record Members(Vertx a, Vertx b, int portA, int portB, Path secretFile, List<String> reachedB) {
    }

    /** Starts a and b with {@code secret}, and returns once a's message has come back from b. */
    private Members twoTalkingMembers(String secret) throws Exception {
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
        return new Members(a, b, portA, portB, file, reachedB);
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

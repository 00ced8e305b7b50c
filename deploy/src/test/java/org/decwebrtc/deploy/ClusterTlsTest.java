package org.decwebrtc.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.decwebrtc.api.config.ClusterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The event bus's TLS identities a secret gives, without a cluster. */
class ClusterTlsTest {
    private static final ClusterSecret SECRET = ClusterSecret.of("the-members-secret-0123456789");
    private static final ClusterSecret OTHER = ClusterSecret.of("someone-elses-secret-0123456");

    @TempDir
    Path dir;

    private static ClusterConfig member(int port, int other) {
        return new ClusterConfig(true, "127.0.0.1", port, List.of("127.0.0.1:" + other), "unused");
    }

    @Test
    void membersWithTheSecretAndTheListTrustEachOther() throws Exception {
        ClusterTls a = ClusterTls.create(SECRET, member(5801, 5802), dir.resolve("a"));
        ClusterTls b = ClusterTls.create(SECRET, member(5802, 5801), dir.resolve("b"));

        assertThat(a.authority().getPublicKey()).as("one authority for both").isEqualTo(b.authority().getPublicKey());
        b.member().verify(a.authority().getPublicKey());
        a.member().verify(b.authority().getPublicKey());
        assertThat(a.member().getPublicKey()).as("each member has a key of its own").isNotEqualTo(b.member().getPublicKey());
        assertThat(a.member().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(a.member().getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
        assertThat(a.member().getBasicConstraints()).as("a member cannot sign").isEqualTo(-1);
        System.out.println("[cluster-tls] member " + a.member().getSubjectX500Principal() + " issued by "
                + a.member().getIssuerX500Principal());
    }

    @Test
    void anotherSecretOrAnotherMemberListGivesAnAuthorityNoMemberTrusts() throws Exception {
        ClusterTls member = ClusterTls.create(SECRET, member(5801, 5802), dir.resolve("member"));
        ClusterTls otherSecret = ClusterTls.create(OTHER, member(5802, 5801), dir.resolve("other-secret"));
        ClusterTls otherList = ClusterTls.create(SECRET, member(5803, 5801), dir.resolve("other-list"));

        for (ClusterTls stranger : List.of(otherSecret, otherList)) {
            assertThat(stranger.authority().getPublicKey()).isNotEqualTo(member.authority().getPublicKey());
            assertThatThrownBy(() -> stranger.member().verify(member.authority().getPublicKey()))
                    .isInstanceOf(SignatureException.class);
        }
    }

    @Test
    void theFilesVertxReadsAreOwnerOnlyAndHoldTheMembersIdentity() throws Exception {
        ClusterTls tls = ClusterTls.create(SECRET, member(5801, 5802), dir.resolve("node"));
        Path files = tls.directory();
        assertThat(files).isEqualTo(dir.resolve("node").resolve("cluster-tls").resolve("127.0.0.1_5801"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files))).isEqualTo("rwx------");
        try (var list = Files.list(files)) {
            assertThat(list.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("authority.pem", "member-key.pem", "member.pem");
        }
        for (String name : List.of("authority.pem", "member-key.pem", "member.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }
        assertThat(certificate(files.resolve("member.pem"))).isEqualTo(tls.member());
        assertThat(certificate(files.resolve("authority.pem"))).isEqualTo(tls.authority());
        assertThat(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                der(files.resolve("member-key.pem"), "PRIVATE KEY")))).isEqualTo(tls.memberKey());

        // A restart makes a new member key and replaces the files; the authority stays the same.
        ClusterTls again = ClusterTls.create(SECRET, member(5801, 5802), dir.resolve("node"));
        assertThat(again.memberKey()).isNotEqualTo(tls.memberKey());
        assertThat(certificate(files.resolve("member.pem"))).isEqualTo(again.member());
        assertThat(again.authority().getPublicKey()).isEqualTo(tls.authority().getPublicKey());
    }

    @Test
    void theEventBusOptionsAskForMutualTlsAndSurviveJson() {
        ClusterTls tls = ClusterTls.create(SECRET, member(5801, 5802), dir.resolve("node"));
        EventBusOptions options = tls.eventBusOptions("127.0.0.1");
        // Vert.x makes the event bus's server and client from this JSON, so it must carry everything.
        EventBusOptions copy = new EventBusOptions(new JsonObject(options.toJson().encode()));
        assertThat(copy.isSsl()).isTrue();
        assertThat(copy.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(copy.isTrustAll()).isFalse();
        assertThat(copy.getHost()).isEqualTo("127.0.0.1");
        assertThat(copy.getEnabledSecureTransportProtocols()).containsExactly("TLSv1.3");
        assertThat(((PemKeyCertOptions) copy.getKeyCertOptions()).getKeyPaths())
                .containsExactly(tls.directory().resolve("member-key.pem").toString());
        assertThat(((PemTrustOptions) copy.getTrustOptions()).getCertPaths())
                .containsExactly(tls.directory().resolve("authority.pem").toString());
    }

    /**
     * The event bus's server and client as Vert.x makes them (both from the options' JSON, the client with no host
     * name check), without Hazelcast: a member's bytes reach another member, a stranger's never do.
     */
    @Test
    void onlyMembersExchangeBytesOverTheEventBusTls() throws Exception {
        ClusterTls a = ClusterTls.create(SECRET, member(5801, 5802), dir.resolve("a"));
        ClusterTls b = ClusterTls.create(SECRET, member(5802, 5801), dir.resolve("b"));
        ClusterTls otherSecret = ClusterTls.create(OTHER, member(5802, 5801), dir.resolve("other-secret"));
        ClusterTls otherList = ClusterTls.create(SECRET, member(5803, 5801), dir.resolve("other-list"));
        Vertx vertx = Vertx.vertx();
        try {
            List<String> received = new CopyOnWriteArrayList<>();
            NetServer server = vertx.createNetServer(new NetServerOptions(a.eventBusOptions("127.0.0.1").toJson()))
                    .connectHandler(socket -> socket.handler(data -> received.add(data.toString())));
            int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

            assertThat(send(vertx, b, port, "from b")).as("a member").isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("from b"));
            for (ClusterTls stranger : List.of(otherSecret, otherList)) {
                Throwable refused = send(vertx, stranger, port, "from a stranger");
                System.out.println("[cluster-tls] a stranger's connection: " + refused);
                assertThat(refused).as("the stranger's side fails too: it does not trust a's certificate").isNotNull();
            }
            // A stranger that trusts any server gets further on its own side, but a refuses its certificate.
            for (ClusterTls stranger : List.of(otherSecret, otherList)) {
                System.out.println("[cluster-tls] a stranger trusting any server: "
                        + send(vertx, stranger.eventBusOptions("127.0.0.1").setTrustAll(true), port, "injected"));
            }
            // A stranger's server: a member refuses it as well, so a member never sends it a message.
            NetServer strangers = vertx.createNetServer(new NetServerOptions(otherSecret.eventBusOptions("127.0.0.1")
                    .toJson())).connectHandler(socket -> socket.handler(data -> received.add("stranger got " + data)));
            int strangersPort = strangers.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
            assertThat(send(vertx, b, strangersPort, "to a stranger")).isNotNull();
            Thread.sleep(1_000);
            assertThat(received).containsExactly("from b");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** Connects as the event bus's client of {@code from}, writes {@code text}; the failure, or null. */
    private static Throwable send(Vertx vertx, ClusterTls from, int port, String text) {
        return send(vertx, from.eventBusOptions("127.0.0.1"), port, text);
    }

    private static Throwable send(Vertx vertx, EventBusOptions options, int port, String text) {
        NetClient client = vertx.createNetClient(new NetClientOptions(options.toJson())
                .setHostnameVerificationAlgorithm(""));
        try {
            NetSocket socket = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
            socket.write(text).await(10, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            client.close();
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    private static byte[] der(Path pem, String type) throws Exception {
        String text = Files.readString(pem);
        assertThat(text).startsWith("-----BEGIN " + type + "-----\n").endsWith("-----END " + type + "-----\n");
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    }
}

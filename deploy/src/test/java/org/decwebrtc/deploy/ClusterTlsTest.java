package org.decwebrtc.deploy;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

package org.decwebrtc.stun.server;

import org.decwebrtc.stun.testing.TlsTestClient;
import io.vertx.core.net.PfxOptions;
import org.decwebrtc.api.tls.SelfSignedCertificate;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** STUN over TLS (the transport of {@code turns:}) as a client sees it, and what bad clients get. */
class TlsListenerTest {
    @TempDir
    static Path dataDir;
    private static LocalStunServer local;
    private static PfxOptions keyCert;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.loadOrCreate(dataDir, "alice", "turns.p12");
        keyCert = new PfxOptions().setPath(cert.keystore().toString()).setPassword(cert.password());
        local = LocalStunServer.start(b -> b.binding("decwebrtc").tcpStallTimeoutMs(500)
                .tls(new TlsListener(0, keyCert, false)));
    }

    @AfterAll
    static void stop() throws Exception {
        local.close();
    }

    @Test
    void bindingOverTlsAnswersWithTheClientsAddressOnItsOwnPort() throws Exception {
        int tlsPort = local.server.tlsPort();
        assertThat(tlsPort).isPositive().isNotEqualTo(local.server.port());
        try (SSLSocket socket = TlsTestClient.trustingSocket(tlsPort)) {
            socket.startHandshake();
            assertThat(socket.getSession().getPeerCertificates()[0].toString()).contains("CN=decwebrtc alice");
            StunMessage request = StunTestClient.binding();
            socket.getOutputStream().write(request.encode(null));
            StunMessage response = TlsTestClient.readFrame(socket.getInputStream());
            assertThat(response.messageClass()).isEqualTo(MessageType.SUCCESS);
            assertThat(response.transactionId()).isEqualTo(request.transactionId());
            assertThat(response.get(XorAddressAttribute.class).address()).isEqualTo(socket.getLocalSocketAddress());
        }
    }

    @Test
    void plainTcpOnTheTlsPortGetsNoStunAnswerAndTheServerKeepsServing() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", local.server.tlsPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(StunTestClient.binding().encode(null));
            // A TLS server answers a non-handshake with an alert or a close, never with a STUN response.
            byte[] got = plain.getInputStream().readNBytes(20);
            assertThat(got.length == 0 || got[0] == 0x15).as("alert (0x15) or close").isTrue();
        }
        bindingOverTlsAnswersWithTheClientsAddressOnItsOwnPort();
    }

    @Test
    void garbageAfterTheHandshakeClosesOnlyThatConnection() throws Exception {
        try (SSLSocket socket = TlsTestClient.trustingSocket(local.server.tlsPort())) {
            socket.getOutputStream().write("not a stun message at all".getBytes());
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(local.server.metrics().toJson().getLong("tcpClosedGarbage")).isPositive();
    }

    @Test
    void aTakenExplicitPortFailsTheStartButAnOptionalOneFallsBackToAFreePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> StunServer.builder(local.vertx).bind("127.0.0.1").port(0).binding(null)
                    .tls(new TlsListener(port, keyCert, false)).listen().await(10, TimeUnit.SECONDS))
                    .hasMessageContaining("TLS");
            StunServer fallback = StunServer.builder(local.vertx).bind("127.0.0.1").port(0).binding(null)
                    .tls(new TlsListener(port, keyCert, true)).listen().await(10, TimeUnit.SECONDS);
            try {
                assertThat(fallback.tlsPort()).isPositive().isNotEqualTo(port);
            } finally {
                fallback.close().await(5, TimeUnit.SECONDS);
            }
        }
    }
}

package org.decwebrtc.turn.it;

import org.decwebrtc.stun.testing.TlsTestClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.IceServers;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.turn.TurnVerticle;
import org.decwebrtc.turn.message.RequestedTransport;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decwebrtc.turn.it.TurnTestClient.errorCode;

/** TURN over TLS: offered to the browser as a {@code turns:} URL, served by the TURN handlers, configurable. */
class TurnTlsTest {

    @Test
    void turnsUrlIsOfferedInTheOwnTurnEntryAndTheTlsPortServesTurn() throws Exception {
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn())) {
            int tlsPort = node.stats().getInteger("tlsPort");
            assertThat(tlsPort).isPositive();
            JsonObject turn = IceServers.fromJson(node.request(Addresses.iceServers(node.name),
                    new JsonObject().put("user", "erin"))).servers().getJsonObject(1);
            assertThat(turn.getJsonArray("urls").getList()).contains("turns:127.0.0.1:" + tlsPort + "?transport=tcp");
            assertThat(turn.getString("username")).endsWith(":erin");
            // An unauthenticated Allocate over TLS gets the TURN server's 401 challenge: the TURN methods, not
            // just STUN Binding, are reachable through TLS.
            try (SSLSocket socket = TlsTestClient.trustingSocket(tlsPort)) {
                StunMessage allocate = StunMessage.builder(MessageType.ALLOCATE, MessageType.REQUEST)
                        .add(new RequestedTransport(17)).build();
                socket.getOutputStream().write(allocate.encode(null));
                StunMessage response = TlsTestClient.readFrame(socket.getInputStream());
                assertThat(response.transactionId()).isEqualTo(allocate.transactionId());
                assertThat(errorCode(response)).isEqualTo(401);
            }
        }
    }

    @Test
    void tlsPortZeroOffersNoTurnsUrl() throws Exception {
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn().put("tls", new JsonObject().put("port", 0)))) {
            assertThat(node.stats().getInteger("tlsPort")).isZero();
            JsonObject turn = IceServers.fromJson(node.request(Addresses.iceServers(node.name),
                    new JsonObject().put("user", "erin"))).servers().getJsonObject(1);
            List<Object> urls = turn.getJsonArray("urls").getList();
            assertThat(urls).noneMatch(u -> String.valueOf(u).startsWith("turns:"));
        }
    }

    @Test
    void aCertificateWithoutItsKeyStopsTheStartWithAClearReason() throws Exception {
        Path cert = Files.createTempFile("turns", ".pem");
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject config = TurnNode.config("tlsbad", Files.createTempDirectory("turn-node"),
                    TurnNode.loopbackTurn().put("tls", new JsonObject().put("cert", cert.toString())));
            assertThatThrownBy(() -> vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config))
                    .await(20, TimeUnit.SECONDS)).hasMessageContaining("-turnsKey");
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
            Files.deleteIfExists(cert);
        }
    }
}

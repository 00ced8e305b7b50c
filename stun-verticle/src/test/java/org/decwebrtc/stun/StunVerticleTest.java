package org.decwebrtc.stun;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.IceServers;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.config.StunConfig;
import org.decwebrtc.api.ServiceAdvert;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The verticle as a node runs it: serves Binding, advertises itself to gossip, answers ICE-server queries. */
class StunVerticleTest {
    private final Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));

    @AfterEach
    void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private static JsonObject config(String name) {
        return NodeConfig.of(name, Path.of(System.getProperty("java.io.tmpdir"))).withBind("127.0.0.1")
                .withStun(StunConfig.DEFAULTS.withPort(0)).toJson();
    }

    @Test
    void advertisesServesAndAnswersIceServersAndStats() throws Exception {
        CompletableFuture<ServiceAdvert> advert = new CompletableFuture<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.advertise("n1"), m -> {
            advert.complete(ServiceAdvert.fromJson(m.body()));
            m.reply(new JsonObject().put("ok", true));
        });
        vertx.deployVerticle(new StunVerticle(), new DeploymentOptions().setConfig(config("n1")))
                .await(10, TimeUnit.SECONDS);

        ServiceAdvert advertised = advert.get(5, TimeUnit.SECONDS);
        assertThat(advertised.turn()).isNull();
        HostPort stun = HostPort.parse(advertised.stun());
        assertThat(stun.host()).isEqualTo("127.0.0.1");
        assertThat(stun.port()).isPositive();

        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(10_000);
            StunMessage request = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST).build();
            byte[] bytes = request.encode(null);
            client.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(stun.host(), stun.port())));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            client.receive(reply);
            StunMessage response = StunMessage.decode(reply.getData(), 0, reply.getLength());
            assertThat(response.get(XorAddressAttribute.class).address())
                    .isEqualTo(client.getLocalSocketAddress());
        }

        IceServers ice = IceServers.fromJson(vertx.eventBus().<JsonObject>request(Addresses.iceServers("n1"),
                new JsonObject().put("user", "alice")).await(5, TimeUnit.SECONDS).body());
        assertThat(ice.servers().getJsonObject(0).getJsonArray("urls").getString(0))
                .isEqualTo("stun:127.0.0.1:" + stun.port());

        JsonObject stats = vertx.eventBus().<JsonObject>request(Addresses.stunStats("n1"), new JsonObject())
                .await(5, TimeUnit.SECONDS).body();
        assertThat(stats.getLong("requests")).isEqualTo(1);
        assertThat(stats.getLong("successResponses")).isEqualTo(1);
        assertThat(stats.getInteger("port")).isEqualTo(stun.port());
    }

    @Test
    void startsWithoutGossipAndFailsCleanlyOnABusyPort() throws Exception {
        String id = vertx.deployVerticle(new StunVerticle(), new DeploymentOptions().setConfig(config("solo")))
                .await(10, TimeUnit.SECONDS);
        int port = vertx.eventBus().<JsonObject>request(Addresses.stunStats("solo"), new JsonObject())
                .await(5, TimeUnit.SECONDS).body().getInteger("port");
        JsonObject busy = config("second").put("stun", new JsonObject().put("port", port));
        Throwable failure = vertx.deployVerticle(new StunVerticle(), new DeploymentOptions().setConfig(busy))
                .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
        assertThat(failure).as("second server on the same port must fail").isNotNull()
                .hasMessageContaining("already used");
        vertx.undeploy(id).await(5, TimeUnit.SECONDS);
    }
}

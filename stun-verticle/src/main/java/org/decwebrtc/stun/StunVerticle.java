package org.decwebrtc.stun;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.IceServers;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.ServiceAdvert;
import org.decwebrtc.stun.server.AdvertisedHost;
import org.decwebrtc.stun.server.StunServer;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The STUN server of a node without TURN: Binding over UDP and TCP on {@code stunPort}. It advertises its
 * address to gossip so the network learns every STUN server, and answers ICE-server queries with it.
 * (With TURN on, the TURN verticle runs the same {@link StunServer} with more handlers instead.)
 */
public final class StunVerticle extends VerticleBase {
    public static final String SOFTWARE = "decwebrtc";
    private static final Logger LOG = Logger.getLogger(StunVerticle.class.getName());

    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private StunServer server;
    private HostPort advertised;

    @Override
    public Future<?> start() {
        NodeConfig node = NodeConfig.fromJson(config());
        return StunServer.builder(vertx)
                .bind(node.bind())
                .port(node.stun().port())
                .binding(SOFTWARE)
                .udpSockets(node.stun().udpSocketCount())
                // Requests from many clients arrive in bursts; the kernel charges each small datagram its whole
                // buffer, so the usual 208 KiB default holds a few hundred, and a GC pause or a busy core drops the rest.
                .receiveBufferSize(1 << 20)
                // Browsers close STUN-over-TCP after the transaction; a silent connection only costs us.
                .tcpIdleTimeoutSeconds(60)
                .metrics(new SimpleMeterRegistry(), node.name())
                .listen()
                .onSuccess(s -> {
                    server = s;
                    advertised = HostPort.of(AdvertisedHost.choose(node.bind()), s.port());
                    LOG.info("STUN listening on " + node.bind() + ":" + s.port() + " (UDP x" + s.udpSocketCount()
                            + ", TCP), advertised as " + advertised);
                    register(node.name());
                    advertise(node.name());
                });
    }

    private void register(String name) {
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.iceServers(name), msg -> msg.reply(
                new IceServers(new JsonArray().add(new JsonObject()
                        .put("urls", new JsonArray().add("stun:" + advertised)))).toJson())));
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.stunStats(name), msg -> msg.reply(
                server.metrics().toJson().put("port", server.port()).put("advertised", advertised.toString()))));
    }

    private void advertise(String name) {
        // In a split deployment gossip may live elsewhere or not at all: STUN still serves, so only log.
        vertx.eventBus().request(Addresses.advertise(name), new ServiceAdvert(advertised.toString(), null).toJson())
                .onFailure(e -> LOG.info("STUN address not advertised to gossip: " + e.getMessage()));
    }

    @Override
    public Future<?> stop() {
        List<Future<Void>> all = new ArrayList<>();
        consumers.forEach(c -> all.add(c.unregister()));
        if (server != null) {
            all.add(server.close());
        }
        return Future.join(all);
    }
}

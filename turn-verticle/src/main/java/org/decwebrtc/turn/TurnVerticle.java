package org.decwebrtc.turn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.IceServersRequest;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.IceServers;
import org.decwebrtc.api.ServiceAdvert;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.config.TurnConfig;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.server.AdvertisedHost;
import org.decwebrtc.stun.server.BindingHandler;
import org.decwebrtc.stun.server.StunServer;
import org.decwebrtc.stun.server.TlsListener;
import org.decwebrtc.turn.alloc.Allocation;
import org.decwebrtc.turn.alloc.AllocationTable;
import org.decwebrtc.turn.alloc.RelayPortPool;
import org.decwebrtc.turn.auth.Authenticator;
import org.decwebrtc.turn.auth.CredentialStore;
import org.decwebrtc.turn.auth.NonceService;
import org.decwebrtc.turn.message.TurnAttributes;
import org.decwebrtc.turn.server.Reservations;
import org.decwebrtc.turn.server.TurnServer;
import org.decwebrtc.turn.server.TurnShards;
import org.decwebrtc.turn.alloc.Quotas;
import io.vertx.core.spi.transport.Transport;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * STUN and TURN on the node's STUN port (UDP and TCP): Binding answered by the STUN module's handler, the
 * TURN methods by {@link TurnServer}. Also hands out ephemeral TURN credentials on {@code ice.servers},
 * advertises its address to gossip and answers {@code turn.stats}.
 */
public final class TurnVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(TurnVerticle.class.getName());
    private static final String SOFTWARE = "decwebrtc";

    private final LongSupplier clock = System::currentTimeMillis;
    private NodeConfig node;
    private String name;
    private TurnSettings settings;
    private CredentialStore credentials;
    private TurnMetrics metrics;
    private TurnShards turn;
    private StunServer server;
    private String host;
    private long sweepTimer = -1;
    private Reservations reservations;

    @Override
    public Future<?> start() {
        node = NodeConfig.fromJson(config());
        name = node.name();
        String bind = node.bind();
        int port = node.stun().port();
        return secret(node.turn(), node.dataDir())
                .compose(secret -> {
                    settings = TurnSettings.of(node.turn(), secret);
                    host = AdvertisedHost.choose(bind);
                    return vertx.executeBlocking(() -> InetAddress.getByName(
                            settings.relayIp() != null ? settings.relayIp() : host));
                })
                .compose(relayIp -> vertx.executeBlocking(() -> TurnTls.of(node.turn().tls(), node.dataDir(), name))
                        .compose(tls -> listen(bind, port, relayIp, tls)))
                .onSuccess(s -> {
                    server = s;
                    turn.prepare(s.udpEventLoops());
                    sweepTimer = vertx.setPeriodic(1000, id -> turn.sweep());
                    vertx.eventBus().<JsonObject>consumer(Addresses.iceServers(name), this::onIceServers);
                    vertx.eventBus().<JsonObject>consumer(Addresses.turnStats(name), m -> m.reply(stats()));
                    LOG.info(name + ": STUN/TURN on " + bind + ":" + s.port() + " (udp+tcp"
                            + (s.tlsPort() > 0 ? ", tls on " + s.tlsPort() : "") + "), relay "
                            + settings.relayPortMin() + "-" + settings.relayPortMax() + ", realm " + settings.realm());
                    advertise(0);
                });
    }

    private Future<String> secret(TurnConfig turnConfig, String dataDir) {
        if (turnConfig.secret() != null) {
            return Future.succeededFuture(turnConfig.secret());
        }
        if (dataDir == null) {
            return Future.failedFuture(new IllegalArgumentException("TURN needs -turnSecret or a -dataDir to keep one in"));
        }
        return vertx.executeBlocking(() -> SecretFile.loadOrCreate(Path.of(dataDir)));
    }

    private Future<StunServer> listen(String bind, int port, InetAddress relayIp, TlsListener tls) {
        TurnAttributes.register();
        RelayPortPool ports = new RelayPortPool(settings.relayPortMin(), settings.relayPortMax());
        Quotas quotas = new Quotas(settings.maxAllocationsPerUser(), settings.maxAllocationsPerAddress(), settings.maxAllocations());
        metrics = new TurnMetrics(TurnMetrics.nodeRegistry(), name, quotas, ports);
        credentials = new CredentialStore(settings.realm(), settings.secret(), settings.users(), clock,
                ServedUsers.of(vertx, node));
        Authenticator auth = new Authenticator(credentials, new NonceService(settings.nonceLifetimeSeconds(), clock));
        Transport transport = ((VertxInternal) vertx).transport();
        int channelMax = settings.legacyChannelNumbers() ? Allocation.CHANNEL_MAX_LEGACY : Allocation.CHANNEL_MAX;
        reservations = new Reservations(ports, quotas);
        turn = new TurnShards(loop -> {
            AllocationTable table = new AllocationTable(ports, quotas, settings.bandwidthBytesPerSecond(), channelMax);
            table.onRemoved(a -> metrics.allocationsEnded.increment());
            table.countPermissionsIn(metrics.permissions);
            return new TurnServer(settings, table, reservations, auth, metrics, loop, transport, relayIp, clock,
                    this::isOwnPort).placeRelaysWith(owner -> turn.relayHost(owner));
        });
        BindingHandler binding = new BindingHandler(SOFTWARE);
        // The STUN layer's own counters stay private (they are reported under turn.stats → stun).
        StunServer.Builder builder = StunServer.builder(vertx);
        if (tls != null) {
            builder.tls(tls);
        }
        return builder.bind(bind).port(port).metrics(new SimpleMeterRegistry(), name + "-turn")
                .onRequest(MessageType.BINDING, (m, p) -> {
                    metrics.bindingRequests.increment();
                    binding.handle(m, p);
                })
                .onIndication(MessageType.BINDING, binding)
                // Relayed media arrives in bursts; a larger socket buffer rides out a GC pause or a busy loop.
                .receiveBufferSize(1 << 20)
                // A TCP client with a live allocation refreshes it within its lifetime; one silent for longer
                // holds no allocation any more and only costs a descriptor.
                .tcpIdleTimeoutSeconds(settings.maxLifetimeSeconds() + 60)
                .udpSockets(node.stun().udpSocketCount())
                .onRequest(MessageType.ALLOCATE, (m, p) -> turn.here().onAllocate(m, p))
                .onRequest(MessageType.REFRESH, (m, p) -> turn.here().onRefresh(m, p))
                .onRequest(MessageType.CREATE_PERMISSION, (m, p) -> turn.here().onCreatePermission(m, p))
                .onRequest(MessageType.CHANNEL_BIND, (m, p) -> turn.here().onChannelBind(m, p))
                .onIndication(MessageType.SEND, (m, p) -> turn.here().onSend(m, p))
                .onChannelData((channel, data, p) -> turn.here().onChannelData(channel, data, p))
                .legacyChannelNumbers(settings.legacyChannelNumbers())
                .onTcpClose(peer -> turn.here().sweep())
                .listen();
    }

    /** Ports of this node's own services, which no client may reach through the relay. */
    private boolean isOwnPort(int port) {
        return port == server.port() || (server.tlsPort() > 0 && port == server.tlsPort())
                || port == node.gossip().port() || port == node.gateway().port() || port == node.management().port();
    }

    /** {@code {user}} → STUN and TURN URLs of this node with fresh ephemeral credentials for that user. */
    private void onIceServers(Message<JsonObject> msg) {
        String user = IceServersRequest.fromJson(msg.body()).user();
        if (user == null || user.isBlank() || user.length() > 128) {
            msg.fail(400, "ice.servers needs {user} (1-128 characters)");
            return;
        }
        CredentialStore.Ephemeral creds = credentials.issue(user, settings.credentialLifetimeSeconds());
        String hp = HostPort.of(host, server.port()).toString();
        // One server entry with several URLs: UDP first, then TCP and TLS for networks that block UDP. Browsers
        // accept turns: only with a certificate they trust (the self-signed default is not one of them).
        JsonArray turnUrls = new JsonArray().add("turn:" + hp + "?transport=udp").add("turn:" + hp + "?transport=tcp");
        if (server.tlsPort() > 0) {
            turnUrls.add("turns:" + HostPort.of(host, server.tlsPort())
                    + "?transport=tcp");
        }
        JsonArray servers = new JsonArray()
                .add(new JsonObject().put("urls", new JsonArray().add("stun:" + hp)))
                .add(new JsonObject()
                        .put("urls", turnUrls)
                        .put("username", creds.username())
                        .put("credential", creds.password()));
        msg.reply(new IceServers(servers).toJson());
    }

    private JsonObject stats() {
        return metrics.toJson()
                .put("port", server.port())
                .put("tlsPort", server.tlsPort())
                .put("host", host)
                .put("realm", settings.realm())
                .put("pendingReservations", reservations.size())
                .put("eventLoops", turn.size())
                .put("loopLoads", new JsonArray(turn.loads()))
                .put("stun", server.metrics().toJson());
    }

    /** Gossip may deploy after us (or live in another JVM): retry a few times, then just log. */
    private void advertise(int attempt) {
        String hp = HostPort.of(host, server.port()).toString();
        vertx.eventBus().request(Addresses.advertise(name), new ServiceAdvert(hp, hp).toJson())
                .onFailure(e -> {
                    if (attempt < 5) {
                        vertx.setTimer(500L << attempt, id -> advertise(attempt + 1));
                    } else {
                        LOG.info(name + ": gossip did not take the STUN/TURN advert (" + e.getMessage() + ")");
                    }
                });
    }

    @Override
    public Future<?> stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        Future<?> closed = turn == null ? Future.succeededFuture() : turn.closeAll();
        if (metrics != null) {
            metrics.close();
        }
        return closed.compose(v -> server == null ? Future.succeededFuture() : server.close());
    }
}

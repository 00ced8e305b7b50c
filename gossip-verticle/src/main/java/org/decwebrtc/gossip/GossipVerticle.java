package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.PeerAddRequest;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.FailureCodes;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.ServiceAdvert;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.UserEntry;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.NodeInfo;
import org.decwebrtc.gossip.wire.PeerStatus;
import org.decwebrtc.gossip.wire.PrivateMessage;
import org.decwebrtc.gossip.wire.RouteRumor;
import org.decwebrtc.gossip.wire.StatusPacket;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gossip signaling node: route rumors (flooded when new, repaired by anti-entropy), DSDV next hops, private
 * messages routed hop by hop, and expiry of nodes that fell silent. All state lives on this verticle's event loop.
 */
public final class GossipVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(GossipVerticle.class.getName());
    /** Largest datagram we accept or send; larger ones are counted and dropped. */
    static final int MAX_DATAGRAM = 65_000;
    /** Anti-entropy and expiry run at least this often, independent of rtimer, so repairs are quick. */
    private static final long ANTI_ENTROPY_MILLIS = 1000;

    private NodeConfig node;
    private String self;
    private DatagramSocket socket;
    private RoutingTable routes;
    private final PeerSet peers = new PeerSet();
    /** Highest seq seen of each deleted origin, so anti-entropy from a slower peer cannot resurrect it. */
    private final Map<String, Long> tombstones = new HashMap<>();
    private GossipStats stats;
    private NodeIdentity identity;
    private final TrustStore trust = new TrustStore();
    private PrivateMessaging messaging;
    private RouteRumor ownRumor;
    private long seq;
    private NodeInfo info = NodeInfo.getDefaultInstance();
    private long lastExpiryCheck;
    private String publishedDirectory = "";

    @Override
    public Future<?> start() {
        node = NodeConfig.fromJson(config());
        self = node.name();
        routes = new RoutingTable(self);
        stats = new GossipStats(self);
        // A restarted node must win over its own old rumors still held by others: seed the sequence with the clock.
        seq = System.currentTimeMillis();
        long now = System.currentTimeMillis();
        for (HostPort peer : node.gossip().peers()) {
            peers.pin(peer.toString());
        }
        // Netty reads datagrams into fixed 2 KiB buffers unless told otherwise; SDP needs more.
        socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(MAX_DATAGRAM + 1));
        socket.handler(this::onDatagram);
        Path dataDir = node.dataDir() == null ? null : Path.of(node.dataDir());
        return vertx.executeBlocking(() -> NodeIdentity.loadOrCreate(dataDir)).compose(id -> {
            identity = id;
            messaging = new PrivateMessaging(self, routes, trust, id, stats, vertx.eventBus(), this::send);
            registerEventBus(vertx.eventBus());
            return socket.listen(node.gossip().port(), node.bind());
        }).onSuccess(s -> {
            LOG.info(() -> self + ": gossip on " + node.bind() + ":" + node.gossip().port() + ", peers " + peers.addresses());
            sendOwnRumorToAll();
            long rtimerMillis = node.gossip().rtimerSeconds() * 1000L;
            vertx.setPeriodic(rtimerMillis, id -> {
                seq++;
                sendOwnRumorToAll();
            });
            vertx.setPeriodic(Math.min(ANTI_ENTROPY_MILLIS, rtimerMillis), id -> antiEntropy());
            // Expiry is checked ten times per rtimer so a silent node goes close to 3 x rtimer after it fell silent.
            long expiryPeriod = Math.max(50, rtimerMillis / 10);
            lastExpiryCheck = System.currentTimeMillis();
            vertx.setPeriodic(expiryPeriod, id -> expireSilentNodes(expiryPeriod));
            publishDirectoryIfChanged();
        });
    }

    @Override
    public Future<?> stop() {
        return socket == null ? Future.succeededFuture() : socket.close();
    }

    private void registerEventBus(EventBus bus) {
        bus.<JsonObject>consumer(Addresses.signalSend(self), this::onSignalSend);
        bus.<JsonObject>consumer(Addresses.directoryGet(self), msg -> msg.reply(directory().toJson()));
        bus.<JsonObject>consumer(Addresses.peersAdd(self), this::onPeerAdd);
        bus.<JsonObject>consumer(Addresses.advertise(self), this::onAdvertise);
        bus.<JsonObject>consumer(Addresses.gossipStats(self), msg -> msg.reply(stats.toJson()));
    }

    // ---- incoming datagrams -------------------------------------------------------------------------------

    private void onDatagram(DatagramPacket packet) {
        stats.received.increment();
        Buffer data = packet.data();
        if (data.length() > MAX_DATAGRAM) {
            stats.oversized.increment();
            return;
        }
        GossipPacket parsed;
        try {
            parsed = GossipPacket.parseFrom(data.getBytes());
        } catch (InvalidProtocolBufferException e) {
            stats.malformed.increment();
            return;
        }
        String from = new HostPort(packet.sender().hostAddress(), packet.sender().port()).toString();
        try {
            switch (parsed.getBodyCase()) {
                case RUMOR -> onRumor(parsed.getRumor(), from);
                case STATUS -> onStatus(parsed.getStatus(), from);
                case PRIVATE_MESSAGE -> onPrivate(parsed.getPrivateMessage(), from);
                default -> stats.malformed.increment();
            }
        } catch (RuntimeException e) {
            // A packet that parses but makes no sense must not stop the node; count it and go on.
            stats.malformed.increment();
            LOG.log(Level.FINE, "bad gossip packet from " + from, e);
        }
    }

    /** Every valid packet tells us of a direct peer; a new one gets all we know at once. */
    private void heardFrom(String from) {
        if (peers.heard(from, System.currentTimeMillis())) {
            greet(from);
            publishDirectoryIfChanged();
        }
    }

    private void onRumor(RouteRumor rumor, String from) {
        if (rumor.getOrigin().isEmpty()) {
            stats.malformed.increment();
            return;
        }
        heardFrom(from);
        Long tomb = tombstones.get(rumor.getOrigin());
        if (tomb != null && Long.compareUnsigned(rumor.getSeq(), tomb) <= 0) {
            return;
        }
        if (rumor.getOrigin().equals(self)) {
            return;
        }
        TrustStore.Verdict verdict = trust.check(rumor.getOrigin(), rumor.getPublicKey().toByteArray(),
                SignedBytes.of(rumor), rumor.getSignature().toByteArray());
        if (verdict != TrustStore.Verdict.TRUSTED) {
            stats.forged.increment();
            LOG.fine(() -> self + ": refused rumor of " + rumor.getOrigin() + " from " + from + ": " + verdict);
            return;
        }
        RoutingTable.Update update = routes.offer(rumor, from, System.currentTimeMillis());
        if (update == RoutingTable.Update.STALE) {
            return;
        }
        tombstones.remove(rumor.getOrigin());
        Route route = routes.get(rumor.getOrigin());
        RouteRumor onward = route.rumor().toBuilder().setHops(route.hops()).build();
        for (String peer : peers.addresses()) {
            if (!peer.equals(from)) {
                send(GossipPacket.newBuilder().setRumor(onward).build(), peer);
            }
        }
        publishDirectoryIfChanged();
    }

    private void onStatus(StatusPacket status, String from) {
        heardFrom(from);
        Map<String, Long> theirs = new HashMap<>();
        for (PeerStatus s : status.getHaveList()) {
            theirs.put(s.getOrigin(), s.getSeq());
        }
        boolean theyKnowMore = false;
        for (Map.Entry<String, Long> e : theirs.entrySet()) {
            if (e.getKey().equals(self)) {
                continue;
            }
            Route mine = routes.get(e.getKey());
            Long tomb = tombstones.get(e.getKey());
            long known = mine != null ? mine.seq() : tomb != null ? tomb : 0;
            if (Long.compareUnsigned(e.getValue(), known) > 0) {
                theyKnowMore = true;
            }
        }
        Long theirSelf = theirs.get(self);
        if (theirSelf == null || Long.compareUnsigned(theirSelf, seq) < 0) {
            send(GossipPacket.newBuilder().setRumor(ownRumor()).build(), from);
        }
        for (Route route : routes.all()) {
            Long seen = theirs.get(route.origin());
            if ((seen == null || Long.compareUnsigned(seen, route.seq()) < 0) && !route.nextHop().equals(from)) {
                send(rumorPacket(route), from);
            }
        }
        if (theyKnowMore) {
            send(statusPacket(), from);
        }
    }

    private void onPrivate(PrivateMessage message, String from) {
        if (message.getOrigin().isEmpty() || message.getDestination().isEmpty()) {
            stats.malformed.increment();
            return;
        }
        heardFrom(from);
        messaging.route(message);
    }

    // ---- event bus requests -------------------------------------------------------------------------------

    private void onSignalSend(Message<JsonObject> msg) {
        SignalEnvelope envelope;
        try {
            envelope = SignalEnvelope.fromSendJson(msg.body());
        } catch (RuntimeException e) {
            msg.fail(FailureCodes.BAD_REQUEST, "malformed signal: " + e.getMessage());
            return;
        }
        PrivateMessaging.Refusal refusal = messaging.send(envelope);
        if (refusal == null) {
            msg.reply(new JsonObject().put("ok", true));
        } else {
            msg.fail(refusal.code(), refusal.message());
        }
    }

    private void onPeerAdd(Message<JsonObject> msg) {
        HostPort peer;
        try {
            peer = HostPort.parse(PeerAddRequest.fromJson(msg.body()).peer());
        } catch (RuntimeException e) {
            msg.fail(FailureCodes.BAD_REQUEST, e.getMessage());
            return;
        }
        if (peers.pin(peer.toString())) {
            greet(peer.toString());
            publishDirectoryIfChanged();
        }
        msg.reply(new PeerAddRequest(peer.toString()).toReplyJson());
    }

    private void onAdvertise(Message<JsonObject> msg) {
        ServiceAdvert advert = ServiceAdvert.fromJson(msg.body() == null ? new JsonObject() : msg.body());
        NodeInfo.Builder builder = info.toBuilder();
        if (advert.stun() != null) {
            builder.setStun(advert.stun());
        }
        if (advert.turn() != null) {
            builder.setTurn(advert.turn());
        }
        info = builder.build();
        seq++;
        sendOwnRumorToAll();
        msg.reply(new JsonObject().put("ok", true));
    }

    // ---- timers -------------------------------------------------------------------------------------------

    private void expireSilentNodes(long period) {
        long now = System.currentTimeMillis();
        boolean stalled = now - lastExpiryCheck > Math.max(500, 3 * period);
        lastExpiryCheck = now;
        if (stalled) {
            // This event loop was starved (GC, an overloaded machine): rumors may be waiting unread in the socket.
            // Judge silence only after reading them, or a stall would delete nodes that are alive.
            return;
        }
        long cutoff = now - 3L * node.gossip().rtimerSeconds() * 1000L;
        List<Route> gone = routes.expire(cutoff);
        gone.forEach(route -> {
            tombstones.put(route.origin(), route.seq());
            trust.forget(route.origin());
            messaging.forget(route.origin());
        });
        boolean peersGone = peers.expire(cutoff);
        if (!gone.isEmpty() || peersGone) {
            LOG.info(() -> self + ": deleted silent nodes " + gone.stream().map(Route::origin).toList());
            publishDirectoryIfChanged();
        }
    }

    private void antiEntropy() {
        List<String> all = peers.addresses();
        if (!all.isEmpty()) {
            send(statusPacket(), all.get(ThreadLocalRandom.current().nextInt(all.size())));
        }
    }

    // ---- sending ------------------------------------------------------------------------------------------

    /** Our rumor for the current seq and info, signed once and reused until either changes. */
    private RouteRumor ownRumor() {
        if (ownRumor == null || ownRumor.getSeq() != seq || !ownRumor.getInfo().equals(info)) {
            RouteRumor unsigned = RouteRumor.newBuilder().setOrigin(self).setSeq(seq).setHops(0).setInfo(info)
                    .setPublicKey(ByteString.copyFrom(identity.publicKey()))
                    .setKexKey(ByteString.copyFrom(identity.kexPublicKey())).build();
            ownRumor = unsigned.toBuilder()
                    .setSignature(ByteString.copyFrom(identity.sign(SignedBytes.of(unsigned)))).build();
        }
        return ownRumor;
    }

    private void sendOwnRumorToAll() {
        GossipPacket packet = GossipPacket.newBuilder().setRumor(ownRumor()).build();
        peers.addresses().forEach(peer -> send(packet, peer));
    }

    /** A new direct peer gets our own rumor and every route we know, so discovery never waits for a timer. */
    private void greet(String peer) {
        send(GossipPacket.newBuilder().setRumor(ownRumor()).build(), peer);
        for (Route route : routes.all()) {
            if (!route.nextHop().equals(peer)) {
                send(rumorPacket(route), peer);
            }
        }
    }

    private static GossipPacket rumorPacket(Route route) {
        return GossipPacket.newBuilder().setRumor(route.rumor().toBuilder().setHops(route.hops())).build();
    }

    private GossipPacket statusPacket() {
        StatusPacket.Builder status = StatusPacket.newBuilder();
        status.addHave(PeerStatus.newBuilder().setOrigin(self).setSeq(seq));
        for (Route route : routes.all()) {
            status.addHave(PeerStatus.newBuilder().setOrigin(route.origin()).setSeq(route.seq()));
        }
        return GossipPacket.newBuilder().setStatus(status).build();
    }

    private void send(GossipPacket packet, String peer) {
        HostPort to = HostPort.parse(peer);
        socket.send(Buffer.buffer(packet.toByteArray()), to.port(), to.host())
                .onFailure(e -> LOG.fine(() -> self + ": send to " + peer + " failed: " + e.getMessage()));
    }

    // ---- directory ----------------------------------------------------------------------------------------

    private Directory directory() {
        List<UserEntry> users = routes.all().stream()
                .sorted(Comparator.comparing(Route::origin))
                .map(r -> new UserEntry(r.origin(), r.nextHop(), r.hops(), emptyToNull(r.rumor().getInfo().getStun()),
                        emptyToNull(r.rumor().getInfo().getTurn())))
                .toList();
        return new Directory(self, peers.addresses(), users);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private void publishDirectoryIfChanged() {
        JsonObject json = directory().toJson();
        String encoded = json.encode();
        if (!encoded.equals(publishedDirectory)) {
            publishedDirectory = encoded;
            vertx.eventBus().publish(Addresses.directory(self), json);
        }
    }
}

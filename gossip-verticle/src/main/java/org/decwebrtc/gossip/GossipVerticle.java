package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.FailureCodes;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.KeyWarning;
import org.decwebrtc.api.PeerAddRequest;
import org.decwebrtc.api.KeyFingerprint;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.ServiceAdvert;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.UserEntry;
import org.decwebrtc.gossip.wire.Challenge;
import org.decwebrtc.gossip.wire.Digest;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.Graft;
import org.decwebrtc.gossip.wire.Hello;
import org.decwebrtc.gossip.wire.Join;
import org.decwebrtc.gossip.wire.Keepalive;
import org.decwebrtc.gossip.wire.Leave;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.NodeInfo;
import org.decwebrtc.gossip.wire.OriginSeq;
import org.decwebrtc.gossip.wire.PrivateMessage;
import org.decwebrtc.gossip.wire.Probe;
import org.decwebrtc.gossip.wire.Prune;
import org.decwebrtc.gossip.wire.RecordBatch;
import org.decwebrtc.gossip.wire.Summary;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gossip signaling node (wire version 2): neighbours admitted only after a cookie round trip proved their
 * address and a signature proved their key; signed link records flooded when they change and repaired by digests;
 * every node computes its own shortest paths over edges both ends confirm; keepalives take a dead neighbour's
 * edges out within about a second; private messages go along source routes with end-to-end receipts and retries.
 * All state lives on this verticle's event loop.
 */
public final class GossipVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(GossipVerticle.class.getName());
    /** Largest datagram we accept or send; larger ones are counted and dropped. */
    static final int MAX_DATAGRAM = 65_000;
    /** A source that has not proven its address gets at most this many times the bytes it sent. */
    static final int AMPLIFICATION_LIMIT = 3;
    /** Hellos are padded to this size so the Challenge they draw stays within the amplification limit. */
    static final int HELLO_BYTES = 64;
    private static final int BATCH_BYTES = 1200;
    private static final int MAX_SUMMARY_BUCKETS = 8;
    private static final long HELLO_PERIOD_MILLIS = 1000;
    private static final long DIGEST_PERIOD_MILLIS = 1000;
    private static final long ANTI_ENTROPY_MAX_WAIT_MILLIS = 30_000;
    private long lastAcceptedMillis;
    private long lastAntiEntropyMillis;
    private static final long MAINTENANCE_MILLIS = 1000;
    private static final long DIRECTORY_DEBOUNCE_MILLIS = 100;
    private static final String PINS_FILE = "gossip-pins.json";
    private static final Parser<GossipPacket> PARSER = DiscardUnknownFieldsParser.wrap(GossipPacket.parser());

    private final GossipLimits limits;
    private NodeConfig node;
    private String self;
    private GossipSocket socket;
    /** "ip:port" -> socket address, for the addresses we send to (neighbours, configured, handshakes). */
    private final Map<String, java.net.InetSocketAddress> socketAddresses = new HashMap<>();
    private static final int MAX_SOCKET_ADDRESSES = 4096;
    private NeighbourSet neighbours;
    private final LinkRecords records = new LinkRecords();
    private KeyPins pins;
    private final AddressCookies cookies = new AddressCookies();
    private final Signatures signatures;
    private GossipStats stats;
    private NodeIdentity identity;
    private PrivateMessaging messaging;
    private Path pinsFile;
    private NodeInfo info = NodeInfo.getDefaultInstance();
    private LinkRecord ownRecord;
    private long ownSeq;
    private boolean ownRecordScheduled;
    private Map<String, ShortestPaths.Route> routes = Map.of();
    private long routesDigest;
    private boolean routesDirty = true;
    private long graceUntilMillis;
    private long lastKeepaliveTick;
    private long lastHelloMillis;
    private boolean directoryScheduled;
    private long publishedDirectory;
    /** Nodes reachable as the directory last published shows them (routes change sooner: see directoryChanged). */
    private int shownReachable;
    private boolean savingPins;
    /** Configured "host:port" -> the "ip:port" it resolved to last. */
    private final Map<String, String> resolved = new HashMap<>();
    private final Map<String, Long> lastAskMillis = new HashMap<>();
    private final Map<String, Map<String, LinkRecord>> outgoing = new HashMap<>();
    private boolean flushScheduled;
    private static final long FLUSH_MILLIS = 50;
    private static final long RECORD_COALESCE_MILLIS = 50;
    private static final long REHELLO_SILENT_MILLIS = 3000;
    private static final long RECORD_DAMPING_MILLIS = 2000;
    /** Pins are written at most this often (and when the node stops): a table of thousands, not every change. */
    private static final long PINS_SAVE_MILLIS = 10_000;
    /** Pins whose only change is a newer sequence number or last-seen day are written at most this often. */
    private static final long PINS_TOUCH_SAVE_MILLIS = 300_000;
    /** Pins of reachable nodes are marked seen this often; a pin's last-seen day is all that matters. */
    private static final long PINS_REFRESH_MILLIS = 30_000;
    private long lastOwnRecordMillis;
    /** Unreachable records age (and pins expire) in steps this long: a walk over every record is not free. */
    private static final long AGEING_MILLIS = 5000;
    private long lastAgeingMillis;
    private long lastPinsSaveMillis;
    private long lastPinsRefreshMillis;
    /** Routes are computed again at most this many times their last computation took (at least 100 ms apart). */
    private static final int ROUTE_COST_FACTOR = 20;
    private static final long ROUTES_BURST_SPACING_MILLIS = 1000;
    private long lastRoutesNanos;
    private long lastDirectoryMillis;
    private boolean crashed;
    private long ownRecordsSigned;
    private long neighbourDeaths;
    /** Our own socket's address, where probes go (see {@link #keepaliveTick}). */
    private String selfAddress;
    /** The nonce of the probe on its way through our socket, 0 when none is. */
    private long probeNonce;
    private long probeSentMillis;
    private int probeSuspects;
    private long probesSent;
    /** Neighbours that looked dead when a probe left and had been heard by the time it was back. */
    private long silencesExcused;
    private long recordsAccepted;
    /** Records received that we held already (or newer): what the flood costs beyond one copy each. */
    private long recordsStale;
    private long graftsSent;
    private long prunesSent;
    /** Announced records we lack: asked for (a Graft) if the flood's tree has not brought them by then. */
    private static final long GRAFT_AFTER_MILLIS = 200;
    private static final int MAX_GRAFT_ORIGINS = 64;
    private AwaitedRecords awaited;
    /** The timer that sends the grafts due, -1 when none is set, and when it fires. */
    private long graftsTimer = -1;
    private long graftsAtMillis;
    /** Per neighbour address: records to announce to it at the next flush, origin -> seq. */
    private final Map<String, Map<String, Long>> announcing = new HashMap<>();
    /** Neighbours whose next batches answer a request (Summary, Graft), not the flood. */
    private final Set<String> syncing = new HashSet<>();
    private long leaves;

    public GossipVerticle() {
        this(GossipLimits.defaults());
    }

    public GossipVerticle(GossipLimits limits) {
        this(limits, false);
    }

    private GossipVerticle(GossipLimits limits, boolean shareSignatureChecks) {
        this.limits = limits;
        this.signatures = new Signatures(shareSignatureChecks);
    }

    /**
     * A node for simulations of many nodes in one JVM (bench/gossip): a signature that one node of the JVM has
     * checked is not checked again by the others. Each node of a real network checks each record once; hundreds of
     * simulated nodes on two cores would otherwise measure the CPU, not the protocol.
     */
    public static GossipVerticle sharingSignatureChecks(GossipLimits limits) {
        return new GossipVerticle(limits, true);
    }

    @Override
    public Future<?> start() {
        node = NodeConfig.fromJson(config());
        self = node.name();
        neighbours = new NeighbourSet(limits);
        awaited = new AwaitedRecords(limits.maxOrigins());
        pins = new KeyPins(limits);
        stats = new GossipStats(self);
        for (HostPort peer : node.gossip().peers()) {
            neighbours.configure(peer.toString());
        }
        Path dataDir = node.dataDir() == null ? null : Path.of(node.dataDir());
        pinsFile = dataDir == null ? null : dataDir.resolve(PINS_FILE);
        return vertx.executeBlocking(() -> {
            NodeIdentity id = NodeIdentity.loadOrCreate(dataDir);
            JsonObject saved = pinsFile != null && Files.exists(pinsFile)
                    ? new JsonObject(Files.readString(pinsFile)) : new JsonObject();
            return Map.entry(id, saved);
        }).compose(loaded -> {
            identity = loaded.getKey();
            pins.load(loaded.getValue(), System.currentTimeMillis());
            messaging = new PrivateMessaging(self, identity, signatures, stats, vertx.eventBus(), network(), limits);
            registerEventBus(vertx.eventBus());
            // One byte more than the largest datagram we accept, so a larger one shows as oversized. A large
            // kernel buffer rides out the burst of records a new neighbour is greeted with.
            return GossipSocket.bind((VertxInternal) vertx, node.bind(), node.gossip().port(), MAX_DATAGRAM + 1,
                    1 << 20, this::onDatagram);
        }).onSuccess(bound -> {
            socket = bound;
            java.net.InetSocketAddress local = socket.localAddress();
            String host = local.getAddress().isAnyLocalAddress()
                    ? (local.getAddress() instanceof java.net.Inet6Address ? "::1" : "127.0.0.1")
                    : local.getAddress().getHostAddress();
            selfAddress = address(host, local.getPort());
            LOG.info(() -> self + ": gossip on " + node.bind() + ":" + node.gossip().port() + ", neighbours to greet "
                    + neighbours.configured());
            long now = System.currentTimeMillis();
            // A restarted node must win over its own old records still held by others: the seq is the clock.
            ownSeq = Math.max(now, pins.lastSeq(self));
            updateOwnRecord();
            lastKeepaliveTick = now;
            greetConfigured(now);
            vertx.setPeriodic(limits.keepaliveMillis(), id -> keepaliveTick());
            vertx.setPeriodic(100, id -> messaging.tick(System.currentTimeMillis()));
            vertx.setPeriodic(DIGEST_PERIOD_MILLIS, id -> antiEntropy());
            vertx.setPeriodic(MAINTENANCE_MILLIS, id -> maintenance());
            directoryChanged();
        });
    }

    /**
     * For simulations of failures (bench/gossip): the next stop tells no neighbour, as when the process is killed
     * or the machine loses power; neighbours find out from missed keepalives.
     */
    public void stopWithoutLeave() {
        crashed = true;
    }

    @Override
    public Future<?> stop() {
        Future<Void> told = tellNeighboursWeLeave();
        Future<Void> saved = pinsFile != null && pins != null && pins.takeDirty(true)
                ? vertx.executeBlocking(() -> {
                    writePins(pins.toJson());
                    return null;
                }) : Future.succeededFuture();
        return Future.join(told, saved).eventually(() -> socket == null ? Future.succeededFuture() : socket.close());
    }

    /**
     * Sends every live neighbour a Leave: our record signed once more, newer than any before and listing no
     * neighbours, so that our edges drop everywhere at once instead of after missed keepalives.
     */
    private Future<Void> tellNeighboursWeLeave() {
        if (crashed || socket == null || identity == null || ownRecord == null || neighbours.alive().isEmpty()) {
            return Future.succeededFuture();
        }
        ownSeq = Math.max(ownSeq + 1, System.currentTimeMillis());
        LinkRecord unsigned = ownRecord.toBuilder().clearSignature().clearNeighbours().setSeq(ownSeq).build();
        LinkRecord last = unsigned.toBuilder().setSignature(ByteString.copyFrom(identity.sign(SignedBytes.of(unsigned))))
                .build();
        List<Future<Void>> sent = new ArrayList<>();
        for (Neighbour n : neighbours.alive()) {
            sent.add(send(GossipPacket.newBuilder().setLeave(Leave.newBuilder().setToken(ByteString.copyFrom(n.token))
                    .setRecord(last)).build(), n.address));
        }
        LOG.fine(() -> self + ": told " + sent.size() + " neighbours we leave");
        return Future.join(sent).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }

    private void registerEventBus(EventBus bus) {
        bus.<JsonObject>consumer(Addresses.signalSend(self), this::onSignalSend);
        bus.<JsonObject>consumer(Addresses.directoryGet(self), msg -> msg.reply(directoryJson()));
        bus.<JsonObject>consumer(Addresses.peersAdd(self), this::onNeighbourAdd);
        bus.<JsonObject>consumer(Addresses.advertise(self), this::onAdvertise);
        bus.<JsonObject>consumer(Addresses.keyAccept(self), this::onKeyAccept);
        bus.<JsonObject>consumer(Addresses.gossipStats(self), msg -> msg.reply(
                statsJson(msg.body() != null && msg.body().getBoolean("routesNow", false))));
    }

    // ---- incoming datagrams -------------------------------------------------------------------------------

    private void onDatagram(byte[] data, java.net.InetSocketAddress sender) {
        onDatagram(data, address(sender.getAddress().getHostAddress(), sender.getPort()));
    }

    /** Every datagram the socket reads (package-private: the fuzz test feeds it without a socket). */
    void onDatagram(byte[] data, String from) {
        stats.received.increment();
        stats.bytesIn.increment(data.length);
        if (data.length > MAX_DATAGRAM) {
            stats.oversized.increment();
            return;
        }
        GossipPacket parsed;
        try {
            parsed = PARSER.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            stats.malformed.increment();
            return;
        }
        long now = System.currentTimeMillis();
        try {
            switch (parsed.getBodyCase()) {
                case HELLO -> onHello(parsed.getHello(), from, data.length, now);
                case CHALLENGE -> onChallenge(parsed.getChallenge(), from, now);
                case JOIN -> onJoin(parsed.getJoin(), from, now);
                case PROBE -> onProbe(parsed.getProbe(), now);
                case BODY_NOT_SET -> stats.malformed.increment();
                default -> fromNeighbour(parsed, from, now);
            }
        } catch (RuntimeException e) {
            // A packet that parses but makes no sense must not stop the node; count it and go on.
            stats.malformed.increment();
            LOG.log(Level.FINE, "bad gossip packet from " + from, e);
        }
    }

    /** Everything but the handshake is taken only from an address that completed it. */
    private void fromNeighbour(GossipPacket packet, String from, long now) {
        Neighbour n = neighbours.at(from);
        if (n == null) {
            stats.unvalidated.increment();
            return;
        }
        switch (packet.getBodyCase()) {
            case KEEPALIVE -> onKeepalive(packet.getKeepalive(), n, now);
            case RECORDS -> onRecords(packet.getRecords(), n, now);
            case PRIVATE_MESSAGE -> {
                PrivateMessage message = PrivateMessaging.canonical(packet.getPrivateMessage());
                if (message == null) {
                    stats.malformed.increment();
                } else {
                    messaging.route(message, now);
                }
            }
            case DIGEST -> onDigest(packet.getDigest(), n, now);
            case SUMMARY -> onSummary(packet.getSummary(), n, now);
            case LEAVE -> onLeave(packet.getLeave(), n, now);
            case GRAFT -> onGraft(packet.getGraft(), n, now);
            case PRUNE -> n.lazy = true;
            default -> stats.malformed.increment();
        }
    }

    private void onHello(Hello hello, String from, int bytesIn, long now) {
        if (hello.getCookie().size() != AddressCookies.COOKIE_BYTES) {
            stats.malformed.increment();
            return;
        }
        GossipPacket challenge = GossipPacket.newBuilder().setChallenge(Challenge.newBuilder()
                .setEcho(hello.getCookie()).setCookie(ByteString.copyFrom(cookies.cookie(from, now)))).build();
        if (challenge.getSerializedSize() > AMPLIFICATION_LIMIT * bytesIn) {
            stats.unvalidated.increment();
            return;
        }
        send(challenge, from);
    }

    private void onChallenge(Challenge challenge, String from, long now) {
        if (!cookies.valid(from, challenge.getEcho().toByteArray(), now)
                || challenge.getCookie().size() != AddressCookies.COOKIE_BYTES) {
            // Not an answer to a Hello of ours: a spoofed or stale packet.
            stats.unvalidated.increment();
            return;
        }
        sendJoin(from, challenge.getCookie().toByteArray(), cookies.cookie(from, now), false);
    }

    private void sendJoin(String to, byte[] theirCookie, byte[] myCookie, boolean reply) {
        byte[] signature = identity.sign(SignedBytes.ofJoin(theirCookie, myCookie, self));
        send(GossipPacket.newBuilder().setJoin(Join.newBuilder().setCookie(ByteString.copyFrom(theirCookie))
                .setMyCookie(ByteString.copyFrom(myCookie)).setRecord(ownRecord)
                .setSignature(ByteString.copyFrom(signature)).setReply(reply)).build(), to);
    }

    private void onJoin(Join join, String from, long now) {
        if (!cookies.valid(from, join.getCookie().toByteArray(), now)
                || join.getMyCookie().size() != AddressCookies.COOKIE_BYTES) {
            stats.unvalidated.increment();
            return;
        }
        LinkRecord record = LinkRecords.canonical(join.getRecord());
        String origin = record.getOrigin();
        if (origin.equals(self) || LinkRecords.shapeProblem(record, now, limits) != null
                || !signatures.verify(record.getPublicKey().toByteArray(),
                        SignedBytes.ofJoin(join.getCookie().toByteArray(), join.getMyCookie().toByteArray(), origin),
                        join.getSignature().toByteArray())) {
            stats.refused.increment();
            return;
        }
        Neighbour old = neighbours.at(from);
        if (old == null || !old.name.equals(origin)) {
            String refusal = neighbours.refusal(from, origin);
            if (refusal != null) {
                stats.refused.increment();
                LOG.fine(() -> self + ": refused neighbour " + origin + " at " + from + ": " + refusal);
                return;
            }
        }
        boolean knewOrigin = records.get(origin) != null;
        RecordVerdict verdict = acceptRecord(record, null, now);
        if (verdict == RecordVerdict.REFUSED) {
            return;
        }
        // Its key must be the one its current record (just taken, or newer and held) carries.
        LinkRecords.Stored held = records.get(origin);
        if (held == null || !held.record.getPublicKey().equals(record.getPublicKey())) {
            stats.refused.increment();
            return;
        }
        boolean wasAlive = old != null && old.alive() && old.name.equals(origin);
        for (Neighbour other : new ArrayList<>(neighbours.all())) {
            if (other.name.equals(origin) && !other.address.equals(from)) {
                other.silentSinceMillis = now - NeighbourSet.FORGET_SILENT_MILLIS - 1; // it moved: forget at once
            }
        }
        neighbours.expire(now, Long.MAX_VALUE);
        Neighbour n = new Neighbour(from, origin, record.getPublicKey().toByteArray(), join.getCookie().toByteArray(),
                join.getMyCookie().toByteArray(), limits, now);
        neighbours.put(n);
        if (verdict == RecordVerdict.ACCEPTED && worthPassingOn(held.record, knewOrigin)) {
            flood(held.record, from);
        }
        if (!join.getReply()) {
            // Our Join in return (the cookies swapped) lets it validate us.
            sendJoin(from, join.getMyCookie().toByteArray(), join.getCookie().toByteArray(), true);
        }
        if (!wasAlive) {
            greet(n);
            LOG.fine(() -> self + ": neighbour " + origin + " at " + from);
            neighbourhoodChanged();
        }
    }

    private void onKeepalive(Keepalive keepalive, Neighbour n, long now) {
        // The token of the last handshake, or any cookie of ours for its address still valid (a handshake that
        // crossed a minute boundary may leave the two ends with cookies of different minutes).
        byte[] token = keepalive.getToken().toByteArray();
        if (!NeighbourSet.tokenMatches(n, token) && !cookies.valid(n.address, token, now)) {
            stats.unvalidated.increment();
            return;
        }
        if (neighbours.heard(n, now)) {
            neighbourhoodChanged();
        }
        LinkRecords.Stored held = records.get(n.name);
        if ((held == null || !held.holdsAtLeast(keepalive.getSeq()))
                && now - lastAskMillis.getOrDefault(n.address, 0L) > 500) {
            // It has a newer record than we do: ask for its bucket rather than wait for the next digest.
            lastAskMillis.put(n.address, now);
            int bucket = LinkRecords.bucket(n.name);
            send(GossipPacket.newBuilder().setSummary(Summary.newBuilder().addBuckets(bucket)
                    .addAllHave(records.inBuckets(Set.of(bucket)))).build(), n.address);
        }
    }

    /**
     * A neighbour that stops: taken out at once if the Leave carries its token and its own record, signed by the key
     * it joined with, newer than the one held and listing no neighbours; the record is then flooded like any other.
     */
    private void onLeave(Leave leave, Neighbour n, long now) {
        byte[] token = leave.getToken().toByteArray();
        if (!NeighbourSet.tokenMatches(n, token) && !cookies.valid(n.address, token, now)) {
            stats.unvalidated.increment();
            return;
        }
        LinkRecord record = LinkRecords.canonical(leave.getRecord());
        if (!record.getOrigin().equals(n.name) || record.getNeighboursCount() != 0
                || !java.util.Arrays.equals(record.getPublicKey().toByteArray(), n.publicKey)) {
            stats.refused.increment();
            return;
        }
        RecordVerdict verdict = acceptRecord(record, n, now);
        LinkRecords.Stored held = records.get(n.name);
        // STALE is fine when the very same record reached us first through another neighbour's flood.
        if (verdict == RecordVerdict.REFUSED || held == null || !held.record.equals(record)) {
            stats.refused.increment();
            return;
        }
        neighbours.remove(n.address);
        leaves++;
        LOG.fine(() -> self + ": neighbour " + n.name + " at " + n.address + " left");
        if (verdict == RecordVerdict.ACCEPTED) {
            flood(record, n.address);
        }
        neighbourhoodChanged();
    }

    private void onRecords(RecordBatch batch, Neighbour n, long now) {
        List<LinkRecord> accepted = new ArrayList<>();
        int fresh = 0;
        int stale = 0;
        Map<String, LinkRecord> queuedForSender = outgoing.get(n.address);
        for (LinkRecord raw : batch.getRecordsList()) {
            if (queuedForSender != null) {
                // It has this one (or newer): what we queued for it of that origin is no news to it.
                LinkRecord queued = queuedForSender.get(raw.getOrigin());
                if (queued != null && Long.compareUnsigned(queued.getSeq(), raw.getSeq()) <= 0) {
                    queuedForSender.remove(raw.getOrigin());
                }
            }
            LinkRecords.Stored known = records.get(raw.getOrigin());
            if (known != null && known.holdsAtLeast(raw.getSeq())) {
                // The common case in a flood (each record arrives once per neighbour): stale, and costs no more.
                stale++;
                recordsStale++;
                continue;
            }
            LinkRecord record = LinkRecords.canonical(raw);
            if (acceptRecord(record, n, now) == RecordVerdict.ACCEPTED) {
                fresh++;
                if (worthPassingOn(record, known != null)) {
                    accepted.add(record);
                }
            }
        }
        for (OriginSeq have : batch.getHaveList()) {
            onAnnounced(have, n, now, batch.getSync());
        }
        if (fresh > 0) {
            n.lazy = false; // it brought news first: a link of the flood's tree
            spread(accepted, n.address);
        } else if (stale > 0 && !batch.getSync() && !n.lazy) {
            // Everything it pushed had come through others already: a redundant link. Both ends announce instead.
            n.lazy = true;
            prunesSent++;
            send(GossipPacket.newBuilder().setPrune(Prune.getDefaultInstance()).build(), n.address);
        }
    }

    /**
     * Whether a record just taken goes on to other nodes. The first record of an origin that lists no neighbours
     * does not: it confirms no edge, so nobody could route to its origin, and it retracts nothing (no older record
     * of it was held here). Every node starting sends such a record with its first Join; flooding it to every node
     * would cost a node's start one more flood for nothing. A record without neighbours that replaces one held
     * (a node that lost every neighbour, or left) goes on, since it takes edges away.
     */
    private static boolean worthPassingOn(LinkRecord record, boolean replacesOneHeld) {
        return replacesOneHeld || confirmsAnEdge(record);
    }

    /** Whether a record lists a neighbour: one that lists none gives nobody a route to its origin. */
    private static boolean confirmsAnEdge(LinkRecord record) {
        return record.getNeighboursCount() > 0;
    }

    /**
     * A neighbour announced a record: awaited if newer than ours, asked for if the tree does not bring it soon. A
     * greeting's announcements ({@code greeting}) are asked for at once: no tree is about to bring those.
     */
    private void onAnnounced(OriginSeq have, Neighbour n, long now, boolean greeting) {
        String origin = have.getOrigin();
        if (origin.equals(self) || LinkRecords.originSeqProblem(origin, have.getSeq(), now, limits) != null) {
            return;
        }
        LinkRecords.Stored known = records.get(origin);
        if (known != null && known.holdsAtLeast(have.getSeq())) {
            return;
        }
        long due = greeting ? now : now + GRAFT_AFTER_MILLIS;
        awaited.announced(origin, have.getSeq(), n.address, due);
        scheduleGrafts(greeting ? FLUSH_MILLIS : GRAFT_AFTER_MILLIS);
    }

    /**
     * Sends the grafts due within {@code delayMillis} (or sooner, if already scheduled sooner). A greeting's are due
     * at once, but wait one flush so that the announcements of neighbours greeting together are asked of one of them.
     */
    private void scheduleGrafts(long delayMillis) {
        long at = System.currentTimeMillis() + delayMillis;
        if (graftsTimer >= 0 && graftsAtMillis <= at) {
            return;
        }
        if (graftsTimer >= 0) {
            vertx.cancelTimer(graftsTimer);
        }
        graftsAtMillis = at;
        graftsTimer = vertx.setTimer(delayMillis, id -> sendGrafts());
    }

    private void sendGrafts() {
        graftsTimer = -1;
        long now = System.currentTimeMillis();
        awaited.due(now, 2 * GRAFT_AFTER_MILLIS, a -> {
            Neighbour n = neighbours.at(a);
            return n != null && n.alive();
        }).forEach((to, origins) -> {
            Neighbour n = neighbours.at(to);
            n.lazy = false;
            for (int i = 0; i < origins.size(); i += MAX_GRAFT_ORIGINS) {
                graftsSent++;
                send(GossipPacket.newBuilder().setGraft(Graft.newBuilder()
                        .addAllOrigins(origins.subList(i, Math.min(origins.size(), i + MAX_GRAFT_ORIGINS)))).build(), to);
            }
        });
        if (!awaited.isEmpty()) {
            scheduleGrafts(GRAFT_AFTER_MILLIS);
        }
    }

    /** A neighbour asks for records we announced, and is back on the flood's tree. */
    private void onGraft(Graft graft, Neighbour n, long now) {
        n.lazy = false;
        if (graft.getOriginsCount() > MAX_GRAFT_ORIGINS || !n.grafts.take(now)) {
            return;
        }
        List<LinkRecord> asked = new ArrayList<>();
        for (String origin : graft.getOriginsList()) {
            LinkRecords.Stored held = records.get(origin);
            if (held != null) {
                asked.add(held.record);
            }
        }
        sendAsked(asked, n.address);
    }

    /**
     * Passes new records on: whole to the neighbours on the flood's tree, announced to the others (each of which
     * asks for what the tree does not bring it).
     */
    private void spread(List<LinkRecord> news, String except) {
        if (news.isEmpty()) {
            return;
        }
        for (Neighbour other : neighbours.alive()) {
            if (other.address.equals(except)) {
                continue;
            }
            if (other.lazy) {
                announce(news, other.address);
            } else {
                sendRecords(news, other.address);
            }
        }
    }

    private void announce(List<LinkRecord> news, String to) {
        Map<String, Long> queue = announcing.computeIfAbsent(to, a -> new java.util.LinkedHashMap<>());
        for (LinkRecord r : news) {
            queue.merge(r.getOrigin(), r.getSeq(), (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
        }
        scheduleFlush();
    }

    enum RecordVerdict { ACCEPTED, STALE, REFUSED }

    /**
     * Takes a record if it is well formed, newer than what we hold, within the caps, of the key pinned for its
     * name, and correctly signed (checked last: only new information costs a signature check).
     */
    private RecordVerdict acceptRecord(LinkRecord record, Neighbour from, long now) {
        String problem = LinkRecords.shapeProblem(record, now, limits);
        if (problem != null) {
            stats.refused.increment();
            return RecordVerdict.REFUSED;
        }
        String origin = record.getOrigin();
        if (origin.equals(self)) {
            if (Long.compareUnsigned(record.getSeq(), ownSeq) >= 0
                    && record.getPublicKey().equals(ownRecord.getPublicKey())) {
                // An older incarnation of ours, with a clock ahead of ours: ours must be newer.
                ownSeq = record.getSeq();
                scheduleOwnRecord();
            }
            return RecordVerdict.STALE;
        }
        LinkRecords.Stored held = records.get(origin);
        // A record we dropped (unreachable for long) may come back as it was; only older ones are stale.
        if (held != null ? held.holdsAtLeast(record.getSeq())
                : Long.compareUnsigned(record.getSeq(), pins.lastSeq(origin)) < 0) {
            return RecordVerdict.STALE;
        }
        byte[] key = record.getPublicKey().toByteArray();
        KeyPins.Check pinned = pins.check(origin, key);
        if (pinned == KeyPins.Check.OTHER_KEY) {
            if (signatures.verify(key, SignedBytes.of(record), record.getSignature().toByteArray())) {
                KeyWarning warning = pins.refuse(record, now);
                stats.keyWarnings.increment();
                if (warning != null) {
                    LOG.warning(() -> self + ": refused " + origin + " with another key than the one pinned: "
                            + warning.newFingerprint() + " instead of " + warning.oldFingerprint());
                    vertx.eventBus().publish(Addresses.keyWarning(self), warning.toJson());
                    directoryChanged();
                }
            } else {
                stats.forged.increment();
            }
            return RecordVerdict.REFUSED;
        }
        if (pinned == KeyPins.Check.UNPINNED && !pins.mayPinAnotherName(key)) {
            stats.refused.increment();
            return RecordVerdict.REFUSED;
        }
        if (held == null) {
            if (records.size() >= limits.maxOrigins() && !evictUnreachable()) {
                stats.refused.increment();
                return RecordVerdict.REFUSED;
            }
            if (from != null && !from.newOrigins.take(now)) {
                stats.refused.increment();
                return RecordVerdict.REFUSED;
            }
        }
        if (!signatures.verify(key, SignedBytes.of(record), record.getSignature().toByteArray())) {
            stats.forged.increment();
            return RecordVerdict.REFUSED;
        }
        LinkRecords.Stored stored = records.put(record, now);
        recordsAccepted++;
        lastAcceptedMillis = now;
        awaited.arrived(origin, record.getSeq());
        pins.seen(origin, key, record.getSeq(), now);
        if (movesRoutes(held, stored) || held != null && !held.record.getInfo().equals(record.getInfo())) {
            routesChanged(); // a route, or what the directory shows of one (STUN, TURN offered), may have changed
        }
        return RecordVerdict.ACCEPTED;
    }

    /**
     * Whether a new record can change any shortest path: only if an edge both ends confirm appeared or went (an
     * edge the other end does not list yet changes nothing), or if it is the first record of a neighbour of ours.
     * While a network forms, half the records are one end announcing an edge the other has not confirmed yet; they
     * cost no route computation. {@code before}'s ids stay valid here: a name only it mentioned keeps its id, now
     * without a record, until another name takes the id.
     */
    private boolean movesRoutes(LinkRecords.Stored before, LinkRecords.Stored after) {
        if (before == null && neighbours.named(after.record.getOrigin()) != null) {
            return true;
        }
        int[] old = before == null ? new int[0] : before.listed;
        for (int v : after.listed) {
            if ((before == null || !before.lists(v)) && confirms(v, after.id)) {
                return true;
            }
        }
        for (int v : old) {
            if (!after.lists(v) && confirms(v, after.id)) {
                return true;
            }
        }
        return false;
    }

    /** True if the record of the name with id {@code v} lists {@code origin} (our own edges are our live neighbours). */
    private boolean confirms(int v, int origin) {
        LinkRecords.Stored s = records.byId(v);
        return s != null && s.lists(origin) && !s.record.getOrigin().equals(self);
    }

    /** Makes room by dropping the record unreachable for longest; false if every record is reachable. */
    private boolean evictUnreachable() {
        LinkRecords.Stored oldest = null;
        for (LinkRecords.Stored s : records.all()) {
            if (s.unreachableSinceMillis != 0 && !s.record.getOrigin().equals(self)
                    && (oldest == null || s.unreachableSinceMillis < oldest.unreachableSinceMillis)) {
                oldest = s;
            }
        }
        if (oldest == null) {
            return false;
        }
        forget(oldest.record.getOrigin());
        return true;
    }

    private void forget(String origin) {
        records.remove(origin);
        messaging.forget(origin);
        routesChanged();
    }

    private void onDigest(Digest digest, Neighbour n, long now) {
        if (digest.getBucketsCount() == 0) {
            if ((digest.getRoot() != records.root() || digest.getCount() != records.size()) && n.answers.take(now)) {
                Digest.Builder full = Digest.newBuilder().setRoot(records.root()).setCount(records.size());
                for (long b : records.buckets()) {
                    full.addBuckets(b);
                }
                send(GossipPacket.newBuilder().setDigest(full).build(), n.address);
            }
            return;
        }
        if (digest.getBucketsCount() != LinkRecords.BUCKETS) {
            stats.malformed.increment();
            return;
        }
        long[] mine = records.buckets();
        List<Integer> differ = new ArrayList<>();
        for (int i = 0; i < LinkRecords.BUCKETS; i++) {
            if (digest.getBuckets(i) != mine[i]) {
                differ.add(i);
            }
        }
        if (!differ.isEmpty() && n.answers.take(now)) {
            java.util.Collections.shuffle(differ);
            Set<Integer> some = new TreeSet<>(differ.subList(0, Math.min(MAX_SUMMARY_BUCKETS, differ.size())));
            send(GossipPacket.newBuilder().setSummary(Summary.newBuilder().addAllBuckets(some)
                    .addAllHave(records.inBuckets(some))).build(), n.address);
        }
    }

    private void onSummary(Summary summary, Neighbour n, long now) {
        if (summary.getBucketsCount() > LinkRecords.BUCKETS || !n.answers.take(now)) {
            return;
        }
        Set<Integer> buckets = new HashSet<>(summary.getBucketsList());
        Map<String, Long> theirs = new HashMap<>();
        for (OriginSeq s : summary.getHaveList()) {
            theirs.put(s.getOrigin(), s.getSeq());
        }
        List<LinkRecord> newer = new ArrayList<>();
        Set<Integer> behind = new TreeSet<>();
        for (OriginSeq mine : records.inBuckets(buckets)) {
            Long seen = theirs.remove(mine.getOrigin());
            if (seen == null || Long.compareUnsigned(seen, mine.getSeq()) < 0) {
                newer.add(records.get(mine.getOrigin()).record);
            } else if (Long.compareUnsigned(seen, mine.getSeq()) > 0) {
                behind.add(LinkRecords.bucket(mine.getOrigin()));
            }
        }
        theirs.keySet().forEach(o -> behind.add(LinkRecords.bucket(o)));
        behind.retainAll(buckets);
        sendAsked(newer, n.address);
        if (!behind.isEmpty() && !summary.getReply()) {
            send(GossipPacket.newBuilder().setSummary(Summary.newBuilder().addAllBuckets(behind)
                    .addAllHave(records.inBuckets(behind)).setReply(true)).build(), n.address);
        }
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
        PrivateMessaging.Refusal refusal = messaging.send(envelope, System.currentTimeMillis());
        if (refusal == null) {
            msg.reply(new JsonObject().put("ok", true));
        } else {
            msg.fail(refusal.code(), refusal.message());
        }
    }

    private void onNeighbourAdd(Message<JsonObject> msg) {
        HostPort address;
        try {
            address = HostPort.parse(PeerAddRequest.fromJson(msg.body()).peer());
        } catch (RuntimeException e) {
            msg.fail(FailureCodes.BAD_REQUEST, e.getMessage());
            return;
        }
        if (neighbours.configure(address.toString())) {
            hello(address.toString(), System.currentTimeMillis());
            directoryChanged();
        }
        msg.reply(new PeerAddRequest(address.toString()).toReplyJson());
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
        updateOwnRecord();
        msg.reply(new JsonObject().put("ok", true));
    }

    private void onKeyAccept(Message<JsonObject> msg) {
        JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
        String name = body.getString("name");
        String fingerprint = body.getString("fingerprint");
        LinkRecord record = name == null || fingerprint == null ? null : pins.accept(name, fingerprint);
        if (record == null) {
            msg.fail(FailureCodes.UNKNOWN_USER, "no key warning for " + name + " with fingerprint " + fingerprint);
            return;
        }
        LOG.info(() -> self + ": the user accepted the new key " + fingerprint + " of " + name);
        long now = System.currentTimeMillis();
        LinkRecords.Stored old = records.remove(name);
        if (old != null) {
            messaging.forget(name);
        }
        if (acceptRecord(record, null, now) == RecordVerdict.ACCEPTED) {
            flood(record, null);
        }
        routesChanged();
        directoryChanged();
        msg.reply(new JsonObject().put("ok", true));
    }

    // ---- timers -------------------------------------------------------------------------------------------

    private void keepaliveTick() {
        long now = System.currentTimeMillis();
        if (now - lastKeepaliveTick > limits.keepaliveMillis() + limits.keepaliveMillis() / 2) {
            // This event loop was starved (GC, an overloaded machine): keepalives may be waiting unread in the
            // socket. Judge silence only after reading them, or a stall would take live neighbours out.
            graceUntilMillis = now + limits.deadAfterMillis();
        }
        lastKeepaliveTick = now;
        for (Neighbour n : neighbours.all()) {
            send(GossipPacket.newBuilder().setKeepalive(Keepalive.newBuilder().setToken(ByteString.copyFrom(n.token))
                    .setSeq(ownSeq)).build(), n.address);
        }
        if (now >= graceUntilMillis) {
            judgeSilence(now);
        }
        if (now - lastHelloMillis >= HELLO_PERIOD_MILLIS) {
            greetConfigured(now);
        }
    }

    /**
     * A neighbour silent for too long is not taken for dead at once: its keepalives may be waiting unread in our
     * socket behind a backlog (a loaded machine, an event loop shared by many nodes), and a false death costs every
     * node a new record and new routes, more load, more late reads. A probe sent to our own socket comes back
     * after everything that arrived before it: the neighbour is dead if it is still silent as of when the probe
     * left. On an idle machine that costs a loopback round trip (well under a millisecond). A probe that does not
     * come back within {@link Neighbour#MAX_DEAD_AFTER_MILLIS} (lost: the socket's buffer overflowed) leaves silence judged
     * as of now.
     */
    private void judgeSilence(long now) {
        if (probeNonce != 0) {
            if (now - probeSentMillis <= Neighbour.MAX_DEAD_AFTER_MILLIS) {
                return;
            }
            probeNonce = 0;
            takeOutSilent(now, now);
            return;
        }
        int suspects = neighbours.silentLongerThan(now, limits.deadAfterMillis());
        if (suspects == 0) {
            return;
        }
        long nonce;
        do {
            nonce = ThreadLocalRandom.current().nextLong();
        } while (nonce == 0);
        probeNonce = nonce;
        probeSentMillis = now;
        probeSuspects = suspects;
        probesSent++;
        send(GossipPacket.newBuilder().setProbe(Probe.newBuilder().setNonce(nonce)).build(), selfAddress);
    }

    /** Our probe is back: everything that reached our socket before it left has been read. */
    private void onProbe(Probe probe, long now) {
        // The nonce is 64 random bits that only ever crossed our own socket: no other sender can know it.
        if (probeNonce == 0 || probe.getNonce() != probeNonce) {
            stats.unvalidated.increment();
            return;
        }
        probeNonce = 0;
        int dead = takeOutSilent(probeSentMillis, now);
        silencesExcused += Math.max(0, probeSuspects - dead);
    }

    private int takeOutSilent(long readUpToMillis, long now) {
        int before = neighbours.alive().size();
        if (!neighbours.expire(readUpToMillis, now, limits.deadAfterMillis())) {
            return 0;
        }
        neighbourDeaths++;
        LOG.fine(() -> self + ": live neighbours now " + neighbours.aliveAddresses());
        neighbourhoodChanged();
        return before - neighbours.alive().size();
    }

    private void greetConfigured(long now) {
        lastHelloMillis = now;
        for (String configured : neighbours.configured()) {
            String ip = resolved.get(configured);
            Neighbour known = ip == null ? null : neighbours.at(ip);
            // A neighbour silent only briefly (a loaded machine) comes back with its next keepalive; a new
            // handshake (two signatures each way) would only add load.
            if (known == null || !known.alive() && now - known.silentSinceMillis > REHELLO_SILENT_MILLIS) {
                hello(configured, now);
            }
        }
    }

    /** Sends a Hello to a configured "host:port", resolving a host name off the event loop. */
    private void hello(String configured, long now) {
        HostPort target = HostPort.parse(configured);
        boolean literal = target.host().matches("[0-9.]+") || target.host().contains(":");
        Future<String> address = literal
                ? Future.succeededFuture(resolve(target))
                : vertx.executeBlocking(() -> resolve(target));
        address.onSuccess(ip -> {
            resolved.put(configured, ip);
            byte[] padding = new byte[HELLO_BYTES - 2 - 2 - AddressCookies.COOKIE_BYTES - 2];
            send(GossipPacket.newBuilder().setHello(Hello.newBuilder()
                    .setCookie(ByteString.copyFrom(cookies.cookie(ip, now))).setPadding(ByteString.copyFrom(padding)))
                    .build(), ip);
        }).onFailure(e -> LOG.fine(() -> self + ": cannot resolve " + configured + ": " + e.getMessage()));
    }

    private static String resolve(HostPort target) {
        try {
            return address(InetAddress.getByName(target.host()).getHostAddress(), target.port());
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Compares our records with a random neighbour's, to repair what flooding missed. While records are still
     * arriving, a mismatch says only that a flood is under way (during a start of thousands, every comparison
     * would differ and send lists of hundreds of origins): the comparison waits until records have been quiet for
     * a moment, or at most {@link #ANTI_ENTROPY_MAX_WAIT_MILLIS}.
     */
    private void antiEntropy() {
        long now = System.currentTimeMillis();
        if (now - lastAcceptedMillis < 2 * DIGEST_PERIOD_MILLIS
                && now - lastAntiEntropyMillis < ANTI_ENTROPY_MAX_WAIT_MILLIS) {
            return;
        }
        lastAntiEntropyMillis = now;
        List<Neighbour> alive = neighbours.alive();
        if (!alive.isEmpty()) {
            Neighbour n = alive.get(ThreadLocalRandom.current().nextInt(alive.size()));
            send(GossipPacket.newBuilder().setDigest(Digest.newBuilder().setRoot(records.root())
                    .setCount(records.size())).build(), n.address);
        }
    }

    /** Drops records unreachable for 3 x rtimer, keeps pins fresh, expires old pins, saves pins. */
    private void maintenance() {
        long now = System.currentTimeMillis();
        messaging.purge(now);
        if (now - lastAgeingMillis < Math.min(AGEING_MILLIS, node.gossip().rtimerSeconds() * 1000L)) {
            return;
        }
        lastAgeingMillis = now;
        // The routes last computed (at most a second old while records change): a route computation per node per
        // second for this alone would be the largest cost of a quiet node with thousands of origins.
        Map<String, ShortestPaths.Route> reachable = routes;
        long cutoff = 3L * node.gossip().rtimerSeconds() * 1000L;
        List<String> gone = new ArrayList<>();
        boolean refreshPins = now - lastPinsRefreshMillis >= PINS_REFRESH_MILLIS;
        if (refreshPins) {
            lastPinsRefreshMillis = now;
        }
        for (LinkRecords.Stored s : records.all()) {
            String origin = s.record.getOrigin();
            if (origin.equals(self) || reachable.containsKey(origin)) {
                s.unreachableSinceMillis = 0;
                if (refreshPins) {
                    pins.seen(origin, s.record.getPublicKey().toByteArray(), s.record.getSeq(), now);
                }
            } else if (s.unreachableSinceMillis == 0) {
                s.unreachableSinceMillis = now;
            } else if (now - s.unreachableSinceMillis > cutoff) {
                gone.add(origin);
            }
        }
        gone.forEach(this::forget);
        pins.expire(now);
        lastAskMillis.keySet().removeIf(a -> neighbours.at(a) == null);
        if (pinsFile != null && !savingPins && now - lastPinsSaveMillis >= PINS_SAVE_MILLIS
                && pins.takeDirty(now - lastPinsSaveMillis >= PINS_TOUCH_SAVE_MILLIS)) {
            savingPins = true;
            lastPinsSaveMillis = now;
            JsonObject json = pins.toJson();
            vertx.executeBlocking(() -> {
                writePins(json);
                return null;
            }).onComplete(r -> {
                savingPins = false;
                if (r.failed()) {
                    LOG.warning(() -> self + ": could not save key pins: " + r.cause());
                }
            });
        }
    }

    private void writePins(JsonObject json) throws IOException {
        Files.createDirectories(pinsFile.getParent());
        Path tmp = Files.createTempFile(pinsFile.getParent(), PINS_FILE, ".tmp");
        Files.writeString(tmp, json.encode(), StandardCharsets.UTF_8);
        Files.move(tmp, pinsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- own record and routes ----------------------------------------------------------------------------

    private void neighbourhoodChanged() {
        routesChanged();
        scheduleOwnRecord();
    }

    /**
     * Coalesces bursts of neighbour changes into one new record. A neighbour lost goes out within
     * {@link #RECORD_COALESCE_MILLIS} (routes must move away from it); a neighbour gained waits until
     * {@link #RECORD_DAMPING_MILLIS} after our last record, so that many neighbours arriving (a network starting)
     * or one flapping on a loaded machine cost each node one record every 2 s at most, not one per change, flooded
     * to every node: in a network whose nodes start within 2 s, each node signs its first record and one listing
     * its neighbours, and no more (a gained neighbour is no emergency: routes work without the new edge).
     */
    private void scheduleOwnRecord() {
        if (ownRecordScheduled) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean lost = ownRecord != null && !new HashSet<>(aliveNames()).containsAll(ownRecord.getNeighboursList());
        long delay = lost ? RECORD_COALESCE_MILLIS
                : Math.max(RECORD_COALESCE_MILLIS, lastOwnRecordMillis + RECORD_DAMPING_MILLIS - now);
        ownRecordScheduled = true;
        vertx.setTimer(delay, id -> {
            ownRecordScheduled = false;
            updateOwnRecord();
        });
    }

    private List<String> aliveNames() {
        List<String> names = new ArrayList<>();
        neighbours.alive().forEach(n -> names.add(n.name));
        return names;
    }

    private void updateOwnRecord() {
        TreeSet<String> names = new TreeSet<>();
        neighbours.alive().forEach(n -> names.add(n.name));
        List<String> listed = new ArrayList<>(names).subList(0, Math.min(names.size(), LinkRecords.MAX_NEIGHBOURS_LISTED));
        if (ownRecord != null && ownRecord.getInfo().equals(info) && ownRecord.getNeighboursList().equals(listed)) {
            return;
        }
        ownSeq = Math.max(ownSeq + 1, System.currentTimeMillis());
        LinkRecord unsigned = LinkRecord.newBuilder().setOrigin(self).setSeq(ownSeq).setInfo(info)
                .setPublicKey(ByteString.copyFrom(identity.publicKey()))
                .setKexKey(ByteString.copyFrom(identity.kexPublicKey())).addAllNeighbours(listed).build();
        ownRecordsSigned++;
        lastOwnRecordMillis = System.currentTimeMillis();
        ownRecord = unsigned.toBuilder().setSignature(ByteString.copyFrom(identity.sign(SignedBytes.of(unsigned)))).build();
        records.put(ownRecord, System.currentTimeMillis());
        pins.seen(self, identity.publicKey(), ownSeq, System.currentTimeMillis());
        flood(ownRecord, null);
        routesChanged();
    }

    private void flood(LinkRecord record, String except) {
        for (Neighbour n : neighbours.alive()) {
            if (!n.address.equals(except)) {
                sendRecords(List.of(record), n.address);
            }
        }
    }

    /**
     * A new neighbour hears of every record we hold, so discovery never waits for a timer: announced in batches of
     * their own, marked {@code sync}, and it asks for what it lacks at once. Announcing, not pushing, matters when
     * many nodes start at once: a node greeted by several neighbours together takes each record from one of them,
     * not from all. Records that list no neighbours are left out ({@link #confirmsAnEdge}, as in
     * {@link #worthPassingOn}): they confirm no edge, and in a network starting every node's first record is one (a
     * fifth of the records a start moved).
     */
    private void greet(Neighbour n) {
        Map<String, Long> haves = new java.util.LinkedHashMap<>();
        for (LinkRecords.Stored s : records.all()) {
            if (!s.record.getOrigin().equals(n.name) && confirmsAnEdge(s.record)) {
                haves.put(s.record.getOrigin(), s.record.getSeq());
            }
        }
        BatchWriter writer = new BatchWriter(n.address);
        writer.announce(haves, true);
        writer.finish();
    }

    /** Records a neighbour asked for: marked {@code sync}, so old ones among them prune nothing. */
    private void sendAsked(List<LinkRecord> list, String to) {
        if (!list.isEmpty()) {
            syncing.add(to);
            sendRecords(list, to);
        }
    }

    /**
     * Queues records for a neighbour; they leave together a few milliseconds later, several to a datagram, and a
     * record superseded meanwhile by a newer one of its origin is not sent at all (a burst of changes, as when many
     * nodes start at once, costs one record per origin, not one per change).
     */
    private void sendRecords(List<LinkRecord> list, String to) {
        if (list.isEmpty()) {
            return;
        }
        Map<String, LinkRecord> queue = outgoing.computeIfAbsent(to, a -> new java.util.LinkedHashMap<>());
        for (LinkRecord r : list) {
            LinkRecord queued = queue.get(r.getOrigin());
            if (queued == null || Long.compareUnsigned(r.getSeq(), queued.getSeq()) > 0) {
                queue.put(r.getOrigin(), r);
            }
        }
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            vertx.setTimer(FLUSH_MILLIS, id -> flushRecords());
        }
    }

    private void flushRecords() {
        flushScheduled = false;
        Set<String> to = new HashSet<>(outgoing.keySet());
        to.addAll(announcing.keySet());
        for (String address : to) {
            boolean sync = syncing.contains(address);
            BatchWriter writer = new BatchWriter(address);
            for (LinkRecord r : outgoing.getOrDefault(address, Map.of()).values()) {
                writer.record(r, sync);
            }
            writer.announce(announcing.getOrDefault(address, Map.of()), false);
            writer.finish();
        }
        outgoing.clear();
        announcing.clear();
        syncing.clear();
    }

    /**
     * Fills datagrams of at most {@link #BATCH_BYTES} with records and announcements for one neighbour. A batch is
     * {@code sync} or not as a whole: announcements in a {@code sync} batch are a greeting's (asked for at once), so
     * the flood's announcements never share a batch with records that answer a request.
     */
    private final class BatchWriter {
        private final String to;
        private RecordBatch.Builder batch;
        private int size;

        BatchWriter(String to) {
            this.to = to;
        }

        void record(LinkRecord record, boolean sync) {
            fit(record.getSerializedSize() + 4, sync);
            batch.addRecords(record);
        }

        void announce(Map<String, Long> haves, boolean sync) {
            for (Map.Entry<String, Long> have : haves.entrySet()) {
                OriginSeq entry = OriginSeq.newBuilder().setOrigin(have.getKey()).setSeq(have.getValue()).build();
                fit(entry.getSerializedSize() + 2, sync);
                batch.addHave(entry);
            }
        }

        /** Makes {@code batch} one that can take {@code bytes} more and is {@code sync} or not as asked. */
        private void fit(int bytes, boolean sync) {
            if (batch != null && (batch.getSync() != sync || size + bytes > BATCH_BYTES)) {
                finish();
            }
            if (batch == null) {
                batch = RecordBatch.newBuilder().setSync(sync);
                size = 0;
            }
            size += bytes;
        }

        void finish() {
            if (batch != null) {
                send(GossipPacket.newBuilder().setRecords(batch).build(), to);
                batch = null;
            }
        }
    }

    private void routesChanged() {
        routesDirty = true;
        directoryChanged();
    }

    private Map<String, ShortestPaths.Route> routes() {
        if (routesDirty) {
            routesDirty = false;
            long t0 = System.nanoTime();
            ShortestPaths.Routes computed = paths().routes();
            routes = computed.byName();
            routesDigest = computed.digest();
            lastRoutesNanos = System.nanoTime() - t0;
        }
        return routes;
    }

    private ShortestPaths paths() {
        Set<String> own = new HashSet<>();
        for (Neighbour n : neighbours.alive()) {
            if (records.get(n.name) != null) {
                own.add(n.name);
            }
        }
        return new ShortestPaths(self, records, own);
    }

    private PrivateMessaging.Network network() {
        return new PrivateMessaging.Network() {
            @Override
            public LinkRecord recordOf(String origin) {
                LinkRecords.Stored s = records.get(origin);
                return s == null ? null : s.record;
            }

            @Override
            public List<String> relaysTo(String destination, Set<String> avoid) {
                if (avoid.isEmpty() && !routes().containsKey(destination)) {
                    return null;
                }
                return paths().relaysTo(destination, avoid);
            }

            @Override
            public boolean isNeighbour(String name) {
                return neighbours.named(name) != null;
            }

            @Override
            public boolean sendToNeighbour(String name, GossipPacket packet) {
                Neighbour n = neighbours.named(name);
                if (n == null) {
                    return false;
                }
                send(packet, n.address);
                return true;
            }
        };
    }

    private Future<Void> send(GossipPacket packet, String to) {
        byte[] bytes = packet.toByteArray();
        stats.sent.increment();
        stats.bytesOut.increment(bytes.length);
        java.net.InetSocketAddress target = socketAddresses.get(to);
        if (target != null) {
            socket.send(bytes, target);
            return Future.succeededFuture();
        }
        HostPort parsed = HostPort.parse(to);
        java.net.InetAddress ip = io.netty.util.NetUtil.createInetAddressFromIpAddressString(parsed.host());
        if (ip == null) {
            // A host name (-peers, or one the user adds): resolved off the event loop each time, since DNS may
            // move it; a lookup on the loop would stall every neighbour's keepalives for as long as DNS takes.
            return ((VertxInternal) vertx).nameResolver().resolve(parsed.host())
                    .onSuccess(resolved -> socket.send(bytes, new java.net.InetSocketAddress(resolved, parsed.port())))
                    .onFailure(e -> LOG.fine(() -> self + ": cannot resolve " + to + ": " + e.getMessage()))
                    .mapEmpty();
        }
        if (socketAddresses.size() >= MAX_SOCKET_ADDRESSES) {
            socketAddresses.clear(); // handshakes from many addresses: no table grows with what others send
        }
        target = new java.net.InetSocketAddress(ip, parsed.port());
        socketAddresses.put(to, target);
        socket.send(bytes, target);
        return Future.succeededFuture();
    }

    private static String address(String ip, int port) {
        return new HostPort(ip, port).toString();
    }

    // ---- directory ----------------------------------------------------------------------------------------

    private JsonObject directoryJson() {
        Map<String, String> addressOf = new HashMap<>();
        neighbours.alive().forEach(n -> addressOf.put(n.name, n.address));
        List<UserEntry> users = new ArrayList<>();
        for (ShortestPaths.Route r : routes().values()) {
            var held = records.get(r.name()).record;
            NodeInfo offered = held.getInfo();
            users.add(new UserEntry(r.name(), addressOf.get(r.firstHop()), r.hops(), emptyToNull(offered.getStun()),
                    emptyToNull(offered.getTurn()), records.get(r.name()).fingerprint()));
        }
        users.sort(java.util.Comparator.comparing(UserEntry::name));
        List<String> shown = new ArrayList<>(neighbours.aliveAddresses());
        for (String configured : neighbours.configured()) {
            String ip = resolved.get(configured);
            if (!shown.contains(configured) && (ip == null || !shown.contains(ip))) {
                shown.add(configured);
            }
        }
        JsonArray warnings = new JsonArray();
        pins.warnings().forEach(w -> warnings.add(w.toJson()));
        return new Directory(self, shown, users, KeyFingerprint.of(identity.publicKey())).toJson()
                .put("keyWarnings", warnings);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Publishes the directory at most every few tens of milliseconds: N new names cost one push, not N. */
    private void directoryChanged() {
        if (directoryScheduled || vertx == null) {
            return;
        }
        directoryScheduled = true;
        // While records keep changing (a network starting), computing every route again is the largest cost of a
        // node with thousands of origins: keep it to a small share of the node's time.
        // The first change after a quiet second shows within DIRECTORY_DEBOUNCE_MILLIS; a stream of changes is
        // shown once a second.
        long spacing = Math.max(ROUTES_BURST_SPACING_MILLIS, ROUTE_COST_FACTOR * lastRoutesNanos / 1_000_000);
        long delay = Math.max(DIRECTORY_DEBOUNCE_MILLIS, lastDirectoryMillis + spacing - System.currentTimeMillis());
        vertx.setTimer(delay, id -> {
            directoryScheduled = false;
            lastDirectoryMillis = System.currentTimeMillis();
            // Most record changes move no route: compare a cheap digest of what the directory shows before
            // building (and pushing to the tab) a directory of every user again.
            long shown = directoryDigest();
            shownReachable = routes.size();
            if (shown != publishedDirectory) {
                publishedDirectory = shown;
                vertx.eventBus().publish(Addresses.directory(self), directoryJson());
            }
        });
    }

    private long directoryDigest() {
        routes();
        long h = 17 + routesDigest;
        h = h * 31 + neighbours.aliveAddresses().hashCode();
        h = h * 31 + neighbours.configured().hashCode();
        h = h * 31 + resolved.hashCode();
        h = h * 31 + pins.warnings().hashCode();
        return h;
    }

    /** {@code routesNow}: also the nodes reachable by the routes computed now, as a message sent now would take. */
    private JsonObject statsJson(boolean routesNow) {
        JsonObject json = stats.toJson();
        if (routesNow) {
            json.put("routable", routes().size());
        }
        return json
                .put("neighbours", neighbours.all().size())
                .put("origins", records.size())
                .put("reachable", shownReachable) // as the directory last published shows it
                .put("recordsAccepted", recordsAccepted)
                .put("recordsStale", recordsStale)
                .put("graftsSent", graftsSent)
                .put("prunesSent", prunesSent)
                .put("lazyNeighbours", neighbours.alive().stream().filter(n -> n.lazy).count())
                .put("recordsAwaited", awaited.size())
                .put("ownRecordsSigned", ownRecordsSigned)
                .put("neighbourDeaths", neighbourDeaths)
                .put("probesSent", probesSent)
                .put("silencesExcused", silencesExcused)
                .put("neighboursAlive", neighbours.alive().size())
                .put("neighboursLeft", leaves)
                .put("pins", pins.size())
                .put("keyWarningsOpen", pins.warnings().size())
                .put("replayOrigins", messaging.replayOrigins())
                .put("pending", messaging.pendingCount())
                .put("signaturesChecked", signatures.verified);
    }
}

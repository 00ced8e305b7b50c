package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.FailureCodes;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.Undeliverable;
import org.decwebrtc.gossip.wire.Bounce;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.MessageKind;
import org.decwebrtc.gossip.wire.PrivateMessage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Private messages: signals sealed for their destination and signed by their origin, sent along a source route,
 * acknowledged end to end by a sealed, signed receipt, and retried over a path around the relays of the earlier
 * attempts when no receipt comes in time, so a relay that silently drops costs a retry, not the call. Delivered
 * once (replay window); bounced back to the sender when they can't go on. Not thread-safe: owned by the gossip
 * verticle's event loop.
 */
final class PrivateMessaging {
    private static final Logger LOG = Logger.getLogger(PrivateMessaging.class.getName());
    static final int HOP_LIMIT = 16;
    static final int MAX_ATTEMPTS = 3;
    /** A message not acknowledged this long after it was first sent is reported undeliverable. */
    static final long GIVE_UP_MILLIS = 6000;
    private static final int MAX_PENDING = 1024;
    /** Room left in a datagram for the header, path, signature and encryption overhead around a signal. */
    private static final int MAX_SIGNAL_BYTES = GossipVerticle.MAX_DATAGRAM - 2048;

    /** Why a signal was not sent: a failure code of {@link FailureCodes} and a message for the user. */
    record Refusal(int code, String message) {
    }

    /** What messaging needs of the rest of the node. */
    interface Network {
        LinkRecord recordOf(String origin);

        /** Relays of a shortest path to {@code destination} around {@code avoid}, first hop first; null if none. */
        List<String> relaysTo(String destination, Set<String> avoid);

        boolean isNeighbour(String name);

        /** Sends to the live neighbour holding {@code name}; false if there is none. */
        boolean sendToNeighbour(String name, GossipPacket packet);
    }

    private static final class Pending {
        final PrivateMessage message;
        final JsonObject signal;
        final long firstSentMillis;
        final Set<String> triedRelays = new HashSet<>();
        List<String> lastRelays = List.of();
        int attempts;
        long deadlineMillis;

        Pending(PrivateMessage message, JsonObject signal, long nowMillis) {
            this.message = message;
            this.signal = signal;
            this.firstSentMillis = nowMillis;
        }
    }

    private final String self;
    private final NodeIdentity identity;
    private final SignalCipher cipher;
    private final Signatures signatures;
    private final GossipStats stats;
    private final EventBus bus;
    private final Network network;
    private final GossipLimits limits;
    private final ReplayWindow replays;
    private final Outbox outbox = new Outbox(1024);
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    /**
     * Relays of a failed attempt whose retry around them was acknowledged, until when they are avoided: the next
     * messages go around them at once instead of each paying a retry (a dead relay is seen by its neighbours'
     * keepalives only after a second; a relay that drops messages is never seen by them).
     */
    private final Map<String, Long> suspects = new java.util.HashMap<>();
    static final long SUSPECT_MILLIS = 30_000;
    // Random start: ids of a restarted node must not meet its old ones in a replay window or a bounce.
    private long nextMessageId = ThreadLocalRandom.current().nextLong(1L << 62);

    PrivateMessaging(String self, NodeIdentity identity, Signatures signatures, GossipStats stats, EventBus bus,
                     Network network, GossipLimits limits) {
        this.self = self;
        this.identity = identity;
        this.cipher = new SignalCipher(identity.kexPrivateKey());
        this.signatures = signatures;
        this.stats = stats;
        this.bus = bus;
        this.network = network;
        this.limits = limits;
        this.replays = new ReplayWindow(limits.replayWindowMillis(), limits.maxFutureMillis(), limits.maxOrigins());
    }

    /** Sends a user's signal; returns null when it is on its way, or why it is not. */
    Refusal send(SignalEnvelope envelope, long nowMillis) {
        if (envelope.peer() == null || envelope.peer().isBlank() || envelope.signal() == null
                || !(envelope.signal().getValue("type") instanceof String)) {
            return new Refusal(FailureCodes.BAD_REQUEST, "a signal needs 'to' and a 'signal' object with a 'type'");
        }
        if (envelope.peer().equals(self)) {
            return new Refusal(FailureCodes.BAD_REQUEST, "cannot send a signal to yourself");
        }
        byte[] payload = envelope.signal().encode().getBytes(StandardCharsets.UTF_8);
        if (payload.length > MAX_SIGNAL_BYTES) {
            return new Refusal(FailureCodes.BAD_REQUEST, "signal too large: " + payload.length + " bytes");
        }
        LinkRecord destination = network.recordOf(envelope.peer());
        List<String> relays = destination == null ? null : network.relaysTo(envelope.peer(), Set.of());
        Set<String> avoid = suspected(nowMillis);
        if (relays != null && !avoid.isEmpty() && relays.stream().anyMatch(avoid::contains)) {
            List<String> around = network.relaysTo(envelope.peer(), avoid);
            relays = around != null ? around : relays;
        }
        if (relays == null) {
            String reason = "unknown user: " + envelope.peer();
            publishUndeliverable(envelope.peer(), reason, envelope.signal());
            return new Refusal(FailureCodes.UNKNOWN_USER, reason);
        }
        long id = nextMessageId++;
        byte[] sealed;
        try {
            sealed = cipher.encrypt(self, envelope.peer(), destination.getKexKey().toByteArray(), id, payload);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new Refusal(FailureCodes.UNAVAILABLE, "cannot encrypt to " + envelope.peer() + ": " + e.getMessage());
        }
        outbox.put(id, envelope.signal());
        PrivateMessage message = signed(PrivateMessage.newBuilder().setOrigin(self).setDestination(envelope.peer())
                .setId(id).setTimestamp(nowMillis).setKind(MessageKind.SIGNAL).setPayload(ByteString.copyFrom(sealed)));
        if (pending.size() >= MAX_PENDING) {
            pending.remove(pending.keySet().iterator().next());
        }
        Pending p = new Pending(message, envelope.signal(), nowMillis);
        pending.put(id, p);
        attempt(p, relays, nowMillis);
        return null;
    }

    private void attempt(Pending p, List<String> relays, long nowMillis) {
        p.attempts++;
        p.triedRelays.addAll(relays);
        p.lastRelays = relays;
        p.deadlineMillis = nowMillis + limits.receiptMillis() * (2 + relays.size()) / 2;
        if (p.attempts > 1) {
            stats.retried.increment();
        }
        sendAlong(p.message.toBuilder().setHopLimit(HOP_LIMIT).clearPath().addAllPath(relays).build(), relays);
    }

    private void sendAlong(PrivateMessage message, List<String> relays) {
        String first = relays.isEmpty() ? message.getDestination() : relays.get(0);
        if (!network.sendToNeighbour(first, GossipPacket.newBuilder().setPrivateMessage(message).build())) {
            LOG.fine(() -> self + ": first hop " + first + " to " + message.getDestination() + " is gone");
        }
    }

    /** Retries what was not acknowledged in time, over a path around the relays already tried. */
    void tick(long nowMillis) {
        Iterator<Pending> it = pending.values().iterator();
        List<Pending> retry = new java.util.ArrayList<>();
        while (it.hasNext()) {
            Pending p = it.next();
            if (nowMillis - p.firstSentMillis > GIVE_UP_MILLIS) {
                it.remove();
                publishUndeliverable(p.message.getDestination(), "no delivery receipt from "
                        + p.message.getDestination() + " after " + p.attempts + " attempts", p.signal);
            } else if (p.attempts < MAX_ATTEMPTS && nowMillis > p.deadlineMillis) {
                retry.add(p);
            }
        }
        for (Pending p : retry) {
            String to = p.message.getDestination();
            List<String> relays = network.relaysTo(to, p.triedRelays);
            if (relays == null) {
                relays = network.relaysTo(to, Set.of());
            }
            if (relays == null) {
                p.deadlineMillis = nowMillis + limits.receiptMillis();
                continue;
            }
            attempt(p, relays, nowMillis);
        }
    }

    /** Takes a message from the wire: for us, or on towards its destination. */
    void route(PrivateMessage message, long nowMillis) {
        if (message.getDestination().equals(self)) {
            deliver(message, nowMillis);
            return;
        }
        if (message.getOrigin().equals(self)) {
            return; // a loop brought our own message back
        }
        int hopLimit = Math.min(message.getHopLimit(), HOP_LIMIT);
        if (hopLimit == 0) {
            bounce(message, "hop limit reached before " + message.getDestination(), nowMillis);
            return;
        }
        PrivateMessage onward = message.toBuilder().setHopLimit(hopLimit - 1).build();
        GossipPacket packet = GossipPacket.newBuilder().setPrivateMessage(onward).build();
        String next = nextOnPath(message);
        if (next != null && network.sendToNeighbour(next, packet)) {
            stats.forwarded.increment();
            return;
        }
        // Off the origin's path (it changed, or the next relay is gone): our own shortest path.
        List<String> relays = network.relaysTo(message.getDestination(), Set.of());
        String hop = relays == null ? null : relays.isEmpty() ? message.getDestination() : relays.get(0);
        if (hop != null && network.sendToNeighbour(hop, packet)) {
            stats.forwarded.increment();
            return;
        }
        bounce(message, "no route to " + message.getDestination(), nowMillis);
    }

    private String nextOnPath(PrivateMessage message) {
        List<String> path = message.getPathList();
        int at = path.indexOf(self);
        if (at < 0) {
            return null;
        }
        return at + 1 < path.size() ? path.get(at + 1) : message.getDestination();
    }

    private void deliver(PrivateMessage message, long nowMillis) {
        LinkRecord origin = network.recordOf(message.getOrigin());
        if (origin == null || !signatures.verify(origin.getPublicKey().toByteArray(), SignedBytes.of(message),
                message.getSignature().toByteArray())) {
            // Forged, or from a node we don't know: relays must not be able to speak for someone else.
            stats.forged.increment();
            return;
        }
        ReplayWindow.Verdict fresh = replays.check(message.getOrigin(), message.getId(), message.getTimestamp(), nowMillis);
        if (fresh == ReplayWindow.Verdict.STALE) {
            stats.replayed.increment();
            return;
        }
        switch (message.getKind()) {
            case RECEIPT -> {
                if (fresh == ReplayWindow.Verdict.FRESH) {
                    onReceipt(message, origin);
                }
            }
            case BOUNCE -> {
                if (fresh == ReplayWindow.Verdict.FRESH) {
                    stats.delivered.increment();
                    Bounce bounce = message.getBounce();
                    Pending p = pending.remove(bounce.getOriginalId());
                    publishUndeliverable(bounce.getUndeliveredTo(), bounce.getReason(),
                            p != null ? p.signal : outbox.get(bounce.getOriginalId()));
                }
            }
            case SIGNAL -> onSignal(message, origin, fresh, nowMillis);
            default -> stats.malformed.increment();
        }
    }

    private void onSignal(PrivateMessage message, LinkRecord origin, ReplayWindow.Verdict fresh, long nowMillis) {
        JsonObject signal;
        try {
            signal = new JsonObject(new String(open(message, origin), StandardCharsets.UTF_8));
        } catch (DecodeException | GeneralSecurityException | ClassCastException e) {
            stats.malformed.increment();
            return;
        }
        // A retry whose first copy did arrive: its receipt was lost, so acknowledge again, but deliver once.
        sendReceipt(message, origin, nowMillis);
        if (fresh == ReplayWindow.Verdict.DUPLICATE) {
            stats.replayed.increment();
            return;
        }
        stats.delivered.increment();
        bus.publish(Addresses.signalReceived(self), new SignalEnvelope(message.getOrigin(), signal).toReceivedJson());
    }

    private void sendReceipt(PrivateMessage message, LinkRecord origin, long nowMillis) {
        long id = nextMessageId++;
        byte[] sealed;
        try {
            sealed = cipher.encrypt(self, message.getOrigin(), origin.getKexKey().toByteArray(), id,
                    ByteBuffer.allocate(8).putLong(message.getId()).array());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return;
        }
        // Back the way the message came: that path just worked, the shortest one may be what dropped it.
        List<String> relays = new java.util.ArrayList<>(message.getPathList());
        java.util.Collections.reverse(relays);
        if (relays.isEmpty() || relays.contains(self) || relays.contains(message.getOrigin())
                || !network.isNeighbour(relays.get(0))) {
            relays = network.relaysTo(message.getOrigin(), Set.of());
        }
        if (relays == null) {
            return;
        }
        PrivateMessage receipt = signed(PrivateMessage.newBuilder().setOrigin(self).setDestination(message.getOrigin())
                .setId(id).setTimestamp(nowMillis).setKind(MessageKind.RECEIPT).setPayload(ByteString.copyFrom(sealed)));
        sendAlong(receipt.toBuilder().setHopLimit(HOP_LIMIT).addAllPath(relays).build(), relays);
    }

    private void onReceipt(PrivateMessage message, LinkRecord origin) {
        try {
            byte[] acked = open(message, origin);
            Pending p = acked.length == 8 ? pending.remove(ByteBuffer.wrap(acked).getLong()) : null;
            if (p != null) {
                stats.receipts.increment();
                if (p.attempts > 1) {
                    long until = System.currentTimeMillis() + SUSPECT_MILLIS;
                    p.triedRelays.stream().filter(r -> !p.lastRelays.contains(r)).forEach(r -> suspects.put(r, until));
                }
            }
        } catch (GeneralSecurityException e) {
            stats.malformed.increment();
        }
    }

    /** Tells the origin its message could not be delivered; a bounce or receipt is never bounced (no loops). */
    private void bounce(PrivateMessage message, String reason, long nowMillis) {
        stats.bounced.increment();
        if (message.getKind() != MessageKind.SIGNAL) {
            LOG.fine(() -> self + ": dropped undeliverable " + message.getKind() + " for " + message.getDestination());
            return;
        }
        List<String> relays = network.relaysTo(message.getOrigin(), Set.of());
        if (relays == null) {
            return;
        }
        PrivateMessage bounce = signed(PrivateMessage.newBuilder()
                .setOrigin(self).setDestination(message.getOrigin()).setId(nextMessageId++).setTimestamp(nowMillis)
                .setKind(MessageKind.BOUNCE)
                .setBounce(Bounce.newBuilder().setUndeliveredTo(message.getDestination()).setReason(reason)
                        .setOriginalId(message.getId())));
        sendAlong(bounce.toBuilder().setHopLimit(HOP_LIMIT).addAllPath(relays).build(), relays);
    }

    private void publishUndeliverable(String to, String reason, JsonObject signal) {
        bus.publish(Addresses.signalUndeliverable(self), new Undeliverable(to, reason, signal).toJson());
    }

    private byte[] open(PrivateMessage message, LinkRecord origin) throws GeneralSecurityException {
        if (origin.getKexKey().isEmpty()) {
            throw new GeneralSecurityException("no key for " + message.getOrigin());
        }
        return cipher.decrypt(self, message.getOrigin(), origin.getKexKey().toByteArray(), message.getId(),
                message.getPayload().toByteArray());
    }

    private Set<String> suspected(long nowMillis) {
        suspects.values().removeIf(until -> until < nowMillis);
        return suspects.isEmpty() ? Set.of() : Set.copyOf(suspects.keySet());
    }

    /** Drops what is kept for a node that was deleted. */
    void forget(String origin) {
        cipher.forget(origin);
    }

    void purge(long nowMillis) {
        replays.purge(nowMillis);
    }

    int pendingCount() {
        return pending.size();
    }

    int replayOrigins() {
        return replays.origins();
    }

    private PrivateMessage signed(PrivateMessage.Builder message) {
        PrivateMessage unsigned = message.build();
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(identity.sign(SignedBytes.of(unsigned)))).build();
    }

    /** The message rebuilt from the fields this version knows, within size limits; null if it breaks them. */
    static PrivateMessage canonical(PrivateMessage m) {
        if (!NodeNames.valid(m.getOrigin()) || !NodeNames.valid(m.getDestination()) || m.getPathCount() > HOP_LIMIT
                || m.getSignature().size() != 64 || m.getBounce().getReason().length() > 200
                || !m.getPathList().stream().allMatch(NodeNames::valid)
                || (m.hasBounce() && !m.getBounce().getUndeliveredTo().isEmpty()
                    && !NodeNames.valid(m.getBounce().getUndeliveredTo()))) {
            return null;
        }
        PrivateMessage.Builder b = PrivateMessage.newBuilder().setOrigin(m.getOrigin()).setDestination(m.getDestination())
                .setHopLimit(m.getHopLimit()).setId(m.getId()).setTimestamp(m.getTimestamp()).setKindValue(m.getKindValue())
                .setPayload(m.getPayload()).addAllPath(m.getPathList()).setSignature(m.getSignature());
        if (m.hasBounce()) {
            b.setBounce(Bounce.newBuilder().setUndeliveredTo(m.getBounce().getUndeliveredTo())
                    .setReason(m.getBounce().getReason()).setOriginalId(m.getBounce().getOriginalId()));
        }
        return b.build();
    }
}

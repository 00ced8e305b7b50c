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
import org.decwebrtc.gossip.wire.PrivateMessage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Private messages: signals sealed for their destination and signed by their origin, routed hop by hop along the
 * next-hop table with a hop limit, delivered to the event bus, and bounced back to the sender when they can't go
 * on — never dropped silently. Not thread-safe: owned by the gossip verticle's event loop.
 */
final class PrivateMessaging {
    private static final Logger LOG = Logger.getLogger(PrivateMessaging.class.getName());
    static final int HOP_LIMIT = 10;
    /** Room left in a datagram for the header, signature and encryption overhead around a signal. */
    private static final int MAX_SIGNAL_BYTES = GossipVerticle.MAX_DATAGRAM - 512;

    /** Why a signal was not sent: a failure code of {@link FailureCodes} and a message for the user. */
    record Refusal(int code, String message) {
    }

    private final String self;
    private final RoutingTable routes;
    private final TrustStore trust;
    private final NodeIdentity identity;
    private final SignalCipher cipher;
    private final GossipStats stats;
    private final EventBus bus;
    private final BiConsumer<GossipPacket, String> wire;
    private final Outbox outbox = new Outbox(1024);
    // Random start: ids of a restarted node must not meet its old ones in a peer's bounce.
    private long nextMessageId = ThreadLocalRandom.current().nextLong(1L << 48);

    PrivateMessaging(String self, RoutingTable routes, TrustStore trust, NodeIdentity identity, GossipStats stats,
                     EventBus bus, BiConsumer<GossipPacket, String> wire) {
        this.self = self;
        this.routes = routes;
        this.trust = trust;
        this.identity = identity;
        this.cipher = new SignalCipher(identity.kexPrivateKey());
        this.stats = stats;
        this.bus = bus;
        this.wire = wire;
    }

    /** Sends a user's signal; returns null when it is on its way, or why it is not. */
    Refusal send(SignalEnvelope envelope) {
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
        Route destination = routes.get(envelope.peer());
        if (destination == null) {
            String reason = "unknown user: " + envelope.peer();
            publishUndeliverable(envelope.peer(), reason, envelope.signal());
            return new Refusal(FailureCodes.UNKNOWN_USER, reason);
        }
        long id = nextMessageId++;
        byte[] sealed;
        try {
            sealed = cipher.encrypt(self, envelope.peer(), destination.rumor().getKexKey().toByteArray(), id, payload);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new Refusal(FailureCodes.UNAVAILABLE, "cannot encrypt to " + envelope.peer() + ": " + e.getMessage());
        }
        outbox.put(id, envelope.signal());
        route(signed(PrivateMessage.newBuilder().setOrigin(self).setDestination(envelope.peer()).setHopLimit(HOP_LIMIT)
                .setId(id).setEncrypted(true).setPayload(ByteString.copyFrom(sealed))));
        return null;
    }

    /** Takes a message from the wire: for us, or on towards its destination. */
    void route(PrivateMessage message) {
        if (message.getDestination().equals(self)) {
            deliver(message);
            return;
        }
        if (message.getHopLimit() == 0) {
            bounce(message, "hop limit reached before " + message.getDestination());
            return;
        }
        Route route = routes.get(message.getDestination());
        if (route == null) {
            bounce(message, "no route to " + message.getDestination());
            return;
        }
        if (!message.getOrigin().equals(self)) {
            stats.forwarded.increment();
        }
        wire.accept(GossipPacket.newBuilder()
                .setPrivateMessage(message.toBuilder().setHopLimit(message.getHopLimit() - 1)).build(), route.nextHop());
    }

    /** Drops what is kept for a node that was deleted. */
    void forget(String origin) {
        cipher.forget(origin);
    }

    private void deliver(PrivateMessage message) {
        if (trust.checkKnown(message.getOrigin(), SignedBytes.of(message), message.getSignature().toByteArray())
                != TrustStore.Verdict.TRUSTED) {
            // Forged or from a node we don't know (yet): relays must not be able to speak for someone else.
            stats.forged.increment();
            return;
        }
        if (message.hasBounce()) {
            stats.delivered.increment();
            Bounce bounce = message.getBounce();
            publishUndeliverable(bounce.getUndeliveredTo(), bounce.getReason(), outbox.get(bounce.getOriginalId()));
            return;
        }
        JsonObject signal;
        try {
            signal = new JsonObject(new String(open(message), StandardCharsets.UTF_8));
        } catch (DecodeException | GeneralSecurityException e) {
            stats.malformed.increment();
            return;
        }
        stats.delivered.increment();
        bus.publish(Addresses.signalReceived(self), new SignalEnvelope(message.getOrigin(), signal).toReceivedJson());
    }

    /** Tells the origin its message could not be delivered; a bounce itself is never bounced (no loops). */
    private void bounce(PrivateMessage message, String reason) {
        stats.bounced.increment();
        if (message.hasBounce()) {
            LOG.fine(() -> self + ": dropped undeliverable bounce for " + message.getDestination() + ": " + reason);
            return;
        }
        if (message.getOrigin().equals(self)) {
            publishUndeliverable(message.getDestination(), reason, outbox.get(message.getId()));
            return;
        }
        route(signed(PrivateMessage.newBuilder()
                .setOrigin(self).setDestination(message.getOrigin()).setHopLimit(HOP_LIMIT)
                .setId(nextMessageId++)
                .setBounce(Bounce.newBuilder().setUndeliveredTo(message.getDestination()).setReason(reason)
                        .setOriginalId(message.getId()))));
    }

    private void publishUndeliverable(String to, String reason, JsonObject signal) {
        bus.publish(Addresses.signalUndeliverable(self), new Undeliverable(to, reason, signal).toJson());
    }

    /** The plaintext of a delivered message; unencrypted payloads are accepted (tests, diagnostics). */
    private byte[] open(PrivateMessage message) throws GeneralSecurityException {
        if (!message.getEncrypted()) {
            return message.getPayload().toByteArray();
        }
        Route origin = routes.get(message.getOrigin());
        if (origin == null || origin.rumor().getKexKey().isEmpty()) {
            throw new GeneralSecurityException("no key for " + message.getOrigin());
        }
        return cipher.decrypt(self, message.getOrigin(), origin.rumor().getKexKey().toByteArray(), message.getId(),
                message.getPayload().toByteArray());
    }

    private PrivateMessage signed(PrivateMessage.Builder message) {
        PrivateMessage unsigned = message.build();
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(identity.sign(SignedBytes.of(unsigned)))).build();
    }
}

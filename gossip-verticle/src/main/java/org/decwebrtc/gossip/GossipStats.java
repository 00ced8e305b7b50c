package org.decwebrtc.gossip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.json.JsonObject;

/** Counters of one gossip node, registered with Micrometer under {@code decwebrtc.gossip.*} tagged by node. */
final class GossipStats {
    final Counter received;
    final Counter sent;
    final Counter malformed;
    final Counter oversized;
    final Counter delivered;
    final Counter forwarded;
    final Counter bounced;
    final Counter forged;
    final Counter replayed;
    final Counter retried;
    final Counter receipts;
    final Counter refused;
    final Counter unvalidated;
    final Counter keyWarnings;
    /** Bytes read from and written to the gossip socket. */
    final Counter bytesIn;
    final Counter bytesOut;

    GossipStats(String node) {
        MeterRegistry registry = Metrics.globalRegistry;
        // The global composite counts nothing until a registry joins it; keep one so the counts are readable.
        synchronized (Metrics.class) {
            if (registry instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry composite
                    && composite.getRegistries().isEmpty()) {
                Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            }
        }
        received = Counter.builder("decwebrtc.gossip.packets.received").tag("node", node).register(registry);
        sent = Counter.builder("decwebrtc.gossip.packets.sent").tag("node", node).register(registry);
        malformed = Counter.builder("decwebrtc.gossip.packets.malformed").tag("node", node).register(registry);
        oversized = Counter.builder("decwebrtc.gossip.packets.oversized").tag("node", node).register(registry);
        delivered = Counter.builder("decwebrtc.gossip.private.delivered").tag("node", node).register(registry);
        forwarded = Counter.builder("decwebrtc.gossip.private.forwarded").tag("node", node).register(registry);
        bounced = Counter.builder("decwebrtc.gossip.private.bounced").tag("node", node).register(registry);
        forged = Counter.builder("decwebrtc.gossip.packets.forged").tag("node", node).register(registry);
        replayed = Counter.builder("decwebrtc.gossip.private.replayed").tag("node", node).register(registry);
        retried = Counter.builder("decwebrtc.gossip.private.retried").tag("node", node).register(registry);
        receipts = Counter.builder("decwebrtc.gossip.private.receipts").tag("node", node).register(registry);
        refused = Counter.builder("decwebrtc.gossip.records.refused").tag("node", node).register(registry);
        unvalidated = Counter.builder("decwebrtc.gossip.packets.unvalidated").tag("node", node).register(registry);
        keyWarnings = Counter.builder("decwebrtc.gossip.key.warnings").tag("node", node).register(registry);
        bytesIn = Counter.builder("decwebrtc.gossip.bytes.received").tag("node", node).register(registry);
        bytesOut = Counter.builder("decwebrtc.gossip.bytes.sent").tag("node", node).register(registry);
        for (Counter c : java.util.List.of(received, sent, malformed, oversized, delivered, forwarded, bounced, forged,
                replayed, retried, receipts, refused, unvalidated, keyWarnings, bytesIn, bytesOut)) {
            baseline.put(c, c.count());
        }
    }

    /** Counts of this node since it started: Micrometer keeps a counter across restarts of a node in one JVM. */
    private final java.util.Map<Counter, Double> baseline = new java.util.IdentityHashMap<>();

    private long since(Counter c) {
        return (long) (c.count() - baseline.computeIfAbsent(c, k -> 0.0));
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("received", since(received))
                .put("sent", since(sent))
                .put("malformed", since(malformed))
                .put("oversized", since(oversized))
                .put("delivered", since(delivered))
                .put("forwarded", since(forwarded))
                .put("bounced", since(bounced))
                .put("forged", since(forged))
                .put("replayed", since(replayed))
                .put("retried", since(retried))
                .put("receipts", since(receipts))
                .put("refused", since(refused))
                .put("unvalidated", since(unvalidated))
                .put("keyWarnings", since(keyWarnings))
                .put("bytesReceived", since(bytesIn))
                .put("bytesSent", since(bytesOut));
    }
}

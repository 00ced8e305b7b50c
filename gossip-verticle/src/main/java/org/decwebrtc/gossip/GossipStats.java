package org.decwebrtc.gossip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.json.JsonObject;

/** Counters of one gossip node, registered with Micrometer under {@code decwebrtc.gossip.*} tagged by node. */
final class GossipStats {
    final Counter received;
    final Counter malformed;
    final Counter oversized;
    final Counter delivered;
    final Counter forwarded;
    final Counter bounced;
    final Counter forged;

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
        malformed = Counter.builder("decwebrtc.gossip.packets.malformed").tag("node", node).register(registry);
        oversized = Counter.builder("decwebrtc.gossip.packets.oversized").tag("node", node).register(registry);
        delivered = Counter.builder("decwebrtc.gossip.private.delivered").tag("node", node).register(registry);
        forwarded = Counter.builder("decwebrtc.gossip.private.forwarded").tag("node", node).register(registry);
        bounced = Counter.builder("decwebrtc.gossip.private.bounced").tag("node", node).register(registry);
        forged = Counter.builder("decwebrtc.gossip.packets.forged").tag("node", node).register(registry);
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("received", (long) received.count())
                .put("malformed", (long) malformed.count())
                .put("oversized", (long) oversized.count())
                .put("delivered", (long) delivered.count())
                .put("forwarded", (long) forwarded.count())
                .put("bounced", (long) bounced.count())
                .put("forged", (long) forged.count());
    }
}

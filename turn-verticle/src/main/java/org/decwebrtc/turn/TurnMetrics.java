package org.decwebrtc.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.turn.alloc.Quotas;
import org.decwebrtc.turn.alloc.RelayPortPool;

/**
 * What a TURN operator watches: live allocations and relay ports, relayed traffic in both directions, and the
 * refusals that show abuse or misconfiguration (auth failures, refused peers, quota hits, over-cap drops).
 * Meters are tagged with the node name so several nodes can share one registry.
 */
public final class TurnMetrics {
    public final Counter allocationsCreated;
    public final Counter allocationsEnded;
    public final HotCounter relayedPacketsToPeer;
    public final HotCounter relayedBytesToPeer;
    public final HotCounter relayedPacketsToClient;
    public final HotCounter relayedBytesToClient;
    public final Counter authFailures;
    public final Counter staleNonces;
    public final Counter refusedPeers;
    public final Counter quotaRefusals;
    public final Counter bandwidthDrops;
    public final Counter noPermissionDrops;
    public final Counter malformed;
    public final Counter bindingRequests;
    /** Permissions installed on live allocations, across every event loop. */
    public final java.util.concurrent.atomic.LongAdder permissions = new java.util.concurrent.atomic.LongAdder();
    private final java.util.Map<Integer, Counter> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private final Tags tags;
    private final Quotas quotas;
    private final RelayPortPool ports;
    private final MeterRegistry registry;
    private final java.util.List<io.micrometer.core.instrument.Meter> meters = new java.util.ArrayList<>();

    public TurnMetrics(MeterRegistry registry, String node, Quotas quotas, RelayPortPool ports) {
        this.quotas = quotas;
        this.ports = ports;
        this.registry = registry;
        Tags tags = Tags.of("node", node);
        this.tags = tags;
        allocationsCreated = registry.counter("turn.allocations.created", tags);
        allocationsEnded = registry.counter("turn.allocations.ended", tags);
        relayedPacketsToPeer = new HotCounter("turn.relayed.packets", tags.and("direction", "to-peer"));
        relayedBytesToPeer = new HotCounter("turn.relayed.bytes", tags.and("direction", "to-peer"));
        relayedPacketsToClient = new HotCounter("turn.relayed.packets", tags.and("direction", "to-client"));
        relayedBytesToClient = new HotCounter("turn.relayed.bytes", tags.and("direction", "to-client"));
        authFailures = registry.counter("turn.auth.failures", tags);
        staleNonces = registry.counter("turn.auth.stale.nonces", tags);
        refusedPeers = registry.counter("turn.peers.refused", tags);
        quotaRefusals = registry.counter("turn.quota.refusals", tags);
        bandwidthDrops = registry.counter("turn.bandwidth.drops", tags);
        noPermissionDrops = registry.counter("turn.permission.drops", tags);
        malformed = registry.counter("turn.malformed", tags);
        bindingRequests = registry.counter("turn.binding.requests", tags);
        meters.addAll(java.util.List.of(allocationsCreated, allocationsEnded, authFailures, staleNonces, refusedPeers,
                quotaRefusals, bandwidthDrops, noPermissionDrops, malformed, bindingRequests));
        for (HotCounter c : java.util.List.of(relayedPacketsToPeer, relayedBytesToPeer, relayedPacketsToClient,
                relayedBytesToClient)) {
            meters.add(io.micrometer.core.instrument.FunctionCounter.builder(c.name, c.adder, java.util.concurrent.atomic.LongAdder::sum)
                    .tags(c.tags).register(registry));
        }
        meters.add(Gauge.builder("turn.allocations.active", this, TurnMetrics::activeAllocations).tags(tags).register(registry));
        meters.add(Gauge.builder("turn.quota.slots.used", quotas, Quotas::total).tags(tags).register(registry));
        meters.add(Gauge.builder("turn.permissions.active", permissions, java.util.concurrent.atomic.LongAdder::sum)
                .tags(tags).register(registry));
        meters.add(Gauge.builder("turn.relay.ports.in.use", ports, RelayPortPool::inUse).tags(tags).register(registry));
    }

    /**
     * A per-packet counter: a bare LongAdder the registry reads through a FunctionCounter, so the relay's fast
     * path pays one uncontended add instead of a walk through the composite registry's meters.
     */
    public static final class HotCounter {
        final String name;
        final Tags tags;
        final java.util.concurrent.atomic.LongAdder adder = new java.util.concurrent.atomic.LongAdder();

        HotCounter(String name, Tags tags) {
            this.name = name;
            this.tags = tags;
        }

        public void increment() {
            adder.increment();
        }

        public void increment(long amount) {
            adder.add(amount);
        }

        public double count() {
            return adder.sum();
        }
    }

    /** Allocations alive now (quota slots also count EVEN-PORT reservations, so they are not the same). */
    public int activeAllocations() {
        return (int) (allocationsCreated.count() - allocationsEnded.count());
    }

    /** Counts an error response by its code (401 challenges included): what the server refused, and why. */
    public void refused(int code) {
        Counter c = refusals.get(code);
        if (c == null) {
            c = refusals.computeIfAbsent(code, k -> {
                Counter created = registry.counter("turn.refusals", tags.and("code", String.valueOf(k)));
                synchronized (meters) {
                    meters.add(created);
                }
                return created;
            });
        }
        c.increment();
    }

    /** The registry shared by the node's verticles (Micrometer's global one), with a readable backend. */
    public static MeterRegistry nodeRegistry() {
        if (io.micrometer.core.instrument.Metrics.globalRegistry.getRegistries().isEmpty()) {
            io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        }
        return io.micrometer.core.instrument.Metrics.globalRegistry;
    }

    /** Unregisters this server's meters (undeploy), so the registry keeps no reference to a dead table. */
    public void close() {
        synchronized (meters) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }

    /** The reply of {@code turn.stats}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("activeAllocations", activeAllocations())
                .put("quotaSlotsUsed", quotas.total())
                .put("relayPortsInUse", ports.inUse())
                .put("relayPortsFree", ports.available())
                .put("allocationsCreated", (long) allocationsCreated.count())
                .put("allocationsEnded", (long) allocationsEnded.count())
                .put("relayedPacketsToPeer", (long) relayedPacketsToPeer.count())
                .put("relayedBytesToPeer", (long) relayedBytesToPeer.count())
                .put("relayedPacketsToClient", (long) relayedPacketsToClient.count())
                .put("relayedBytesToClient", (long) relayedBytesToClient.count())
                .put("authFailures", (long) authFailures.count())
                .put("staleNonces", (long) staleNonces.count())
                .put("refusedPeers", (long) refusedPeers.count())
                .put("quotaRefusals", (long) quotaRefusals.count())
                .put("bandwidthDrops", (long) bandwidthDrops.count())
                .put("noPermissionDrops", (long) noPermissionDrops.count())
                .put("malformed", (long) malformed.count())
                .put("bindingRequests", (long) bindingRequests.count())
                .put("permissions", permissions.sum())
                .put("refusals", refusalsJson());
    }

    private JsonObject refusalsJson() {
        JsonObject byCode = new JsonObject();
        new java.util.TreeMap<>(refusals).forEach((code, c) -> byCode.put(String.valueOf(code), (long) c.count()));
        return byCode;
    }
}

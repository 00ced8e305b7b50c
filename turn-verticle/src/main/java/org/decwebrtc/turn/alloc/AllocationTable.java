package org.decwebrtc.turn.alloc;

import org.decwebrtc.stun.server.FiveTuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The allocations of one event loop by 5-tuple, drawing on the quotas and the port pool shared by all loops.
 * Removing an allocation (Refresh 0, expiry, client gone) always closes its relay, returns its port and its
 * quota slot, in one place, so nothing can leak on one path and not another. Not thread-safe: one loop owns it.
 */
public final class AllocationTable {

    private final Map<FiveTuple, Allocation> byTuple = new HashMap<>();
    private final RelayPortPool ports;
    private final Quotas quotas;
    private final long bandwidthBytesPerSecond;
    private final int channelMax;
    private Consumer<Allocation> onRemoved = a -> { };
    private java.util.concurrent.atomic.LongAdder livePermissions = new java.util.concurrent.atomic.LongAdder();

    public AllocationTable(RelayPortPool ports, Quotas quotas, long bandwidthBytesPerSecond) {
        this(ports, quotas, bandwidthBytesPerSecond, Allocation.CHANNEL_MAX);
    }

    /** {@code channelMax}: {@link Allocation#CHANNEL_MAX}, or {@link Allocation#CHANNEL_MAX_LEGACY} for RFC 5766 clients. */
    public AllocationTable(RelayPortPool ports, Quotas quotas, long bandwidthBytesPerSecond, int channelMax) {
        this.ports = ports;
        this.quotas = quotas;
        this.bandwidthBytesPerSecond = bandwidthBytesPerSecond;
        this.channelMax = channelMax;
    }

    /** Called after an allocation is removed and its resources freed (metrics, logging). */
    public void onRemoved(Consumer<Allocation> listener) {
        this.onRemoved = listener;
    }

    /** Where installed permissions are counted (shared by every loop's table for the node's stats). */
    public void countPermissionsIn(java.util.concurrent.atomic.LongAdder counter) {
        this.livePermissions = counter;
    }

    public RelayPortPool ports() {
        return ports;
    }

    public Quotas quotas() {
        return quotas;
    }

    public Allocation get(FiveTuple tuple) {
        return byTuple.get(tuple);
    }

    /** Takes a quota slot before any socket is opened (486 when full); give it back with {@link #cancel}. */
    public Quotas.Admission admit(String user) {
        return quotas.reserve(user);
    }

    /** As {@link #admit(String)}, also counted against the client address's quota. */
    public Quotas.Admission admit(String user, java.net.InetAddress source) {
        return quotas.reserve(user, source);
    }

    public void cancel(String user, java.net.InetAddress source) {
        quotas.release(user, source);
    }

    /** Returns a slot taken by {@link #admit} for an allocation that was not created after all. */
    public void cancel(String user) {
        quotas.release(user);
    }

    /** Registers an allocation whose relay is already bound, under the slot {@link #admit} reserved. */
    public Allocation add(FiveTuple tuple, String user, Relay relay, long expiresAt, long nowNanos) {
        return add(tuple, user, user, relay, expiresAt, nowNanos);
    }

    /** As above, for a credential whose USERNAME differs from the quota user (TURN REST {@code expiry:user}). */
    public Allocation add(FiveTuple tuple, String user, String username, Relay relay, long expiresAt, long nowNanos) {
        if (byTuple.containsKey(tuple)) {
            throw new IllegalStateException("allocation exists for " + tuple);
        }
        Allocation a = new Allocation(tuple, user, username, relay, expiresAt,
                new TokenBucket(bandwidthBytesPerSecond, nowNanos), channelMax, livePermissions);
        byTuple.put(tuple, a);
        return a;
    }

    public void refresh(Allocation a, long expiresAt) {
        a.expiresAt(expiresAt);
    }

    /** Ends an allocation: closes its relay, returns its quota slot, and its port once closed. Idempotent. */
    public void remove(Allocation a) {
        if (byTuple.remove(a.tuple(), a)) {
            quotas.release(a.user(), a.tuple().remote().getAddress());
            a.ended();
            int port = a.relay().port();
            try {
                a.relay().close(() -> ports.release(port));
            } finally {
                onRemoved.accept(a);
            }
        }
    }

    /** Ends expired allocations and trims expired permissions/channels of the rest; returns how many ended. */
    public int sweep(long now) {
        List<Allocation> expired = new ArrayList<>();
        for (Allocation a : byTuple.values()) {
            if (a.expiresAt() <= now) {
                expired.add(a);
            } else {
                a.sweep(now);
            }
        }
        expired.forEach(this::remove);
        return expired.size();
    }

    /** Allocations of this loop. */
    public int size() {
        return byTuple.size();
    }

    public Collection<Allocation> all() {
        return List.copyOf(byTuple.values());
    }
}

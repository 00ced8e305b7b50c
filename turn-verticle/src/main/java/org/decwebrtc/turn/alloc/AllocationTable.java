package org.decwebrtc.turn.alloc;

import org.decwebrtc.stun.server.FiveTuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * All allocations of this server by 5-tuple, with the quotas that bound them and the port pool they draw
 * from. Removing an allocation (Refresh 0, expiry, client gone) always closes its relay and returns its port,
 * in one place, so nothing can leak on one path and not another.
 */
public final class AllocationTable {

    public enum Admission { OK, USER_QUOTA, TOTAL_QUOTA }

    private final Map<FiveTuple, Allocation> byTuple = new HashMap<>();
    private final Map<String, Integer> perUser = new HashMap<>();
    private final RelayPortPool ports;
    private final int maxPerUser;
    private final int maxTotal;
    private final long bandwidthBytesPerSecond;
    private final int channelMax;
    private Consumer<Allocation> onRemoved = a -> { };

    public AllocationTable(RelayPortPool ports, int maxPerUser, int maxTotal, long bandwidthBytesPerSecond) {
        this(ports, maxPerUser, maxTotal, bandwidthBytesPerSecond, Allocation.CHANNEL_MAX);
    }

    /** {@code channelMax}: {@link Allocation#CHANNEL_MAX}, or {@link Allocation#CHANNEL_MAX_LEGACY} for RFC 5766 clients. */
    public AllocationTable(RelayPortPool ports, int maxPerUser, int maxTotal, long bandwidthBytesPerSecond, int channelMax) {
        this.channelMax = channelMax;
        this.ports = ports;
        this.maxPerUser = maxPerUser;
        this.maxTotal = maxTotal;
        this.bandwidthBytesPerSecond = bandwidthBytesPerSecond;
    }

    /** Called after an allocation is removed and its resources freed (metrics, logging). */
    public void onRemoved(Consumer<Allocation> listener) {
        this.onRemoved = listener;
    }

    public RelayPortPool ports() {
        return ports;
    }

    public Allocation get(FiveTuple tuple) {
        return byTuple.get(tuple);
    }

    /** Quota check before any socket is opened (486 when full). */
    public Admission admit(String user) {
        if (byTuple.size() >= maxTotal) {
            return Admission.TOTAL_QUOTA;
        }
        if (perUser.getOrDefault(user, 0) >= maxPerUser) {
            return Admission.USER_QUOTA;
        }
        return Admission.OK;
    }

    /** Registers an allocation whose relay is already bound; the caller has checked {@link #admit}. */
    public Allocation add(FiveTuple tuple, String user, Relay relay, long expiresAt, long nowNanos) {
        if (byTuple.containsKey(tuple)) {
            throw new IllegalStateException("allocation exists for " + tuple);
        }
        Allocation a = new Allocation(tuple, user, relay, expiresAt, new TokenBucket(bandwidthBytesPerSecond, nowNanos), channelMax);
        byTuple.put(tuple, a);
        perUser.merge(user, 1, Integer::sum);
        return a;
    }

    public void refresh(Allocation a, long expiresAt) {
        a.expiresAt(expiresAt);
    }

    /** Ends an allocation: closes its relay, returns its port, drops it from the quotas. Idempotent. */
    public void remove(Allocation a) {
        if (byTuple.remove(a.tuple(), a)) {
            perUser.computeIfPresent(a.user(), (u, n) -> n <= 1 ? null : n - 1);
            try {
                a.relay().close();
            } finally {
                ports.release(a.relay().port());
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

    public int size() {
        return byTuple.size();
    }

    public int userCount(String user) {
        return perUser.getOrDefault(user, 0);
    }

    public int usersWithAllocations() {
        return perUser.size();
    }

    public Collection<Allocation> all() {
        return List.copyOf(byTuple.values());
    }
}

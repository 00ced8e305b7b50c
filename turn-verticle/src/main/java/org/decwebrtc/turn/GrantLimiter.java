package org.decwebrtc.turn;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How often one requester may be answered, and how many distinct requesters hold credentials at once. Each
 * requester (a gossip name, bound by gossip to its signing key) has a token bucket: {@code burst} requests at
 * once, then one per {@code refillMillis}, enough to renew credentials a few times per lifetime. Requesters
 * granted within the last credential lifetime are holders; a new one beyond {@code maxHolders} is refused until
 * older grants run out. Refused requesters hold nothing, so a flood of names cannot lock out the served ones.
 * Used from one event loop.
 */
final class GrantLimiter {
    private static final int MAX_TRACKED = 100_000;

    private static final class Bucket {
        double tokens;
        long updatedMillis;
    }

    private final int burst;
    private final long refillMillis;
    private final long lifetimeMillis;
    private final int maxHolders;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, Long> holders = new HashMap<>();
    private long lastCleanup;

    GrantLimiter(int burst, long refillMillis, long lifetimeMillis, int maxHolders) {
        this.burst = burst;
        this.refillMillis = Math.max(1, refillMillis);
        this.lifetimeMillis = lifetimeMillis;
        this.maxHolders = maxHolders;
    }

    /** Takes a token for {@code requester}; false when it is over its rate (or too many names are tracked). */
    boolean admit(String requester, long now) {
        Bucket b = buckets.get(requester);
        if (b == null) {
            if (buckets.size() >= MAX_TRACKED) {
                cleanup(now);
                if (buckets.size() >= MAX_TRACKED) {
                    return false;
                }
            }
            b = new Bucket();
            b.tokens = burst;
            b.updatedMillis = now;
            buckets.put(requester, b);
        } else {
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedMillis) / (double) refillMillis);
            b.updatedMillis = now;
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** Whether {@code requester} may hold credentials: it already does, or there is room for one more. */
    boolean mayHold(String requester, long now) {
        if (holders.containsKey(requester)) {
            return true;
        }
        if (holders.size() >= maxHolders) {
            holders.values().removeIf(at -> now - at >= lifetimeMillis);
        }
        return holders.size() < maxHolders;
    }

    void granted(String requester, long now) {
        holders.put(requester, now);
    }

    /** Forgets buckets that are full again: they are indistinguishable from new ones. */
    private void cleanup(long now) {
        if (now - lastCleanup < 1000) {
            return;
        }
        lastCleanup = now;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            if (b.tokens + (now - b.updatedMillis) / (double) refillMillis >= burst) {
                it.remove();
            }
        }
        holders.values().removeIf(at -> now - at >= lifetimeMillis);
    }

    int holders() {
        return holders.size();
    }
}

package org.decwebrtc.stun.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Caps the error responses a UDP source prefix can draw without credentials. Such a reply (a 401 with REALM and
 * NONCE is ~100 bytes for a 20-byte request) goes to whatever source address the datagram claims, so without a
 * cap the server amplifies a spoofed flood towards a victim. A token bucket per /24 or /64: {@code burst} replies
 * at once, then {@code perSecond}. Legitimate clients draw one or two such replies per allocation and retransmit
 * if one is dropped. The table is bounded: when it is full, prefixes it has not seen get no error replies at all
 * until the next clean-up, since a table that large only fills under attack.
 */
public final class ErrorReplyLimiter {
    private static final int MAX_PREFIXES = 65_536;

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    private final double burst;
    private final double perSecond;
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();
    private long lastCleanupNanos;

    /** {@code perSecond <= 0} turns the limit off. */
    public ErrorReplyLimiter(int burst, int perSecond) {
        this.burst = Math.max(1, burst);
        this.perSecond = perSecond;
    }

    public static ErrorReplyLimiter unlimited() {
        return new ErrorReplyLimiter(1, 0);
    }

    /** Whether an unauthenticated error reply to {@code source} may be sent now; takes a token if so. */
    public synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
        if (perSecond <= 0) {
            return true;
        }
        if (buckets.size() >= MAX_PREFIXES) {
            cleanup(nowNanos);
        }
        InetAddress prefix = SourcePrefix.of(source);
        Bucket b = buckets.get(prefix);
        if (b == null) {
            if (buckets.size() >= MAX_PREFIXES) {
                return false;
            }
            b = new Bucket();
            b.tokens = burst;
            b.updatedNanos = nowNanos;
            buckets.put(prefix, b);
        } else {
            double elapsed = (nowNanos - b.updatedNanos) / 1e9;
            b.tokens = Math.min(burst, b.tokens + elapsed * perSecond);
            b.updatedNanos = nowNanos;
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** Forgets prefixes whose bucket has refilled: they are indistinguishable from new ones. */
    private void cleanup(long nowNanos) {
        if (nowNanos - lastCleanupNanos < 1_000_000_000L) {
            return;
        }
        lastCleanupNanos = nowNanos;
        double refill = burst / perSecond;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            if ((nowNanos - b.updatedNanos) / 1e9 >= refill) {
                it.remove();
            }
        }
    }

    synchronized int prefixes() {
        return buckets.size();
    }
}

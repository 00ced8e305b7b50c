package org.decwebrtc.gossip;

/** A rate limit: {@code burst} at once, then {@code perSecond}. Not thread-safe. */
final class TokenBucket {
    private final double burst;
    private final double perMilli;
    private double tokens;
    private long lastMillis;

    TokenBucket(double burst, double perSecond, long nowMillis) {
        this.burst = burst;
        this.perMilli = perSecond / 1000.0;
        this.tokens = burst;
        this.lastMillis = nowMillis;
    }

    boolean take(long nowMillis) {
        tokens = Math.min(burst, tokens + Math.max(0, nowMillis - lastMillis) * perMilli);
        lastMillis = nowMillis;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

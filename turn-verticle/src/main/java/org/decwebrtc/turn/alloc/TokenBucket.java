package org.decwebrtc.turn.alloc;

/**
 * Per-allocation bandwidth cap: bytes/s with one second of burst, so a video call's key frames pass while a
 * client trying to use the relay as a flood amplifier is held to the rate. Non-positive rate means no cap.
 * Both directions of an allocation draw on it, from the client's event loop and the relay's, which may differ:
 * a capped bucket takes a lock (uncontended but for the moments both directions relay at once).
 */
public final class TokenBucket {
    private final long ratePerSecond;
    private double tokens;
    private long lastNanos;

    public TokenBucket(long bytesPerSecond, long nowNanos) {
        this.ratePerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.lastNanos = nowNanos;
    }

    public boolean tryConsume(int bytes, long nowNanos) {
        if (ratePerSecond <= 0) {
            return true;
        }
        synchronized (this) {
            return take(bytes, nowNanos);
        }
    }

    private boolean take(int bytes, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(ratePerSecond, tokens + elapsed * (ratePerSecond / 1e9));
            lastNanos = nowNanos;
        }
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }
}

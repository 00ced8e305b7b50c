package org.decwebrtc.gossip;

/**
 * A direct gossip contact that proved it receives at {@code address} and holds the key of {@code name}.
 * {@code expectedToken} is our cookie it must echo in keepalives; {@code token} is its cookie we echo.
 * Mutable liveness; owned by the gossip verticle's event loop.
 */
final class Neighbour {
    final String address;
    final String name;
    final byte[] publicKey;
    final byte[] expectedToken;
    final byte[] token;
    final TokenBucket newOrigins;
    final TokenBucket answers;
    final TokenBucket grafts;
    long lastHeardMillis;
    /**
     * Off the flood's tree: new records are announced to it, not pushed whole (it pruned the link, or we did when
     * everything it pushed had already come through others). A Graft, or a new record it brings, puts it back.
     */
    boolean lazy;
    /** 0 while alive; else when it fell silent. A silent neighbour that speaks again with its token is back. */
    long silentSinceMillis;

    Neighbour(String address, String name, byte[] publicKey, byte[] expectedToken, byte[] token, GossipLimits limits,
              long nowMillis) {
        this.address = address;
        this.name = name;
        this.publicKey = publicKey;
        this.expectedToken = expectedToken;
        this.token = token;
        this.newOrigins = new TokenBucket(limits.newOriginsBurst(), limits.newOriginsPerSecond(), nowMillis);
        this.answers = new TokenBucket(10, 5, nowMillis);
        // A new neighbour asks for every record we hold (Grafts of 64 origins) right after our greeting.
        this.grafts = new TokenBucket(Math.max(20, limits.maxOrigins() / 64 + 1), 10, nowMillis);
        this.lastHeardMillis = nowMillis;
    }

    /** Longest recent gap between two keepalives, decaying by 1 % per keepalive (a half-life of ~70 keepalives). */
    private double worstGapMillis;

    /**
     * A gap between two packets of this neighbour. A neighbour taken for dead that speaks again was only slow
     * (a loaded machine): its silence counts as a gap, so it is not taken for dead again as quickly, and a flapping
     * neighbour does not make its two ends re-sign and flood their records at every flap.
     */
    void gap(long millis) {
        worstGapMillis = Math.max(millis, worstGapMillis * 0.99);
    }

    /**
     * Silence that makes this neighbour dead: {@code base}, or on a machine so loaded that keepalives come late
     * twice the longest recent gap, at most 5 s. A false death costs a reroute; a late one only the time.
     */
    long deadAfter(long base) {
        return Math.max(base, Math.min(MAX_DEAD_AFTER_MILLIS, (long) (2 * worstGapMillis)));
    }

    static final long MAX_DEAD_AFTER_MILLIS = 5000;

    boolean alive() {
        return silentSinceMillis == 0;
    }
}

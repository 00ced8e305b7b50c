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
    long lastHeardMillis;
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
        this.lastHeardMillis = nowMillis;
    }

    boolean alive() {
        return silentSinceMillis == 0;
    }
}

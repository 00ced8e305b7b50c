package org.decwebrtc.gossip;

/**
 * Every bound of one gossip node, so that no table grows with what a hostile node sends. The defaults suit a
 * network of a few thousand nodes; tests and benches pass their own.
 *
 * @param maxNeighbours         validated neighbours held at once
 * @param maxNeighboursPerPrefix neighbours from one /24 (IPv4) or /48 (IPv6), so one host cannot take every slot
 * @param maxOrigins            link records held (reachable or not)
 * @param maxNamesPerKey        pinned names one public key may hold
 * @param maxPins               name-to-key pins kept
 * @param pinDays               days a pin outlives the last time its node was seen
 * @param newOriginsBurst       origins a neighbour may introduce at once
 * @param newOriginsPerSecond   origins a neighbour may introduce per second after the burst
 * @param keepaliveMillis       keepalive period to each neighbour
 * @param deadAfterMillis       a neighbour silent this long is taken out of our record and our routes
 * @param receiptMillis         wait for a delivery receipt per attempt, before a retry over another path
 * @param maxFutureMillis       a record or message stamped further than this in the future is refused
 * @param replayWindowMillis    a message stamped further than this in the past is refused as a possible replay
 */
public record GossipLimits(int maxNeighbours, int maxNeighboursPerPrefix, int maxOrigins, int maxNamesPerKey,
                           int maxPins, int pinDays, int newOriginsBurst, double newOriginsPerSecond,
                           long keepaliveMillis, long deadAfterMillis, long receiptMillis, long maxFutureMillis,
                           long replayWindowMillis) {

    public static GossipLimits defaults() {
        return new GossipLimits(32, 8, 5000, 2, 10_000, 30, 2500, 50, 250, 1200, 400, 10 * 60_000L, 120_000L);
    }

    public GossipLimits withNeighbours(int total, int perPrefix) {
        return new GossipLimits(total, perPrefix, maxOrigins, maxNamesPerKey, maxPins, pinDays, newOriginsBurst,
                newOriginsPerSecond, keepaliveMillis, deadAfterMillis, receiptMillis, maxFutureMillis, replayWindowMillis);
    }

    public GossipLimits withKeepalive(long periodMillis, long deadAfter) {
        return new GossipLimits(maxNeighbours, maxNeighboursPerPrefix, maxOrigins, maxNamesPerKey, maxPins, pinDays,
                newOriginsBurst, newOriginsPerSecond, periodMillis, deadAfter, receiptMillis, maxFutureMillis,
                replayWindowMillis);
    }

    public GossipLimits withReceiptMillis(long millis) {
        return new GossipLimits(maxNeighbours, maxNeighboursPerPrefix, maxOrigins, maxNamesPerKey, maxPins, pinDays,
                newOriginsBurst, newOriginsPerSecond, keepaliveMillis, deadAfterMillis, millis, maxFutureMillis,
                replayWindowMillis);
    }

    public GossipLimits withOrigins(int origins, int burst, double perSecond) {
        return new GossipLimits(maxNeighbours, maxNeighboursPerPrefix, origins, maxNamesPerKey, maxPins, pinDays, burst,
                perSecond, keepaliveMillis, deadAfterMillis, receiptMillis, maxFutureMillis, replayWindowMillis);
    }
}

package org.decwebrtc.stun.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;

/**
 * Counters of one STUN server, registered in Micrometer under {@code stun.*} with a {@code server} tag, and
 * summarized as JSON for the node's stats address. Every dropped packet lands in exactly one drop counter.
 */
public final class StunMetrics {
    final Counter udpPackets;
    final Counter tcpFrames;
    final Counter requests;
    final Counter indications;
    final Counter channelData;
    final Counter responses;
    final Counter errorResponses;
    final Counter droppedMalformed;
    final Counter droppedNonStun;
    final Counter droppedFingerprint;
    final Counter droppedUnhandled;
    final Counter tcpConnections;
    final Counter tcpGarbage;
    final Counter tcpStalled;
    final Counter tcpRefused;
    final Counter tcpRefusedPerAddress;
    final Counter tcpIdle;
    final Counter errorRepliesSuppressed;
    final Counter sendFailures;

    public StunMetrics(MeterRegistry registry, String server) {
        Tags tags = Tags.of("server", server);
        udpPackets = registry.counter("stun.received", tags.and("transport", "udp"));
        tcpFrames = registry.counter("stun.received", tags.and("transport", "tcp"));
        requests = registry.counter("stun.requests", tags);
        indications = registry.counter("stun.indications", tags);
        channelData = registry.counter("stun.channeldata", tags);
        responses = registry.counter("stun.responses", tags.and("class", "success"));
        errorResponses = registry.counter("stun.responses", tags.and("class", "error"));
        droppedMalformed = registry.counter("stun.dropped", tags.and("reason", "malformed"));
        droppedNonStun = registry.counter("stun.dropped", tags.and("reason", "not-stun"));
        droppedFingerprint = registry.counter("stun.dropped", tags.and("reason", "bad-fingerprint"));
        droppedUnhandled = registry.counter("stun.dropped", tags.and("reason", "unhandled"));
        tcpConnections = registry.counter("stun.tcp.connections", tags);
        tcpGarbage = registry.counter("stun.tcp.closed", tags.and("reason", "garbage"));
        tcpStalled = registry.counter("stun.tcp.closed", tags.and("reason", "stalled"));
        tcpRefused = registry.counter("stun.tcp.closed", tags.and("reason", "too-many"));
        tcpRefusedPerAddress = registry.counter("stun.tcp.closed", tags.and("reason", "too-many-from-address"));
        tcpIdle = registry.counter("stun.tcp.closed", tags.and("reason", "idle-before-use"));
        errorRepliesSuppressed = registry.counter("stun.error.replies.suppressed", tags);
        sendFailures = registry.counter("stun.send.failures", tags);
    }

    void countSent(StunMessage message) {
        countSent(message.messageClass());
    }

    /** Counts an encoded message by the class in its first two bytes. */
    void countSent(byte[] encoded) {
        countSent(MessageType.messageClass(((encoded[0] & 0xFF) << 8) | (encoded[1] & 0xFF)));
    }

    private void countSent(int messageClass) {
        if (messageClass == MessageType.SUCCESS) {
            responses.increment();
        } else if (messageClass == MessageType.ERROR) {
            errorResponses.increment();
        }
    }

    public long dropped() {
        return (long) (droppedMalformed.count() + droppedNonStun.count() + droppedFingerprint.count()
                + droppedUnhandled.count());
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("udpPackets", (long) udpPackets.count())
                .put("tcpFrames", (long) tcpFrames.count())
                .put("requests", (long) requests.count())
                .put("indications", (long) indications.count())
                .put("channelData", (long) channelData.count())
                .put("successResponses", (long) responses.count())
                .put("errorResponses", (long) errorResponses.count())
                .put("droppedMalformed", (long) droppedMalformed.count())
                .put("droppedNotStun", (long) droppedNonStun.count())
                .put("droppedBadFingerprint", (long) droppedFingerprint.count())
                .put("droppedUnhandled", (long) droppedUnhandled.count())
                .put("tcpConnections", (long) tcpConnections.count())
                .put("tcpClosedGarbage", (long) tcpGarbage.count())
                .put("tcpClosedStalled", (long) tcpStalled.count())
                .put("tcpRefused", (long) tcpRefused.count())
                .put("tcpRefusedPerAddress", (long) tcpRefusedPerAddress.count())
                .put("tcpClosedIdle", (long) tcpIdle.count())
                .put("errorRepliesSuppressed", (long) errorRepliesSuppressed.count())
                .put("sendFailures", (long) sendFailures.count());
    }
}

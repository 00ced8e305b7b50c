package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/**
 * A call-signaling message between two users. {@code peer} is the destination when sending and the origin when
 * received; {@code signal} is opaque to gossip (see {@link SignalTypes}).
 */
public record SignalEnvelope(String peer, JsonObject signal) {
    public JsonObject toSendJson() {
        return new JsonObject().put("to", peer).put("signal", signal);
    }

    public JsonObject toReceivedJson() {
        return new JsonObject().put("from", peer).put("signal", signal);
    }

    public static SignalEnvelope fromSendJson(JsonObject json) {
        return new SignalEnvelope(json.getString("to"), json.getJsonObject("signal"));
    }

    public static SignalEnvelope fromReceivedJson(JsonObject json) {
        return new SignalEnvelope(json.getString("from"), json.getJsonObject("signal"));
    }
}

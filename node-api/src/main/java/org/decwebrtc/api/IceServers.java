package org.decwebrtc.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code iceServers} a browser passes to {@code RTCPeerConnection}: a JSON array of
 * {@code {urls, username?, credential?}} exactly as WebRTC expects, so the gateway can forward it untouched.
 */
public record IceServers(JsonArray servers) {
    public JsonObject toJson() {
        return new JsonObject().put("iceServers", servers);
    }

    public static IceServers fromJson(JsonObject json) {
        return new IceServers(json.getJsonArray("iceServers", new JsonArray()));
    }
}

package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/** What a node offers browsers, advertised in its route rumors: STUN and TURN endpoints as {@code host:port}. */
public record ServiceAdvert(String stun, String turn) {
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        if (stun != null) {
            json.put("stun", stun);
        }
        if (turn != null) {
            json.put("turn", turn);
        }
        return json;
    }

    public static ServiceAdvert fromJson(JsonObject json) {
        return new ServiceAdvert(json.getString("stun"), json.getString("turn"));
    }
}

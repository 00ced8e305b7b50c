package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/** A remote user known through gossip: how to reach it and what it offers. */
public record UserEntry(String name, String nextHop, int hops, String stun, String turn) {
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("name", name).put("nextHop", nextHop).put("hops", hops);
        if (stun != null) {
            json.put("stun", stun);
        }
        if (turn != null) {
            json.put("turn", turn);
        }
        return json;
    }

    public static UserEntry fromJson(JsonObject json) {
        return new UserEntry(json.getString("name"), json.getString("nextHop"), json.getInteger("hops", 0),
                json.getString("stun"), json.getString("turn"));
    }
}

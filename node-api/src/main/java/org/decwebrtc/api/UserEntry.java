package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/**
 * A remote user known through gossip: how to reach it, what it offers, and the {@link KeyFingerprint} of the key
 * its rumors are signed with (null when unknown).
 */
public record UserEntry(String name, String nextHop, int hops, String stun, String turn, String fingerprint) {
    public UserEntry(String name, String nextHop, int hops, String stun, String turn) {
        this(name, nextHop, hops, stun, turn, null);
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("name", name).put("nextHop", nextHop).put("hops", hops);
        if (fingerprint != null) {
            json.put("fingerprint", fingerprint);
        }
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
                json.getString("stun"), json.getString("turn"),
                json.getValue("fingerprint") instanceof String f ? f : null);
    }
}

package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/** A signal that could not reach {@code to}: no route, or the hop limit ran out on the way. */
public record Undeliverable(String to, String reason, JsonObject signal) {
    public JsonObject toJson() {
        return new JsonObject().put("to", to).put("reason", reason).put("signal", signal);
    }

    public static Undeliverable fromJson(JsonObject json) {
        return new Undeliverable(json.getString("to"), json.getString("reason"), json.getJsonObject("signal"));
    }
}

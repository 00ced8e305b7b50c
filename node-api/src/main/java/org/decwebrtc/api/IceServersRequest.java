package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/**
 * The body of an {@link Addresses#iceServers} request: the user the STUN/TURN entries are for (TURN credentials
 * carry the name). The reply is {@link IceServers}.
 */
public record IceServersRequest(String user) {
    public JsonObject toJson() {
        return new JsonObject().put("user", user);
    }

    /** A user of any other JSON type, or a missing body, reads as null. */
    public static IceServersRequest fromJson(JsonObject json) {
        return new IceServersRequest(json != null && json.getValue("user") instanceof String u ? u : null);
    }
}

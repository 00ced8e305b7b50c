package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/**
 * The body of an {@link Addresses#peersAdd} request, {@code {peer:"ip:port"}}: a gossip neighbour to add. The
 * reply carries the address as gossip normalised it ({@link #toReplyJson}).
 */
public record PeerAddRequest(String peer) {
    public JsonObject toJson() {
        return new JsonObject().put("peer", peer);
    }

    /** {@code {ok:true, peer}}. */
    public JsonObject toReplyJson() {
        return toJson().put("ok", true);
    }

    /** A peer of any other JSON type, or a missing body, reads as null. */
    public static PeerAddRequest fromJson(JsonObject json) {
        return new PeerAddRequest(json != null && json.getValue("peer") instanceof String p ? p : null);
    }
}

package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;

/**
 * A node claimed a pinned name with another key than the one pinned for it, and was refused. Fingerprints are the
 * hex SHA-256 of the Ed25519 public keys; {@code seen} is when the claim was last seen (ms since the epoch).
 */
public record KeyWarning(String name, String oldFingerprint, String newFingerprint, long seen) {
    public JsonObject toJson() {
        return new JsonObject().put("name", name).put("oldFingerprint", oldFingerprint)
                .put("newFingerprint", newFingerprint).put("seen", seen);
    }

    public static KeyWarning fromJson(JsonObject json) {
        return new KeyWarning(json.getString("name"), json.getString("oldFingerprint"),
                json.getString("newFingerprint"), json.getLong("seen", 0L));
    }
}

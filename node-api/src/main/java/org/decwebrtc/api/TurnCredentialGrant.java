package org.decwebrtc.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A relay's answer to a {@value SignalTypes#TURN_CREDENTIAL_REQUEST} signal, sent back over gossip as a
 * {@value SignalTypes#TURN_CREDENTIAL_GRANT} signal: either TURN {@code iceServers} entries (each with
 * {@code urls}, {@code username}, {@code credential}) valid until {@code expiresAt} (unix seconds), or a refusal
 * with the reason. The request itself carries nothing but its type; the asker is the gossip origin.
 */
public record TurnCredentialGrant(JsonArray iceServers, long expiresAt, String refused) {
    public TurnCredentialGrant {
        iceServers = iceServers == null ? new JsonArray() : iceServers;
    }

    public static TurnCredentialGrant granted(JsonArray iceServers, long expiresAt) {
        return new TurnCredentialGrant(iceServers, expiresAt, null);
    }

    public static TurnCredentialGrant refusal(String reason) {
        return new TurnCredentialGrant(new JsonArray(), 0, reason);
    }

    /** The request signal a gateway sends to a relay. */
    public static JsonObject requestSignal() {
        return new JsonObject().put("type", SignalTypes.TURN_CREDENTIAL_REQUEST);
    }

    public boolean isRefusal() {
        return refused != null;
    }

    /** {@code {type, iceServers, expiresAt}} or {@code {type, refused}}. */
    public JsonObject toSignal() {
        JsonObject signal = new JsonObject().put("type", SignalTypes.TURN_CREDENTIAL_GRANT);
        return isRefusal() ? signal.put("refused", refused)
                : signal.put("iceServers", iceServers.copy()).put("expiresAt", expiresAt);
    }

    /**
     * Reads a grant signal from another node. Entries that a browser could not use (no {@code urls} or no
     * {@code username}) are dropped here, so a relay cannot hand the page garbage; a field of the wrong JSON type
     * counts as absent.
     */
    public static TurnCredentialGrant fromSignal(JsonObject signal) {
        if (signal.getValue("refused") instanceof String reason) {
            return refusal(reason);
        }
        JsonArray usable = new JsonArray();
        if (signal.getValue("iceServers") instanceof JsonArray servers) {
            for (Object entry : servers) {
                if (entry instanceof JsonObject server && server.getValue("urls") != null
                        && server.getValue("username") instanceof String) {
                    usable.add(server);
                }
            }
        }
        long expiresAt = signal.getValue("expiresAt") instanceof Number n ? n.longValue() : 0;
        return granted(usable, expiresAt);
    }
}

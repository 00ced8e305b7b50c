package org.decwebrtc.gateway.ice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.HostPort;

/**
 * What a relay's TURN grant may put in this user's {@code iceServers}: only {@code turn:}/{@code turns:} URLs at the
 * host:port the relay advertises in its own signed gossip rumor, with string credentials. A node that grants
 * {@code foo:bar}, a STUN server, or someone else's address (to see every caller's address) gets nothing in.
 */
public final class GrantCheck {
    /** A grant names one relay; its own answer has two entries at most (TURN over UDP and over TCP). */
    static final int MAX_ENTRIES = 2;
    static final int MAX_CREDENTIAL_CHARS = 512;

    private GrantCheck() {
    }

    /** @param granted the grant's {@code iceServers} value, of any JSON type; @param advert null when unknown */
    public static JsonArray servers(Object granted, HostPort advert) {
        JsonArray kept = new JsonArray();
        if (!(granted instanceof JsonArray entries) || advert == null) {
            return kept;
        }
        for (Object entry : entries) {
            if (kept.size() == MAX_ENTRIES) {
                break;
            }
            if (!(entry instanceof JsonObject server)
                    || !(server.getValue("username") instanceof String username)
                    || !(server.getValue("credential") instanceof String credential)
                    || username.isEmpty() || username.length() > MAX_CREDENTIAL_CHARS
                    || credential.isEmpty() || credential.length() > MAX_CREDENTIAL_CHARS) {
                continue;
            }
            JsonArray urls = new JsonArray();
            Object value = server.getValue("urls");
            JsonArray candidates = value instanceof JsonArray array ? array : new JsonArray().add(value);
            for (Object url : candidates) {
                if (url instanceof String text && IceUrl.parse(text).filter(u -> u.isTurn() && u.at(advert)).isPresent()) {
                    urls.add(text);
                }
            }
            if (!urls.isEmpty()) {
                kept.add(new JsonObject().put("urls", urls).put("username", username).put("credential", credential));
            }
        }
        return kept;
    }
}

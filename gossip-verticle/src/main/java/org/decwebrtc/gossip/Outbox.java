package org.decwebrtc.gossip;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last signals this node sent, by message id, so that a bounce (which carries only the id: relays can't read
 * the encrypted payload) can give the sender back what was not delivered.
 */
final class Outbox {
    private final int capacity;
    private final Map<Long, JsonObject> sent;

    Outbox(int capacity) {
        this.capacity = capacity;
        this.sent = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, JsonObject> eldest) {
                return size() > Outbox.this.capacity;
            }
        };
    }

    void put(long id, JsonObject signal) {
        sent.put(id, signal);
    }

    /** The signal sent with {@code id}, or an empty object once it has left the window. */
    JsonObject get(long id) {
        JsonObject signal = sent.get(id);
        return signal == null ? new JsonObject() : signal.copy();
    }
}

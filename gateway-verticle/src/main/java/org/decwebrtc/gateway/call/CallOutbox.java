package org.decwebrtc.gateway.call;

import io.vertx.core.json.JsonObject;

/** What the call machine can do to the world; the gateway implements it over the event bus and the WebSocket. */
public interface CallOutbox {
    /** Sends a call signal to a remote user through gossip. Failures come back via {@link CallMachine#onSendFailed}. */
    void signal(String to, JsonObject signal);

    /** Sends a message to the open tab, if any. */
    void tab(JsonObject message);

    /** Runs {@code action} after {@code millis} (used for the ring timeout). */
    void after(long millis, Runnable action);
}

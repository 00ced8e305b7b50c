package org.decwebrtc.gateway.session;

import io.vertx.core.json.JsonObject;

/** What the gateway does with the one open tab. */
public interface TabListener {
    void opened();

    /** A well-formed message ({@code type} is a string). Returns an error text for the tab, or null. */
    String message(JsonObject message);

    void closed();
}

package org.decwebrtc.deploy.management;

import io.vertx.core.json.JsonObject;

/**
 * Where a node's operator endpoints listen: {@code metricsBind:metricsPort} ({@code 127.0.0.1:9100} unless set;
 * port 0 turns the listener off). 9100 is clear of the GUI (8443), gossip (5000s) and STUN/TURN (3478/5349).
 */
public record ManagementSettings(String name, String bind, int port) {
    public static final int DEFAULT_PORT = 9100;
    public static final String DEFAULT_BIND = "127.0.0.1";

    public ManagementSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("-metricsPort must be a port 0-65535 (0 = off), got " + port);
        }
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("-metricsBind must be an address");
        }
    }

    public boolean enabled() {
        return port > 0;
    }

    public JsonObject toJson() {
        return new JsonObject().put("name", name).put("metricsBind", bind).put("metricsPort", port);
    }

    public static ManagementSettings fromJson(JsonObject json) {
        return new ManagementSettings(json.getString("name", "node"), json.getString("metricsBind", DEFAULT_BIND),
                json.getInteger("metricsPort", DEFAULT_PORT));
    }
}

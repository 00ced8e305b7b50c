package org.decwebrtc.deploy;

import io.vertx.core.json.JsonObject;

/**
 * TURN over TLS: the port ({@code 0} = off), whether the operator chose it (a chosen port must be free; the
 * default gives way to a free one when another node on the machine holds it), and optional PEM certificate and
 * key files (without them the node makes a self-signed certificate, which browsers do not accept for
 * {@code turns:} — TURN over TCP still works for them).
 */
public record TurnsSettings(int port, boolean explicit, String cert, String key) {
    public static final int DEFAULT_PORT = 5349;
    public static final TurnsSettings DEFAULT = new TurnsSettings(DEFAULT_PORT, false, null, null);

    public TurnsSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("-turnsPort must be a port 0-65535 (0 = off), got " + port);
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("-turnsCert and -turnsKey go together (PEM certificate chain and its key)");
        }
    }

    /** Adds this to the node config's {@code turn} object (the keys the TURN verticle reads). */
    void into(JsonObject turn) {
        turn.put("tlsPort", port).put("tlsPortExplicit", explicit);
        if (cert != null) {
            turn.put("tlsCert", cert).put("tlsKey", key);
        }
    }
}

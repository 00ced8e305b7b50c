package org.decwebrtc.api.config;

/**
 * TURN over TLS ({@code turns:}).
 *
 * @param port         0 = off
 * @param portExplicit an operator-chosen port must be free; the default gives way to a free one when another node
 *                     on the machine holds it
 * @param cert         PEM certificate chain (e.g. from an ACME client: browsers only accept {@code turns:} with a
 *                     certificate they trust); with {@code key}, or neither for a self-signed certificate made once
 *                     per node and kept in its data directory
 */
public record TurnTlsConfig(int port, boolean portExplicit, String cert, String key) {
    public static final TurnTlsConfig DEFAULTS = new TurnTlsConfig(5349, false, null, null);

    public TurnTlsConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("-turnsPort must be a port 0-65535 (0 = off), got " + port);
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("-turnsCert and -turnsKey go together (PEM certificate chain and its key)");
        }
    }
}

package org.decwebrtc.api.config;

/** The HTTPS calling UI; off on a relay node ({@code -disableGui}). */
public record GatewayConfig(boolean enabled, int port, String bind) {
    public static final GatewayConfig DEFAULTS = new GatewayConfig(true, 8080, "127.0.0.1");

    public GatewayConfig {
        Check.port("-guiPort", port);
        bind = Check.text("-guiBind", bind);
    }

    public GatewayConfig withEnabled(boolean e) {
        return new GatewayConfig(e, port, bind);
    }

    public GatewayConfig withPort(int p) {
        return new GatewayConfig(enabled, p, bind);
    }
}

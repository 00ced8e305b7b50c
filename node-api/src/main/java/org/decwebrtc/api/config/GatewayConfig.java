package org.decwebrtc.api.config;

import java.util.List;

/**
 * The HTTPS calling UI; off on a relay node ({@code -disableGui}).
 *
 * @param hosts names users reach the GUI by besides localhost, 127.0.0.1, [::1] and {@code bind}
 *              ({@code -guiHosts}); any other {@code Host} header is refused (DNS rebinding)
 */
public record GatewayConfig(boolean enabled, int port, String bind, List<String> hosts) {
    public static final GatewayConfig DEFAULTS = new GatewayConfig(true, 8080, "127.0.0.1", List.of());

    public GatewayConfig {
        Check.port("-guiPort", port);
        bind = Check.text("-guiBind", bind);
        hosts = hosts == null ? List.of() : hosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
        for (String host : hosts) {
            if (!host.matches("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]+]")) {
                throw new IllegalArgumentException("-guiHosts: '" + host + "' is not a host name or address");
            }
        }
    }

    public GatewayConfig(boolean enabled, int port, String bind) {
        this(enabled, port, bind, List.of());
    }

    public GatewayConfig withEnabled(boolean e) {
        return new GatewayConfig(e, port, bind, hosts);
    }

    public GatewayConfig withPort(int p) {
        return new GatewayConfig(enabled, p, bind, hosts);
    }
}

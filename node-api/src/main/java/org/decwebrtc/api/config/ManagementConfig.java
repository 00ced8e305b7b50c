package org.decwebrtc.api.config;

/**
 * The operator's side of a node: {@code /metrics} (Prometheus) and {@code /health} on {@code bind:port}, which
 * exists with {@code -disableGui} too (port 0 turns it off), and the log format.
 *
 * @param logFormat {@code text}, or {@code json} for one JSON object per line
 */
public record ManagementConfig(int port, String bind, String logFormat) {
    /** 9100 is clear of the GUI, gossip (5000s) and STUN/TURN (3478/5349). */
    public static final ManagementConfig DEFAULTS = new ManagementConfig(9100, "127.0.0.1", "text");

    public ManagementConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("-metricsPort must be a port 0-65535 (0 = off), got " + port);
        }
        bind = Check.text("-metricsBind", bind);
        if (!"text".equals(logFormat) && !"json".equals(logFormat)) {
            throw new IllegalArgumentException("-logFormat must be text or json, got '" + logFormat + "'");
        }
    }

    public boolean enabled() {
        return port > 0;
    }
}

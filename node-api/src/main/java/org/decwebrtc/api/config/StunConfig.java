package org.decwebrtc.api.config;

/**
 * The STUN server (and, with TURN on, the TURN server: they share this port, UDP and TCP).
 *
 * @param udpSockets UDP sockets on the port, spread over event loops with SO_REUSEPORT; 0 = one per core
 */
public record StunConfig(int port, int udpSockets) {
    public static final StunConfig DEFAULTS = new StunConfig(3478, 0);

    public StunConfig {
        Check.port("-stunPort", port);
        if (udpSockets < 0) {
            throw new IllegalArgumentException("stun.udpSockets must be >= 0 (0 = one per core), got " + udpSockets);
        }
    }

    public StunConfig withPort(int p) {
        return new StunConfig(p, udpSockets);
    }

    /** How many UDP sockets to open: {@link #udpSockets()}, or one per core. */
    public int udpSocketCount() {
        return udpSockets > 0 ? udpSockets : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}

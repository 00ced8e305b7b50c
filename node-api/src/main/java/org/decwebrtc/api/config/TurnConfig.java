package org.decwebrtc.api.config;

import java.util.List;

/**
 * The TURN relay: who may use it and how much. Lifetimes are in seconds.
 *
 * @param secret                  REST secret for ephemeral credentials; {@code null}: generated once and kept in
 *                                the data directory
 * @param users                   static {@code user:pass} credentials
 * @param allowPeers              CIDRs a client may relay to even though {@link #refuse()} refuses their category
 * @param serveUsers              users of the network this relay hands credentials to (list form of {@code serve})
 * @param serve                   who this relay serves: all, known (own user and the remote users of its own
 *                                calls), none, or a comma list; {@code null}: all without a GUI, known with one
 * @param maxAllocationsPerAddress allocations one client IP may hold, whatever the users
 * @param bandwidthBytesPerSecond cap per allocation, 0 = none
 * @param maxPermissions          permissions one allocation may hold
 * @param maxPeersPerRequest      peer addresses in one CreatePermission
 * @param relayIp                 address of the relay sockets; {@code null}: the advertised address of the bind
 * @param tls                     TURN over TLS
 */
public record TurnConfig(boolean enabled, String realm, String secret, List<String> users, PortRange relayPorts,
                         String relayIp, List<String> allowPeers, List<String> serveUsers, int credentialLifetime,
                         long bandwidthBytesPerSecond, int maxAllocationsPerUser, int maxAllocations,
                         ChannelNumbers channelNumbers, int defaultLifetime, int maxLifetime, int nonceLifetime,
                         int maxPermissions, int maxPeersPerRequest, PeerRefusals refuse, TurnTlsConfig tls,
                         String serve, int maxAllocationsPerAddress) {
    public static final TurnConfig DEFAULTS = new TurnConfig(true, "decwebrtc", null, List.of(),
            new PortRange(49152, 65535), null, List.of(), List.of(), 3600, 2_500_000L, 20, 5000,
            ChannelNumbers.LEGACY, 600, 3600, 600, 1000, 500, PeerRefusals.DEFAULTS,
            TurnTlsConfig.DEFAULTS, null, 100);

    public TurnConfig {
        realm = Check.text("-turnRealm", realm);
        if (secret != null && secret.isBlank()) {
            throw new IllegalArgumentException("-turnSecret must not be empty");
        }
        users = Check.list(users);
        for (String u : users) {
            if (u == null || u.indexOf(':') <= 0) {
                throw new IllegalArgumentException("-turnUser expects user:pass, got '" + u + "'");
            }
        }
        if (relayPorts == null) {
            throw new IllegalArgumentException("-relayPorts must be given as a-b");
        }
        allowPeers = Check.list(allowPeers).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        serveUsers = Check.list(serveUsers).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        Check.range("-turnCredentialLifetime", credentialLifetime, 1, 86400, " seconds");
        if (bandwidthBytesPerSecond < 0) {
            throw new IllegalArgumentException("-turnBandwidth must be >= 0 bytes/s (0 = no cap), got " + bandwidthBytesPerSecond);
        }
        Check.positive("-turnQuotaPerUser", maxAllocationsPerUser);
        Check.positive("-turnQuotaTotal", maxAllocations);
        if (channelNumbers == null) {
            throw new IllegalArgumentException("-turnChannelNumbers must be strict or legacy");
        }
        Check.positive("turn.defaultLifetime", defaultLifetime);
        Check.positive("turn.maxLifetime", maxLifetime);
        Check.positive("turn.nonceLifetime", nonceLifetime);
        Check.positive("turn.maxPermissions", maxPermissions);
        Check.positive("turn.maxPeersPerRequest", maxPeersPerRequest);
        if (serve != null && (serve.isBlank() || serve.replace(",", "").isBlank())) {
            throw new IllegalArgumentException("-turnServe must be all, known, none or a list of users, got '" + serve + "'");
        }
        Check.positive("-turnQuotaPerAddress", maxAllocationsPerAddress);
        if (refuse == null) {
            refuse = PeerRefusals.DEFAULTS;
        }
        if (tls == null) {
            tls = TurnTlsConfig.DEFAULTS;
        }
    }

    public TurnConfig withAllowPeers(List<String> cidrs) {
        return new TurnConfig(enabled, realm, secret, users, relayPorts, relayIp, cidrs, serveUsers, credentialLifetime,
                bandwidthBytesPerSecond, maxAllocationsPerUser, maxAllocations, channelNumbers, defaultLifetime,
                maxLifetime, nonceLifetime, maxPermissions, maxPeersPerRequest, refuse, tls, serve, maxAllocationsPerAddress);
    }

    public TurnConfig withUsers(List<String> userPasswords) {
        return new TurnConfig(enabled, realm, secret, userPasswords, relayPorts, relayIp, allowPeers, serveUsers,
                credentialLifetime, bandwidthBytesPerSecond, maxAllocationsPerUser, maxAllocations, channelNumbers,
                defaultLifetime, maxLifetime, nonceLifetime, maxPermissions, maxPeersPerRequest, refuse, tls, serve, maxAllocationsPerAddress);
    }

    public TurnConfig withRelayPorts(PortRange ports) {
        return new TurnConfig(enabled, realm, secret, users, ports, relayIp, allowPeers, serveUsers,
                credentialLifetime, bandwidthBytesPerSecond, maxAllocationsPerUser, maxAllocations, channelNumbers,
                defaultLifetime, maxLifetime, nonceLifetime, maxPermissions, maxPeersPerRequest, refuse, tls, serve, maxAllocationsPerAddress);
    }
}

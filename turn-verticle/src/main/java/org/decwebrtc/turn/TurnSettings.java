package org.decwebrtc.turn;

import org.decwebrtc.api.config.ChannelNumbers;
import org.decwebrtc.api.config.PeerRefusals;
import org.decwebrtc.api.config.TurnConfig;
import org.decwebrtc.turn.policy.Cidr;
import org.decwebrtc.turn.policy.PeerPolicy;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TURN server's working form of its {@link TurnConfig} (where every knob and its default is): users as a map,
 * CIDRs parsed, the peer policy built, the secret resolved and the default lifetime capped by the maximum.
 */
public record TurnSettings(String realm, String secret, Map<String, String> users, int relayPortMin,
                           int relayPortMax, String relayIp, PeerPolicy peerPolicy, List<Cidr> allowPeers,
                           int defaultLifetimeSeconds, int maxLifetimeSeconds, int nonceLifetimeSeconds,
                           int maxAllocationsPerUser, int maxAllocations, long bandwidthBytesPerSecond,
                           int credentialLifetimeSeconds, boolean legacyChannelNumbers,
                           int maxPermissions, int maxPeersPerRequest, int maxAllocationsPerAddress) {

    public static final int PERMISSION_LIFETIME_SECONDS = 300;
    public static final int CHANNEL_LIFETIME_SECONDS = 600;

    /** Throws {@link IllegalArgumentException} naming the flag of a bad CIDR. */
    public static TurnSettings of(TurnConfig t, String secret) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String u : t.users()) {
            int colon = u.indexOf(':');
            users.put(u.substring(0, colon), u.substring(colon + 1));
        }
        List<Cidr> allow;
        try {
            allow = t.allowPeers().stream().map(Cidr::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-turnAllowPeers: " + e.getMessage(), e);
        }
        return new TurnSettings(t.realm(), secret, Map.copyOf(users), t.relayPorts().min(), t.relayPorts().max(),
                t.relayIp(), new PeerPolicy(refusals(t.refuse()), allow), allow,
                Math.min(t.defaultLifetime(), t.maxLifetime()), t.maxLifetime(), t.nonceLifetime(),
                t.maxAllocationsPerUser(), t.maxAllocations(), t.bandwidthBytesPerSecond(), t.credentialLifetime(),
                t.channelNumbers() == ChannelNumbers.LEGACY, t.maxPermissions(), t.maxPeersPerRequest(),
                t.maxAllocationsPerAddress());
    }

    private static Map<PeerPolicy.Category, Boolean> refusals(PeerRefusals r) {
        Map<PeerPolicy.Category, Boolean> refuse = new EnumMap<>(PeerPolicy.Category.class);
        for (PeerPolicy.Category c : PeerPolicy.Category.values()) {
            refuse.put(c, switch (c) {
                case LOOPBACK -> r.loopback();
                case UNSPECIFIED -> r.unspecified();
                case PRIVATE -> r.privateRanges();
                case LINK_LOCAL -> r.linkLocal();
                case CGNAT -> r.cgnat();
                case MULTICAST -> r.multicast();
                case RESERVED -> r.reserved();
            });
        }
        return refuse;
    }
}

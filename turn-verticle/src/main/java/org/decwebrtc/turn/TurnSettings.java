package org.decwebrtc.turn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.turn.policy.Cidr;
import org.decwebrtc.turn.policy.PeerPolicy;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every knob of the TURN server, read from the node config's {@code turn} object. Each security default is a
 * named key so an operator can see and change it: {@code refuseLoopback}, {@code refusePrivate}, ...,
 * {@code allowPeers}, {@code maxAllocationsPerUser}, {@code maxAllocations}, {@code bandwidthBytesPerSecond}
 * (0 = no cap), {@code maxPermissions} per allocation and {@code maxPeersPerRequest} addresses in one
 * CreatePermission. {@code legacyChannelNumbers} (on unless set false) accepts RFC 5766's channel range
 * 0x4000-0x7FFF as well as RFC 8656's 0x4000-0x4FFF: coturn's own {@code turnutils_uclient}, pjnath and re still
 * pick numbers up there. {@code udpSockets} (default: one per core) spreads UDP clients over event loops with
 * SO_REUSEPORT.
 */
public record TurnSettings(String realm, String secret, Map<String, String> users, int relayPortMin,
                           int relayPortMax, String relayIp, PeerPolicy peerPolicy, List<Cidr> allowPeers,
                           int defaultLifetimeSeconds, int maxLifetimeSeconds, int nonceLifetimeSeconds,
                           int maxAllocationsPerUser, int maxAllocations, long bandwidthBytesPerSecond,
                           int credentialLifetimeSeconds, boolean legacyChannelNumbers, int udpSockets,
                           int maxPermissions, int maxPeersPerRequest) {

    public static final int PERMISSION_LIFETIME_SECONDS = 300;
    public static final int CHANNEL_LIFETIME_SECONDS = 600;

    /** Parses and validates; throws {@link IllegalArgumentException} naming the bad key. */
    public static TurnSettings fromJson(JsonObject turn, String secret) {
        JsonObject t = turn == null ? new JsonObject() : turn;
        Map<String, String> users = new LinkedHashMap<>();
        for (Object u : t.getJsonArray("users", new JsonArray())) {
            String s = String.valueOf(u);
            int colon = s.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("turn.users expects user:pass, got '" + s + "'");
            }
            users.put(s.substring(0, colon), s.substring(colon + 1));
        }
        List<Cidr> allow = t.getJsonArray("allowPeers", new JsonArray()).stream()
                .map(String::valueOf).filter(s -> !s.isBlank()).map(Cidr::parse).toList();
        Map<PeerPolicy.Category, Boolean> refuse = new EnumMap<>(PeerPolicy.Category.class);
        for (PeerPolicy.Category c : PeerPolicy.Category.values()) {
            refuse.put(c, t.getBoolean(refuseKey(c), true));
        }
        int min = t.getInteger("relayPortMin", 49152);
        int max = t.getInteger("relayPortMax", 65535);
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("turn.relayPortMin/Max must be 1 <= min <= max <= 65535, got " + min + "-" + max);
        }
        int def = positive(t, "defaultLifetime", 600);
        int cap = positive(t, "maxLifetime", 3600);
        return new TurnSettings(t.getString("realm", "decwebrtc"), secret, Map.copyOf(users), min, max,
                t.getString("relayIp"), new PeerPolicy(refuse, allow), allow, Math.min(def, cap), cap,
                positive(t, "nonceLifetime", 600), positive(t, "maxAllocationsPerUser", 20),
                positive(t, "maxAllocations", 5000), t.getLong("bandwidthBytesPerSecond", 2_500_000L),
                positive(t, "credentialLifetime", 3600), t.getBoolean("legacyChannelNumbers", true),
                positive(t, "udpSockets", Math.max(1, Runtime.getRuntime().availableProcessors())),
                positive(t, "maxPermissions", 1000), positive(t, "maxPeersPerRequest", 500));
    }

    /** {@code LINK_LOCAL} → {@code refuseLinkLocal}. */
    public static String refuseKey(PeerPolicy.Category c) {
        StringBuilder b = new StringBuilder("refuse");
        for (String part : c.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    private static int positive(JsonObject t, String key, int def) {
        int v = t.getInteger(key, def);
        if (v <= 0) {
            throw new IllegalArgumentException("turn." + key + " must be > 0, got " + v);
        }
        return v;
    }
}

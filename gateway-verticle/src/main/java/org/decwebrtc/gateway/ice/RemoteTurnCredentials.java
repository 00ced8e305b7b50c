package org.decwebrtc.gateway.ice;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TurnCredentialGrant;
import org.decwebrtc.api.UserEntry;
import org.decwebrtc.gateway.text.DisplayText;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * TURN credentials from other nodes, with no central authority: asks the nearest relays that advertise TURN in
 * gossip for short-lived credentials (a private, signed and encrypted gossip message), keeps them, and asks again
 * before they expire, so a browser always has valid relay credentials, also during a call longer than their life.
 */
public final class RemoteTurnCredentials {
    private static final Logger LOG = Logger.getLogger(RemoteTurnCredentials.class.getName());
    static final int MAX_RELAYS = 3;
    static final long CHECK_MILLIS = 1000;
    static final long RETRY_MILLIS = 5000;
    /**
     * A refusal is not final: a user's node serves the remote users of its calls only while the call lasts, so a
     * relay that refused a stranger may grant once a call with its user is accepted. Asked again this long after.
     */
    static final long REFUSAL_RETRY_MILLIS = 30_000;

    record Grant(JsonArray servers, long issuedMillis, long expiresMillis) {
        boolean dueForRenewal(long now) {
            // Renew when a third of the lifetime is left: time for a retry or two before it runs out.
            return now >= expiresMillis - (expiresMillis - issuedMillis) / 3;
        }
    }

    /** Why a relay refused, and when: it is asked again {@link #REFUSAL_RETRY_MILLIS} later. */
    private record Refusal(String reason, long atMillis) {
    }

    private final Vertx vertx;
    private final String node;
    private final LongSupplier clock;
    private final Map<String, Grant> grants = new HashMap<>();
    private final Map<String, Refusal> refusals = new HashMap<>();
    private final Map<String, Long> asked = new HashMap<>();
    private Directory directory = new Directory("", List.of(), List.of());
    private Runnable onRenewed = () -> {
    };

    public RemoteTurnCredentials(Vertx vertx, String node, LongSupplier clock) {
        this.vertx = vertx;
        this.node = node;
        this.clock = clock;
    }

    /** Listens to gossip and keeps credentials fresh; {@code onRenewed} runs whenever a relay grants credentials. */
    public void start(Runnable onRenewed) {
        this.onRenewed = onRenewed;
        vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived(node), m -> {
            SignalEnvelope envelope = SignalEnvelope.fromReceivedJson(m.body());
            if (envelope.signal() != null
                    && SignalTypes.TURN_CREDENTIAL_GRANT.equals(envelope.signal().getString("type"))) {
                onGrant(envelope.peer(), envelope.signal());
            }
        });
        vertx.eventBus().<JsonObject>consumer(Addresses.directory(node), m -> {
            directory = Directory.fromJson(m.body());
            check();
        });
        vertx.setPeriodic(CHECK_MILLIS, id -> check());
    }

    /** The relays' TURN entries whose credentials are still valid, nearest relay first. */
    public JsonArray servers() {
        long now = clock.getAsLong();
        JsonArray all = new JsonArray();
        relays().stream().map(grants::get)
                .filter(g -> g != null && g.expiresMillis() > now)
                .forEach(g -> g.servers().forEach(s -> all.add(((JsonObject) s).copy())));
        return all;
    }

    /** Relays that refused this node, with their reason (for the advanced panel and tests). */
    public Map<String, String> refusals() {
        Map<String, String> reasons = new HashMap<>();
        refusals.forEach((relay, refusal) -> reasons.put(relay, refusal.reason()));
        return Map.copyOf(reasons);
    }

    private List<String> relays() {
        return directory.users().stream()
                .filter(u -> u.turn() != null && !u.turn().isBlank())
                .sorted(Comparator.comparingInt(UserEntry::hops).thenComparing(UserEntry::name))
                .limit(MAX_RELAYS).map(UserEntry::name).toList();
    }

    private void check() {
        long now = clock.getAsLong();
        List<String> relays = relays();
        Set<String> wanted = Set.copyOf(relays);
        grants.keySet().retainAll(wanted);
        refusals.keySet().retainAll(wanted);
        grants.values().removeIf(g -> g.expiresMillis() <= now);
        for (String relay : relays) {
            Grant grant = grants.get(relay);
            boolean need = grant == null
                    ? !refusals.containsKey(relay) || now - refusals.get(relay).atMillis() >= REFUSAL_RETRY_MILLIS
                    : grant.dueForRenewal(now);
            if (need && now - asked.getOrDefault(relay, Long.MIN_VALUE / 2) >= RETRY_MILLIS) {
                asked.put(relay, now);
                vertx.eventBus().request(Addresses.signalSend(node), new SignalEnvelope(relay,
                                TurnCredentialGrant.requestSignal()).toSendJson())
                        .onFailure(e -> LOG.fine(() -> node + ": TURN credential request to " + relay + " failed: "
                                + e.getMessage()));
            }
        }
    }

    private void onGrant(String relay, JsonObject signal) {
        TurnCredentialGrant grant = TurnCredentialGrant.fromSignal(signal);
        if (grant.isRefusal()) {
            refusals.put(relay, new Refusal(DisplayText.reason(grant.refused()), clock.getAsLong()));
            grants.remove(relay);
            LOG.info(() -> node + ": " + DisplayText.name(relay) + " refused TURN credentials: "
                    + DisplayText.reason(grant.refused()));
            return;
        }
        HostPort advert = advertOf(relay);
        JsonArray servers = GrantCheck.servers(grant.iceServers(), advert);
        long expires = grant.expiresAt() * 1000;
        long now = clock.getAsLong();
        if (servers.isEmpty() || expires <= now) {
            LOG.fine(() -> node + ": ignored a TURN grant from " + DisplayText.name(relay)
                    + " (no TURN URL at its advertised " + advert + ", or already expired)");
            return;
        }
        refusals.remove(relay);
        // Only what passed the check is kept: a grant mixing a good entry with a foreign host loses the latter.
        grants.put(relay, new Grant(servers, now, expires));
        LOG.fine(() -> node + ": TURN credentials from " + relay + " until " + expires);
        onRenewed.run();
    }

    /** The relay's TURN address as its own signed gossip rumor gives it; null when unknown or malformed. */
    private HostPort advertOf(String relay) {
        return directory.users().stream().filter(u -> u.name().equals(relay) && u.turn() != null).findFirst()
                .map(u -> {
                    try {
                        return HostPort.parse(u.turn());
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                }).orElse(null);
    }
}

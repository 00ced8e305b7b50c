package org.decwebrtc.gateway.ice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.UserEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the browser's {@code iceServers}: this node's own answer (its STUN, and TURN with fresh credentials when
 * TURN is on), then TURN granted by relays (already checked by {@link GrantCheck}), then a few STUN servers other
 * nodes advertise in gossip, so a browser behind NAT learns its public address even when this node has no STUN.
 *
 * <p>At most {@value #MAX_URLS} URLs reach the browser: every STUN/TURN URL costs candidate-gathering time, and
 * Firefox warns at five ("Using five or more STUN/TURN servers slows down discovery"). TURN goes first, one URL of
 * each TURN server before a second of any (a relay's TURN is not crowded out by this node's TURN over TCP, and this
 * node's TURN over TCP still makes it when UDP is blocked), then STUN. STUN adverts are capped at
 * {@value #MAX_STUN_ADVERTS}, nearest first: every STUN server a browser asks learns the caller's address.
 */
public final class IceServerAssembler {
    public static final int MAX_URLS = 4;
    static final int MAX_STUN_ADVERTS = 2;

    private IceServerAssembler() {
    }

    public static JsonArray assemble(JsonObject own, Directory directory) {
        return assemble(own, new JsonArray(), directory);
    }

    /**
     * @param own       this node's reply on {@code ice.servers} ({@code {iceServers:[...]}}), or null when it did not
     *                  answer (no STUN/TURN verticle, or not ready yet)
     * @param relayTurn TURN entries granted by relays, nearest relay first
     * @param directory the gossip directory, for other nodes' STUN adverts; may be null
     */
    public static JsonArray assemble(JsonObject own, JsonArray relayTurn, Directory directory) {
        List<JsonObject> entries = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        if (own != null && own.getValue("iceServers") instanceof JsonArray ownServers) {
            for (Object entry : ownServers) {
                if (entry instanceof JsonObject server && server.getValue("urls") != null) {
                    entries.add(server);
                    urls(server).forEach(u -> seen.add(String.valueOf(u)));
                }
            }
        }
        for (Object entry : relayTurn) {
            if (entry instanceof JsonObject server && server.getValue("urls") != null) {
                entries.add(server);
                urls(server).forEach(u -> seen.add(String.valueOf(u)));
            }
        }
        if (directory != null) {
            directory.users().stream().sorted(Comparator.comparingInt(UserEntry::hops).thenComparing(UserEntry::name))
                    .map(u -> stunUrl(u.stun())).filter(u -> u != null && seen.add(u)).limit(MAX_STUN_ADVERTS)
                    .forEach(u -> entries.add(new JsonObject().put("urls", new JsonArray().add(u))));
        }
        return withinBudget(entries, MAX_URLS);
    }

    /**
     * Keeps at most {@code max} URLs. TURN URLs come first, one of each TURN server per round (UDP before TCP and
     * TLS as each server lists them), since a TURN server also tells the browser its public address; one place is
     * kept for a STUN URL when there is one, for calls with the TURN toggle off. Entries left with no URL are dropped;
     * the rest keep their order.
     */
    static JsonArray withinBudget(List<JsonObject> entries, int max) {
        List<List<String>> kept = new ArrayList<>();
        entries.forEach(e -> kept.add(new ArrayList<>()));
        List<Integer> turn = new ArrayList<>();
        List<Integer> stun = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            (isTurnEntry(entries.get(i)) ? turn : stun).add(i);
        }
        int turnBudget = stun.isEmpty() ? max : max - 1;
        int taken = roundRobin(entries, turn, kept, turnBudget);
        roundRobin(entries, stun, kept, max - taken);
        JsonArray servers = new JsonArray();
        for (int i = 0; i < entries.size(); i++) {
            if (!kept.get(i).isEmpty()) {
                servers.add(entries.get(i).copy().put("urls", new JsonArray(List.copyOf(kept.get(i)))));
            }
        }
        return servers;
    }

    private static int roundRobin(List<JsonObject> entries, List<Integer> which, List<List<String>> kept, int budget) {
        int taken = 0;
        for (int round = 0; taken < budget; round++) {
            boolean any = false;
            for (int i : which) {
                JsonArray urls = urls(entries.get(i));
                if (taken < budget && round < urls.size()) {
                    kept.get(i).add(String.valueOf(urls.getValue(round)));
                    taken++;
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return taken;
    }

    private static boolean isTurnEntry(JsonObject server) {
        return hasTurn(new JsonArray().add(server));
    }

    /** True when any entry is a TURN server, i.e. the UI's TURN toggle has something to remove. */
    public static boolean hasTurn(JsonArray servers) {
        for (Object entry : servers) {
            if (entry instanceof JsonObject server) {
                for (Object url : urls(server)) {
                    String text = String.valueOf(url);
                    if (text.startsWith("turn:") || text.startsWith("turns:")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static JsonArray urls(JsonObject server) {
        Object urls = server.getValue("urls");
        return urls instanceof JsonArray array ? array : new JsonArray().add(String.valueOf(urls));
    }

    /** {@code host:port} from a gossip advert as a {@code stun:} URL; adverts that do not parse are skipped. */
    static String stunUrl(String advert) {
        if (advert == null || advert.isBlank()) {
            return null;
        }
        try {
            return "stun:" + HostPort.parse(advert);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

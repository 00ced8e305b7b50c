package org.decwebrtc.gateway.ice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.UserEntry;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds the browser's {@code iceServers}: this node's own answer (its STUN, and TURN with fresh credentials when
 * TURN is on) followed by the STUN servers other nodes advertise in gossip, so a browser behind NAT learns its
 * public address even when this node has no STUN of its own.
 */
public final class IceServerAssembler {
    private IceServerAssembler() {
    }

    /**
     * @param own       this node's reply on {@code ice.servers} ({@code {iceServers:[...]}}), or null when it did not
     *                  answer (no STUN/TURN verticle, or not ready yet)
     * @param directory the gossip directory, for other nodes' STUN adverts
     */
    public static JsonArray assemble(JsonObject own, Directory directory) {
        JsonArray servers = new JsonArray();
        Set<String> seen = new LinkedHashSet<>();
        if (own != null) {
            for (Object entry : own.getJsonArray("iceServers", new JsonArray())) {
                if (entry instanceof JsonObject server && server.getValue("urls") != null) {
                    servers.add(server.copy());
                    urls(server).forEach(u -> seen.add(String.valueOf(u)));
                }
            }
        }
        if (directory != null) {
            for (UserEntry user : directory.users()) {
                String url = stunUrl(user.stun());
                if (url != null && seen.add(url)) {
                    servers.add(new JsonObject().put("urls", new JsonArray().add(url)));
                }
            }
        }
        return servers;
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

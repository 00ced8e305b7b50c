package org.decwebrtc.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Configuration shared by all verticles of one node. The launcher builds it from the command line and hands it
 * to every verticle as its deployment config; each verticle reads only the keys it needs.
 */
public record NodeConfig(String name, String bind, int gossipPort, int guiPort, String guiBind, boolean gui,
                         List<String> peers, int rtimerSeconds, int stunPort, String dataDir, JsonObject turn) {

    public JsonObject toJson() {
        return new JsonObject()
                .put("name", name).put("bind", bind).put("gossipPort", gossipPort)
                .put("guiPort", guiPort).put("guiBind", guiBind).put("gui", gui)
                .put("peers", new JsonArray(List.copyOf(peers))).put("rtimer", rtimerSeconds)
                .put("stunPort", stunPort).put("dataDir", dataDir)
                .put("turn", turn == null ? new JsonObject() : turn);
    }

    public static NodeConfig fromJson(JsonObject json) {
        List<String> peers = json.getJsonArray("peers", new JsonArray()).stream().map(String::valueOf).toList();
        return new NodeConfig(json.getString("name"), json.getString("bind", "0.0.0.0"),
                json.getInteger("gossipPort", 5000), json.getInteger("guiPort", 8080),
                json.getString("guiBind", "127.0.0.1"), json.getBoolean("gui", true), peers,
                json.getInteger("rtimer", 10), json.getInteger("stunPort", 3478),
                json.getString("dataDir"), json.getJsonObject("turn", new JsonObject()));
    }
}

package org.decwebrtc.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The gossip view of the network from one node: its direct peers, all known remote users, and the
 * {@link KeyFingerprint} of this node's own identity key (null when not known).
 */
public record Directory(String name, List<String> peers, List<UserEntry> users, String fingerprint) {
    public Directory(String name, List<String> peers, List<UserEntry> users) {
        this(name, peers, users, null);
    }

    public JsonObject toJson() {
        JsonArray userArray = new JsonArray();
        users.forEach(u -> userArray.add(u.toJson()));
        JsonObject json = new JsonObject().put("name", name).put("peers", new JsonArray(List.copyOf(peers)))
                .put("users", userArray);
        return fingerprint == null ? json : json.put("fingerprint", fingerprint);
    }

    public static Directory fromJson(JsonObject json) {
        List<String> peers = json.getJsonArray("peers", new JsonArray()).stream().map(String::valueOf).toList();
        List<UserEntry> users = json.getJsonArray("users", new JsonArray()).stream()
                .map(o -> UserEntry.fromJson((JsonObject) o)).toList();
        return new Directory(json.getString("name"), peers, users,
                json.getValue("fingerprint") instanceof String f ? f : null);
    }
}

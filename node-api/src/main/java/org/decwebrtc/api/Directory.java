package org.decwebrtc.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The gossip view of the network from one node: its direct peers and all known remote users. */
public record Directory(String name, List<String> peers, List<UserEntry> users) {
    public JsonObject toJson() {
        JsonArray userArray = new JsonArray();
        users.forEach(u -> userArray.add(u.toJson()));
        return new JsonObject().put("name", name).put("peers", new JsonArray(List.copyOf(peers)))
                .put("users", userArray);
    }

    public static Directory fromJson(JsonObject json) {
        List<String> peers = json.getJsonArray("peers", new JsonArray()).stream().map(String::valueOf).toList();
        List<UserEntry> users = json.getJsonArray("users", new JsonArray()).stream()
                .map(o -> UserEntry.fromJson((JsonObject) o)).toList();
        return new Directory(json.getString("name"), peers, users);
    }
}

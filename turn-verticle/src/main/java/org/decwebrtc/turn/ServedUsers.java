package org.decwebrtc.turn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which users of the network this node's TURN relays for ({@code turn.serveUsers}; empty means everyone). The
 * node's own user is always served: its browser gets credentials from its own gateway.
 */
public final class ServedUsers implements Predicate<String> {
    private final Set<String> users;
    private final String self;

    private ServedUsers(Set<String> users, String self) {
        this.users = users;
        this.self = self;
    }

    public static ServedUsers fromConfig(JsonObject turn, String self) {
        JsonArray list = turn == null ? new JsonArray() : turn.getJsonArray("serveUsers", new JsonArray());
        return new ServedUsers(list.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet()), self);
    }

    public boolean servesEveryone() {
        return users.isEmpty();
    }

    @Override
    public boolean test(String user) {
        return users.isEmpty() || users.contains(user) || user.equals(self);
    }
}

package org.decwebrtc.turn;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which users of the network this node's TURN relays for ({@code -turnServeUsers}; empty means everyone). The
 * node's own user is always served: its browser gets credentials from its own gateway.
 */
public final class ServedUsers implements Predicate<String> {
    private final Set<String> users;
    private final String self;

    private ServedUsers(Set<String> users, String self) {
        this.users = users;
        this.self = self;
    }

    public static ServedUsers of(List<String> serveUsers, String self) {
        return new ServedUsers(Set.copyOf(serveUsers), self);
    }

    public boolean servesEveryone() {
        return users.isEmpty();
    }

    @Override
    public boolean test(String user) {
        return users.isEmpty() || users.contains(user) || user.equals(self);
    }
}

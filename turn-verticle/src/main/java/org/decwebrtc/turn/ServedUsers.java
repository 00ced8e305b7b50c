package org.decwebrtc.turn;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import org.decwebrtc.api.config.NodeConfig;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which users of the network this node's TURN relays for, {@code -turnServe}:
 * <ul>
 *   <li>{@code all}: anyone who asks over gossip (a relay node's job; the default without a GUI);</li>
 *   <li>{@code known}: the node's own user and the remote users of its own calls, while the call lasts (the
 *       default of a user's node: a stranger's brand-new gossip name gets nothing);</li>
 *   <li>{@code none}: the node's own user only;</li>
 *   <li>a comma list of user names (plus the own user).</li>
 * </ul>
 * {@code -turnServeUsers} still selects the list mode. The node's own user is always served: its
 * browser gets credentials from its own gateway. The remote users of current calls live in a Vert.x local map
 * shared by the grant and TURN verticles of the node, so TURN refuses a call's credentials once the call ended.
 */
public final class ServedUsers implements Predicate<String> {
    public enum Mode { ALL, KNOWN, NONE, LIST }

    private final Mode mode;
    private final Set<String> users;
    private final String self;
    private final LocalMap<String, Long> callUsers;

    private ServedUsers(Mode mode, Set<String> users, String self, LocalMap<String, Long> callUsers) {
        this.mode = mode;
        this.users = users;
        this.self = self;
        this.callUsers = callUsers;
    }

    /** From the node config: {@code -turnServe}, else {@code -turnServeUsers}, else by whether the node has a GUI. */
    public static ServedUsers of(Vertx vertx, NodeConfig node) {
        String self = node.name();
        LocalMap<String, Long> calls = vertx == null ? null : vertx.sharedData().getLocalMap("decwebrtc.turn.callUsers." + self);
        String serve = node.turn().serve();
        if (serve == null || serve.isBlank()) {
            if (!node.turn().serveUsers().isEmpty()) {
                return new ServedUsers(Mode.LIST, Set.copyOf(node.turn().serveUsers()), self, calls);
            }
            serve = node.gateway().enabled() ? "known" : "all";
        }
        return parse(serve, self, calls);
    }

    static ServedUsers parse(String serve, String self, LocalMap<String, Long> calls) {
        String s = serve.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "all" -> {
                return new ServedUsers(Mode.ALL, Set.of(), self, calls);
            }
            case "known" -> {
                return new ServedUsers(Mode.KNOWN, Set.of(), self, calls);
            }
            case "none" -> {
                return new ServedUsers(Mode.NONE, Set.of(), self, calls);
            }
            default -> {
                Set<String> names = Arrays.stream(s.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
                if (names.isEmpty()) {
                    throw new IllegalArgumentException("-turnServe must be all, known, none or a list of users, got '" + serve + "'");
                }
                return new ServedUsers(Mode.LIST, names, self, calls);
            }
        }
    }

    public Mode mode() {
        return mode;
    }

    public boolean servesEveryone() {
        return mode == Mode.ALL;
    }

    /** Records a remote user of a current call ({@link Mode#KNOWN}); {@link #callEnded} forgets it. */
    public void inCall(String user) {
        if (callUsers != null) {
            callUsers.put(user, System.currentTimeMillis());
        }
    }

    public void callEnded(String user) {
        if (callUsers != null) {
            callUsers.remove(user);
        }
    }

    /** Remote users currently recorded as in a call with this node's user. */
    public Set<String> callUsers() {
        return callUsers == null ? Set.of() : Set.copyOf(callUsers.keySet());
    }

    @Override
    public boolean test(String user) {
        if (user.equals(self)) {
            return true;
        }
        return switch (mode) {
            case ALL -> true;
            case NONE -> false;
            case LIST -> users.contains(user);
            case KNOWN -> callUsers != null && callUsers.containsKey(user);
        };
    }
}

package org.decwebrtc.gossip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Direct gossip contacts. Configured addresses ({@code -peers}, or added by the user) are greeted until they
 * answer; a neighbour exists only after the handshake proved its address and its key, within the caps (in total
 * and per address prefix). Not thread-safe: owned by the gossip verticle's event loop.
 */
final class NeighbourSet {
    /** How long a silent neighbour is kept, so that one that was only slow comes back without a new handshake. */
    static final long FORGET_SILENT_MILLIS = 30_000;

    private final GossipLimits limits;
    private final Set<String> configured = new LinkedHashSet<>();
    private final Map<String, Neighbour> byAddress = new TreeMap<>();

    NeighbourSet(GossipLimits limits) {
        this.limits = limits;
    }

    /** Adds a configured address ("host:port" as typed); returns true if it is new. */
    boolean configure(String hostPort) {
        return configured.add(hostPort);
    }

    List<String> configured() {
        return new ArrayList<>(configured);
    }

    Neighbour at(String address) {
        return byAddress.get(address);
    }

    /** The live neighbour holding {@code name}, or null. */
    Neighbour named(String name) {
        for (Neighbour n : byAddress.values()) {
            if (n.alive() && n.name.equals(name)) {
                return n;
            }
        }
        return null;
    }

    /** Why {@code address} cannot become a neighbour now, or null if it can. */
    String refusal(String address, String name) {
        Neighbour existing = byAddress.get(address);
        if (existing != null) {
            return null;
        }
        if (byAddress.size() >= limits.maxNeighbours()) {
            return "neighbour cap " + limits.maxNeighbours() + " reached";
        }
        String prefix = prefix(address);
        long samePrefix = byAddress.keySet().stream().filter(a -> prefix(a).equals(prefix)).count();
        if (samePrefix >= limits.maxNeighboursPerPrefix()) {
            return "cap of " + limits.maxNeighboursPerPrefix() + " neighbours per address prefix reached";
        }
        return null;
    }

    /** Adds or replaces the neighbour at its address; returns the one it replaced, or null. */
    Neighbour put(Neighbour neighbour) {
        return byAddress.put(neighbour.address, neighbour);
    }

    /** Forgets the neighbour at {@code address} at once (it said it leaves); a configured address is greeted again. */
    void remove(String address) {
        byAddress.remove(address);
    }

    Collection<Neighbour> all() {
        return byAddress.values();
    }

    List<Neighbour> alive() {
        return byAddress.values().stream().filter(Neighbour::alive).toList();
    }

    List<String> aliveAddresses() {
        return alive().stream().map(n -> n.address).toList();
    }

    boolean isAliveAt(String address) {
        Neighbour n = byAddress.get(address);
        return n != null && n.alive();
    }

    /**
     * Marks neighbours silent for longer than {@code deadAfter} (or twice the longest recent gap between their
     * keepalives, on a loaded machine) as silent and forgets those silent for long; returns true if
     * the set of live neighbours changed.
     */
    boolean expire(long nowMillis, long deadAfterMillis) {
        return expire(nowMillis, nowMillis, deadAfterMillis);
    }

    /**
     * As {@link #expire(long, long)}, with silence measured up to {@code readUpToMillis}: the moment up to which every
     * datagram that reached our socket has been read. A keepalive that arrived before it was read; one still unread
     * after it says nothing about the neighbour yet.
     */
    boolean expire(long readUpToMillis, long nowMillis, long deadAfterMillis) {
        boolean changed = false;
        for (Neighbour n : byAddress.values()) {
            if (n.alive() && readUpToMillis - n.lastHeardMillis > n.deadAfter(deadAfterMillis)) {
                n.silentSinceMillis = nowMillis;
                changed = true;
            }
        }
        byAddress.values().removeIf(n -> !n.alive() && nowMillis - n.silentSinceMillis > FORGET_SILENT_MILLIS);
        return changed;
    }

    /** How many live neighbours have been silent for longer than {@code deadAfter} (see {@link #expire}). */
    int silentLongerThan(long nowMillis, long deadAfterMillis) {
        int silent = 0;
        for (Neighbour n : byAddress.values()) {
            if (n.alive() && nowMillis - n.lastHeardMillis > n.deadAfter(deadAfterMillis)) {
                silent++;
            }
        }
        return silent;
    }

    /** A packet with the right token from {@code address}; returns true if it brought a silent neighbour back. */
    boolean heard(Neighbour n, long nowMillis) {
        n.gap(nowMillis - n.lastHeardMillis);
        n.lastHeardMillis = nowMillis;
        if (!n.alive()) {
            n.silentSinceMillis = 0;
            return true;
        }
        return false;
    }

    /** True if the token is the one {@code n} must echo. */
    static boolean tokenMatches(Neighbour n, byte[] token) {
        return java.security.MessageDigest.isEqual(n.expectedToken, token);
    }

    /** The /24 of an IPv4 address or the /48 of an IPv6 address of "ip:port". */
    static String prefix(String address) {
        String host = address.startsWith("[") ? address.substring(1, address.indexOf(']'))
                : address.substring(0, address.lastIndexOf(':'));
        try {
            byte[] ip = InetAddress.getByName(host).getAddress();
            return Arrays.toString(Arrays.copyOf(ip, ip.length == 4 ? 3 : 6));
        } catch (UnknownHostException e) {
            return host;
        }
    }
}

package org.decwebrtc.gossip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Breadth-first shortest paths over confirmed edges: an edge A-B counts when A's record lists B and B's lists A;
 * this node's own edges are its live neighbours. A liar can only lie about its own edges, and a false edge needs
 * the other end to confirm it.
 */
final class ShortestPaths {
    /** How to reach {@code name}: through the neighbour {@code firstHop}, {@code hops} edges away. */
    record Route(String name, String firstHop, int hops) {
    }

    private final String self;
    private final LinkRecords records;
    private final Set<String> ownNeighbours;

    ShortestPaths(String self, LinkRecords records, Set<String> ownNeighbours) {
        this.self = self;
        this.records = records;
        this.ownNeighbours = ownNeighbours;
    }

    /**
     * Every reachable origin's route by name, and a digest of what a directory shows of them (route and services
     * offered): equal digests, equal directories, without a lookup per origin.
     */
    record Routes(Map<String, Route> byName, long digest) {
    }

    /** Routes to every reachable origin (with a record), by name. */
    Map<String, Route> all() {
        return routes().byName();
    }

    Routes routes() {
        Walk walk = bfs(Set.of());
        Map<String, Route> routes = new HashMap<>(walk.reached * 2);
        long digest = 0;
        for (int i = 0; i < walk.reached; i++) {
            int v = walk.order[i];
            LinkRecords.Stored stored = records.byId(v);
            if (v != walk.self && stored != null) {
                String name = records.nameOf(v);
                Route route = new Route(name, records.nameOf(walk.firstHop[v]), walk.hops[v]);
                routes.put(name, route);
                long e = route.hashCode();
                e = e * 31 + stored.record.getInfo().getStun().hashCode();
                e = e * 31 + stored.record.getInfo().getTurn().hashCode();
                digest += e * 0x9E3779B97F4A7C15L ^ (e >>> 29); // a sum: independent of the order reached
            }
        }
        return new Routes(routes, digest);
    }

    /** The relays of a shortest path to {@code destination} around {@code avoid}, first hop first; null if none. */
    List<String> relaysTo(String destination, Set<String> avoid) {
        int target = records.idOf(destination);
        if (target < 0 || destination.equals(self)) {
            return null;
        }
        Walk walk = bfs(avoid);
        if (walk.hops[target] == 0) {
            return null;
        }
        List<String> relays = new ArrayList<>();
        for (int at = walk.parent[target]; at != walk.self; at = walk.parent[at]) {
            relays.add(records.nameOf(at));
        }
        Collections.reverse(relays);
        return relays;
    }

    /** One breadth-first walk from self: ids in the order reached, with parent, first hop and hop count of each. */
    private static final class Walk {
        final int self;
        final int[] parent;
        final int[] firstHop;
        /** Edges from self; 0 = not reached (and self). */
        final int[] hops;
        final int[] order;
        int reached;

        Walk(int self, int size) {
            this.self = self;
            this.parent = new int[size];
            this.firstHop = new int[size];
            this.hops = new int[size];
            this.order = new int[size];
        }
    }

    private Walk bfs(Set<String> avoid) {
        // Self may have no record yet: it then takes the first id past the records' (its edges are its neighbours).
        int selfId = records.idOf(self);
        int size = records.idLimit() + (selfId < 0 ? 1 : 0);
        if (selfId < 0) {
            selfId = size - 1;
        }
        Walk walk = new Walk(selfId, size);
        boolean[] seen = new boolean[size];
        for (String name : avoid) {
            int id = records.idOf(name);
            if (id >= 0) {
                seen[id] = true;
            }
        }
        seen[selfId] = true;
        walk.order[walk.reached++] = selfId;
        List<String> own = new ArrayList<>(ownNeighbours);
        Collections.sort(own);
        for (String name : own) {
            int v = records.idOf(name);
            if (v >= 0 && !seen[v] && records.byId(v) != null) {
                seen[v] = true;
                walk.parent[v] = selfId;
                walk.firstHop[v] = v;
                walk.hops[v] = 1;
                walk.order[walk.reached++] = v;
            }
        }
        for (int head = 1; head < walk.reached; head++) {
            int u = walk.order[head];
            for (int v : records.byId(u).listed) {
                if (seen[v]) {
                    continue; // reached already, avoided, or self (whose edges are its live neighbours)
                }
                LinkRecords.Stored other = records.byId(v);
                if (other != null && other.lists(u)) {
                    seen[v] = true;
                    walk.parent[v] = u;
                    walk.firstHop[v] = walk.firstHop[u];
                    walk.hops[v] = walk.hops[u] + 1;
                    walk.order[walk.reached++] = v;
                }
            }
        }
        return walk;
    }
}

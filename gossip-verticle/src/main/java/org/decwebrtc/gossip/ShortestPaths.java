package org.decwebrtc.gossip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /** Routes to every reachable origin (with a record), by name, sorted. */
    Map<String, Route> all() {
        Map<String, Route> routes = new TreeMap<>();
        Map<String, String> parent = bfs(Set.of());
        for (Map.Entry<String, String> e : parent.entrySet()) {
            String name = e.getKey();
            if (name.equals(self) || records.get(name) == null) {
                continue;
            }
            List<String> path = pathTo(parent, name);
            routes.put(name, new Route(name, path.isEmpty() ? name : path.get(0), path.size() + 1));
        }
        return routes;
    }

    /** The relays of a shortest path to {@code destination} around {@code avoid}, first hop first; null if none. */
    List<String> relaysTo(String destination, Set<String> avoid) {
        Map<String, String> parent = bfs(avoid);
        if (!parent.containsKey(destination) || destination.equals(self)) {
            return null;
        }
        return pathTo(parent, destination);
    }

    private Map<String, String> bfs(Set<String> avoid) {
        Map<String, String> parent = new HashMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        parent.put(self, self);
        queue.add(self);
        while (!queue.isEmpty()) {
            String u = queue.poll();
            for (String v : neighboursOf(u)) {
                if (!parent.containsKey(v) && !avoid.contains(v)) {
                    parent.put(v, u);
                    queue.add(v);
                }
            }
        }
        return parent;
    }

    private List<String> neighboursOf(String u) {
        if (u.equals(self)) {
            List<String> own = new ArrayList<>(ownNeighbours);
            Collections.sort(own);
            return own;
        }
        LinkRecords.Stored stored = records.get(u);
        if (stored == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String v : stored.record.getNeighboursList()) {
            if (v.equals(self)) {
                continue; // our own edges are our live neighbours, added from our side
            }
            LinkRecords.Stored other = records.get(v);
            if (other != null && other.neighbours.contains(u)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Relays between self and {@code name} (both excluded), first hop first. */
    private List<String> pathTo(Map<String, String> parent, String name) {
        List<String> relays = new ArrayList<>();
        String at = parent.get(name);
        while (!at.equals(self)) {
            relays.add(at);
            at = parent.get(at);
        }
        Collections.reverse(relays);
        return relays;
    }
}

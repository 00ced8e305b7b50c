package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.RouteRumor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Next-hop table in the DSDV manner: a rumor with a newer sequence id always wins; for the same sequence id a
 * shorter path wins. Routes not refreshed by a newer rumor within the expiry time are deleted.
 * Not thread-safe: owned by the gossip verticle's event loop.
 */
final class RoutingTable {
    enum Update { NEW_ORIGIN, NEWER, SHORTER, STALE }

    private final String self;
    private final Map<String, Route> routes = new HashMap<>();

    RoutingTable(String self) {
        this.self = self;
    }

    /** Offers a rumor heard from direct peer {@code from}; the route is taken unless it is stale. */
    Update offer(RouteRumor rumor, String from, long nowMillis) {
        if (rumor.getOrigin().equals(self)) {
            return Update.STALE;
        }
        int hops = rumor.getHops() + 1;
        Route known = routes.get(rumor.getOrigin());
        Update update;
        if (known == null) {
            update = Update.NEW_ORIGIN;
        } else if (Long.compareUnsigned(rumor.getSeq(), known.seq()) > 0) {
            update = Update.NEWER;
        } else if (rumor.getSeq() == known.seq() && hops < known.hops()) {
            update = Update.SHORTER;
        } else {
            return Update.STALE;
        }
        long heard = update == Update.SHORTER ? known.lastHeardMillis() : nowMillis;
        routes.put(rumor.getOrigin(), new Route(rumor, from, hops, heard));
        return update;
    }

    Route get(String origin) {
        return routes.get(origin);
    }

    Collection<Route> all() {
        return routes.values();
    }

    /** Deletes every route not heard of since {@code cutoffMillis}, with all its data; returns them. */
    List<Route> expire(long cutoffMillis) {
        List<Route> gone = new ArrayList<>();
        routes.values().removeIf(route -> {
            boolean dead = route.lastHeardMillis() < cutoffMillis;
            if (dead) {
                gone.add(route);
            }
            return dead;
        });
        return gone;
    }
}

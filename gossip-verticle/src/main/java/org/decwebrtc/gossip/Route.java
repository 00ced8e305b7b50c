package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.RouteRumor;

/** The newest rumor known of one origin and the direct peer it came through. Immutable. */
record Route(RouteRumor rumor, String nextHop, int hops, long lastHeardMillis) {
    String origin() {
        return rumor.getOrigin();
    }

    long seq() {
        return rumor.getSeq();
    }
}

package org.decwebrtc.gossip;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-origin replay protection for private messages: a message is taken once, only while its signed timestamp is
 * within the window, and never when older than what the bounded memory of an origin had to let go. Not
 * thread-safe: owned by the gossip verticle's event loop.
 */
final class ReplayWindow {
    enum Verdict { FRESH, DUPLICATE, STALE }

    private static final int IDS_PER_ORIGIN = 2048;

    private static final class Seen {
        final LinkedHashMap<Long, Long> ids = new LinkedHashMap<>();
        long floor;
    }

    private final long windowMillis;
    private final long maxFutureMillis;
    private final int maxOrigins;
    private final Map<String, Seen> byOrigin = new HashMap<>();

    ReplayWindow(long windowMillis, long maxFutureMillis, int maxOrigins) {
        this.windowMillis = windowMillis;
        this.maxFutureMillis = maxFutureMillis;
        this.maxOrigins = maxOrigins;
    }

    Verdict check(String origin, long id, long timestamp, long nowMillis) {
        if (timestamp < nowMillis - windowMillis || timestamp > nowMillis + maxFutureMillis) {
            return Verdict.STALE;
        }
        Seen seen = byOrigin.get(origin);
        if (seen == null) {
            if (byOrigin.size() >= maxOrigins) {
                purge(nowMillis);
                if (byOrigin.size() >= maxOrigins) {
                    return Verdict.STALE;
                }
            }
            seen = new Seen();
            byOrigin.put(origin, seen);
        }
        if (timestamp <= seen.floor) {
            return Verdict.STALE;
        }
        if (seen.ids.containsKey(id)) {
            return Verdict.DUPLICATE;
        }
        seen.ids.put(id, timestamp);
        Iterator<Map.Entry<Long, Long>> it = seen.ids.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> eldest = it.next();
            boolean full = seen.ids.size() > IDS_PER_ORIGIN;
            if (!full && eldest.getValue() >= nowMillis - windowMillis) {
                break;
            }
            if (full) {
                seen.floor = Math.max(seen.floor, eldest.getValue());
            }
            it.remove();
        }
        return Verdict.FRESH;
    }

    /** Drops origins whose every remembered message has left the window. */
    void purge(long nowMillis) {
        byOrigin.values().removeIf(s -> {
            s.ids.values().removeIf(ts -> ts < nowMillis - windowMillis);
            return s.ids.isEmpty() && s.floor < nowMillis - windowMillis;
        });
    }

    int origins() {
        return byOrigin.size();
    }
}

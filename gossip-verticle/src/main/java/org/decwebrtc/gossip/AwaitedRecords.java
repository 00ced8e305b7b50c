package org.decwebrtc.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Records that neighbours announced (by origin and seq) and this node lacks. The flood's tree usually brings such a
 * record within moments; one still missing when it falls due is asked for (a Graft) from a neighbour that announced
 * it, from the next announcer on each retry, and given up after {@link #MAX_GRAFTS} tries (anti-entropy is left to
 * repair it). Bounded: announcements beyond {@code capacity} origins are ignored, and one neighbour's announcements hold
 * at most a quarter of the table, so a neighbour announcing records that do not exist cannot crowd out what the
 * others announce. Not thread-safe: owned by the gossip verticle's event loop.
 */
final class AwaitedRecords {
    static final int MAX_GRAFTS = 3;
    private static final int MAX_ANNOUNCERS = 3;

    private static final class Awaited {
        final String firstAnnouncer;
        long seq;
        final List<String> announcers = new ArrayList<>(MAX_ANNOUNCERS);
        long dueMillis;
        int grafts;

        Awaited(String firstAnnouncer) {
            this.firstAnnouncer = firstAnnouncer;
        }
    }

    private final Map<String, Awaited> byOrigin = new HashMap<>();
    /** Entries per neighbour that announced them first. */
    private final Map<String, Integer> byAnnouncer = new HashMap<>();
    private final int capacity;

    AwaitedRecords(int capacity) {
        this.capacity = capacity;
    }

    /** Notes that {@code from} holds {@code origin}'s record {@code seq}, which we lack; due at {@code dueMillis}. */
    void announced(String origin, long seq, String from, long dueMillis) {
        Awaited a = byOrigin.get(origin);
        if (a == null) {
            if (byOrigin.size() >= capacity || byAnnouncer.getOrDefault(from, 0) >= Math.max(1, capacity / 4)) {
                return;
            }
            a = new Awaited(from);
            a.seq = seq;
            a.dueMillis = dueMillis;
            byOrigin.put(origin, a);
            byAnnouncer.merge(from, 1, Integer::sum);
        } else if (Long.compareUnsigned(seq, a.seq) > 0) {
            a.seq = seq;
        }
        if (!a.announcers.contains(from) && a.announcers.size() < MAX_ANNOUNCERS) {
            a.announcers.add(from);
        }
    }

    /** A record of {@code origin} arrived: what was awaited of it up to {@code seq} no longer is. */
    void arrived(String origin, long seq) {
        Awaited a = byOrigin.get(origin);
        if (a != null && Long.compareUnsigned(a.seq, seq) <= 0) {
            byOrigin.remove(origin);
            forgetAnnouncer(a);
        }
    }

    boolean isEmpty() {
        return byOrigin.isEmpty();
    }

    int size() {
        return byOrigin.size();
    }

    /**
     * The grafts to send now: neighbour address -> origins to ask it for. Each origin due goes to its next announcer
     * still {@code alive}, and falls due again {@code retryMillis} later; an origin with no live announcer left, or
     * asked for {@link #MAX_GRAFTS} times, is given up.
     */
    Map<String, List<String>> due(long now, long retryMillis, Predicate<String> alive) {
        Map<String, List<String>> grafts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, Awaited>> it = byOrigin.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Awaited> e = it.next();
            Awaited a = e.getValue();
            if (a.dueMillis > now) {
                continue;
            }
            a.announcers.removeIf(alive.negate());
            if (a.announcers.isEmpty() || a.grafts >= MAX_GRAFTS) {
                it.remove();
                forgetAnnouncer(a);
                continue;
            }
            String to = a.announcers.get(a.grafts % a.announcers.size());
            a.grafts++;
            a.dueMillis = now + retryMillis;
            grafts.computeIfAbsent(to, k -> new ArrayList<>()).add(e.getKey());
        }
        return grafts;
    }

    private void forgetAnnouncer(Awaited a) {
        byAnnouncer.computeIfPresent(a.firstAnnouncer, (k, v) -> v > 1 ? v - 1 : null);
    }
}

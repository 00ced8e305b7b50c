package org.decwebrtc.turn.server;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Ports held back by EVEN-PORT with the R bit (RFC 8656 §7.2): the odd port above an even relayed port waits
 * 30 s for an Allocate carrying its RESERVATION-TOKEN, then goes back to the pool. Shared by the event loops
 * (the RTCP Allocate may arrive on another loop than the RTP one), hence synchronized.
 */
public final class Reservations {
    static final long HOLD_MILLIS = 30_000;

    private record Held(int port, long expiresAt) {
    }

    private final Map<Long, Held> byToken = new HashMap<>();
    public Reservations() {
    }

    private final SecureRandom random = new SecureRandom();

    synchronized long hold(int port, long now) {
        long token;
        do {
            token = random.nextLong();
        } while (byToken.containsKey(token));
        byToken.put(token, new Held(port, now + HOLD_MILLIS));
        return token;
    }

    /** The reserved port, removed from the reservations, or -1 if unknown or expired (then released). */
    synchronized int take(long token, long now, IntConsumer release) {
        Held h = byToken.remove(token);
        if (h == null) {
            return -1;
        }
        if (h.expiresAt <= now) {
            release.accept(h.port);
            return -1;
        }
        return h.port;
    }

    synchronized void sweep(long now, IntConsumer release) {
        for (Iterator<Held> it = byToken.values().iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.expiresAt <= now) {
                it.remove();
                release.accept(h.port);
            }
        }
    }

    public synchronized int size() {
        return byToken.size();
    }
}

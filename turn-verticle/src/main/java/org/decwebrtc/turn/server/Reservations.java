package org.decwebrtc.turn.server;

import org.decwebrtc.turn.alloc.Quotas;
import org.decwebrtc.turn.alloc.RelayPortPool;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Ports held back by EVEN-PORT with the R bit (RFC 8656 §7.2): the odd port above an even relayed port waits
 * 30 s for an Allocate carrying its RESERVATION-TOKEN, then goes back to the pool. A reservation holds an
 * allocation quota slot of the user who made it, as an allocation does: otherwise a user could park most of the
 * port range in reservations by allocating and deleting in a loop. The slot passes to the allocation that
 * redeems the token. Shared by the event loops (the RTCP Allocate may arrive on another loop than the RTP one),
 * hence synchronized.
 */
public final class Reservations {
    static final long HOLD_MILLIS = 30_000;

    /** A reserved port and the user whose quota slot it holds. */
    public record Held(int port, String user, java.net.InetAddress source, long expiresAt) {
    }

    private final Map<Long, Held> byToken = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final RelayPortPool ports;
    private final Quotas quotas;

    public Reservations(RelayPortPool ports, Quotas quotas) {
        this.ports = ports;
        this.quotas = quotas;
    }

    /** Holds {@code port} under a quota slot the caller already took for {@code user}; returns the token. */
    synchronized long hold(int port, String user, java.net.InetAddress source, long now) {
        long token;
        do {
            token = random.nextLong();
        } while (byToken.containsKey(token));
        byToken.put(token, new Held(port, user, source, now + HOLD_MILLIS));
        return token;
    }

    /**
     * The reservation, removed: its port and quota slot now belong to the caller. Null if unknown or expired
     * (an expired one is freed here).
     */
    synchronized Held take(long token, long now) {
        Held h = byToken.remove(token);
        if (h == null) {
            return null;
        }
        if (h.expiresAt <= now) {
            free(h);
            return null;
        }
        return h;
    }

    synchronized void sweep(long now) {
        for (Iterator<Held> it = byToken.values().iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.expiresAt <= now) {
                it.remove();
                free(h);
            }
        }
    }

    private void free(Held h) {
        ports.release(h.port);
        quotas.release(h.user, h.source);
    }

    public synchronized int size() {
        return byToken.size();
    }
}

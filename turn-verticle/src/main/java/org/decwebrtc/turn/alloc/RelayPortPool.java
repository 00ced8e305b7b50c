package org.decwebrtc.turn.alloc;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Relay ports from a configured range, each handed out at random among the free ones (RFC 8656 §6.2 asks for
 * unpredictable relayed ports). Random choice also keeps ports that another process holds (bind failures,
 * returned with {@link #release}) from clustering and being hit again in a row, and makes it unlikely that a
 * just-freed port is re-used at once while the old peer may still be sending to it. O(1) per operation;
 * shared by the event loops serving TURN, hence synchronized (a few nanoseconds per Allocate, not per packet).
 */
public final class RelayPortPool {
    private final int min;
    private final int max;
    private final int[] free;
    /** Index of each port in {@link #free}, or -1 while in use. */
    private final int[] position;
    private int freeCount;
    private final Random random;

    public RelayPortPool(int min, int max) {
        this(min, max, new SecureRandom());
    }

    RelayPortPool(int min, int max, Random random) {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("relay port range must be within 1-65535 and min <= max, got " + min + "-" + max);
        }
        this.min = min;
        this.max = max;
        this.random = random;
        int n = max - min + 1;
        free = new int[n];
        position = new int[n];
        for (int i = 0; i < n; i++) {
            free[i] = min + i;
            position[i] = i;
        }
        freeCount = n;
    }

    /** A free port, or -1 when the range is exhausted. */
    public synchronized int acquire() {
        if (freeCount == 0) {
            return -1;
        }
        int port = free[random.nextInt(freeCount)];
        take(port);
        return port;
    }

    /** Takes one specific port (EVEN-PORT pairs); false if it is taken or outside the range. */
    public synchronized boolean acquire(int port) {
        if (port < min || port > max || position[port - min] < 0) {
            return false;
        }
        take(port);
        return true;
    }

    private void take(int port) {
        int at = position[port - min];
        int last = free[--freeCount];
        free[at] = last;
        position[last - min] = at;
        position[port - min] = -1;
    }

    /** Returns a port; releasing a free or foreign port is ignored. */
    public synchronized void release(int port) {
        if (port >= min && port <= max && position[port - min] < 0) {
            free[freeCount] = port;
            position[port - min] = freeCount++;
        }
    }

    public int size() {
        return free.length;
    }

    public synchronized int available() {
        return freeCount;
    }

    public synchronized int inUse() {
        return free.length - freeCount;
    }

    @Override
    public String toString() {
        return "RelayPortPool[" + min + "-" + max + ", " + freeCount + " free]";
    }
}

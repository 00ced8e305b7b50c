package org.decwebrtc.turn.alloc;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * Relay ports from a configured range, handed out in random order (RFC 8656 §6.2 asks for unpredictable
 * relayed ports) and put back at the end of the queue when an allocation ends, so a freed port is not
 * immediately re-used for someone else while the old peer may still be sending to it.
 */
public final class RelayPortPool {
    private final int min;
    private final int max;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final BitSet inUse = new BitSet();

    public RelayPortPool(int min, int max) {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("relay port range must be within 1-65535 and min <= max, got " + min + "-" + max);
        }
        this.min = min;
        this.max = max;
        List<Integer> ports = new ArrayList<>(max - min + 1);
        for (int p = min; p <= max; p++) {
            ports.add(p);
        }
        Collections.shuffle(ports, new SecureRandom());
        free.addAll(ports);
    }

    /** A free port, or -1 when the range is exhausted. */
    public int acquire() {
        Integer p = free.pollFirst();
        if (p == null) {
            return -1;
        }
        inUse.set(p);
        return p;
    }

    /** Takes one specific port (EVEN-PORT pairs); false if it is taken or outside the range. */
    public boolean acquire(int port) {
        if (port < min || port > max || inUse.get(port)) {
            return false;
        }
        free.remove(port);
        inUse.set(port);
        return true;
    }

    public void release(int port) {
        if (port >= min && port <= max && inUse.get(port)) {
            inUse.clear(port);
            free.addLast(port);
        }
    }

    public int size() {
        return max - min + 1;
    }

    public int available() {
        return free.size();
    }

    public int inUse() {
        return inUse.cardinality();
    }
}

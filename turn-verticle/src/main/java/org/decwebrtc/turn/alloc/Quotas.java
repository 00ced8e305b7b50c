package org.decwebrtc.turn.alloc;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-user and total allocation counts, shared by every event loop serving TURN. A slot is reserved before
 * any socket is opened (so two loops cannot both take the last one) and given back if the allocation is not
 * created after all, or when it ends.
 */
public final class Quotas {
    public enum Admission { OK, USER_QUOTA, TOTAL_QUOTA }

    private final int maxPerUser;
    private final int maxTotal;
    private final Map<String, Integer> perUser = new HashMap<>();
    private int total;

    public Quotas(int maxPerUser, int maxTotal) {
        this.maxPerUser = maxPerUser;
        this.maxTotal = maxTotal;
    }

    /** Takes a slot for {@code user} if both quotas allow it. */
    public synchronized Admission reserve(String user) {
        if (total >= maxTotal) {
            return Admission.TOTAL_QUOTA;
        }
        int mine = perUser.getOrDefault(user, 0);
        if (mine >= maxPerUser) {
            return Admission.USER_QUOTA;
        }
        perUser.put(user, mine + 1);
        total++;
        return Admission.OK;
    }

    public synchronized void release(String user) {
        Integer mine = perUser.get(user);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            perUser.remove(user);
        } else {
            perUser.put(user, mine - 1);
        }
        total--;
    }

    public synchronized int total() {
        return total;
    }

    public synchronized int userCount(String user) {
        return perUser.getOrDefault(user, 0);
    }

    public synchronized int users() {
        return perUser.size();
    }
}

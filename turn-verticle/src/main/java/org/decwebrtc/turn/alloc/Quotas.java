package org.decwebrtc.turn.alloc;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-user and total allocation counts, shared by every event loop serving TURN. A slot is reserved before
 * any socket is opened (so two loops cannot both take the last one) and given back if the allocation is not
 * created after all, or when it ends.
 */
public final class Quotas {
    public enum Admission { OK, USER_QUOTA, ADDRESS_QUOTA, TOTAL_QUOTA }

    private final int maxPerUser;
    private final int maxPerAddress;
    private final int maxTotal;
    private final Map<String, Integer> perUser = new HashMap<>();
    private final Map<java.net.InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    public Quotas(int maxPerUser, int maxTotal) {
        this(maxPerUser, Integer.MAX_VALUE, maxTotal);
    }

    /**
     * {@code maxPerAddress}: slots per client IP, whatever the user: fresh names (each with its own per-user
     * quota) from one host do not add up to the whole relay.
     */
    public Quotas(int maxPerUser, int maxPerAddress, int maxTotal) {
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.maxTotal = maxTotal;
    }

    /** Takes a slot for {@code user} if both quotas allow it. */
    public synchronized Admission reserve(String user) {
        return reserve(user, null);
    }

    /** Takes a slot for {@code user} from client {@code source} (null: not counted by address) if every quota allows it. */
    public synchronized Admission reserve(String user, java.net.InetAddress source) {
        if (total >= maxTotal) {
            return Admission.TOTAL_QUOTA;
        }
        int mine = perUser.getOrDefault(user, 0);
        if (mine >= maxPerUser) {
            return Admission.USER_QUOTA;
        }
        if (source != null && perAddress.getOrDefault(source, 0) >= maxPerAddress) {
            return Admission.ADDRESS_QUOTA;
        }
        perUser.put(user, mine + 1);
        if (source != null) {
            perAddress.merge(source, 1, Integer::sum);
        }
        total++;
        return Admission.OK;
    }

    public synchronized void release(String user) {
        release(user, null);
    }

    public synchronized void release(String user, java.net.InetAddress source) {
        Integer mine = perUser.get(user);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            perUser.remove(user);
        } else {
            perUser.put(user, mine - 1);
        }
        if (source != null) {
            perAddress.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
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

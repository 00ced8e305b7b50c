package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.NodeInfo;
import org.decwebrtc.gossip.wire.OriginSeq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The newest signed link record of every origin held, with an order-independent digest of (origin, seq) in total
 * and per bucket for anti-entropy. Records are stored re-encoded from known fields only. Not thread-safe: owned by
 * the gossip verticle's event loop.
 *
 * <p>Every name a held record mentions (its origin, the neighbours it lists) has a small integer id while it is
 * mentioned, and each record keeps the ids of the neighbours it lists: route computations walk arrays of ints
 * instead of looking names up in maps (with thousands of origins, a node computes every route again about once a
 * second while the network changes, and name lookups were most of that work).
 */
final class LinkRecords {
    static final int BUCKETS = 32;
    static final int MAX_NEIGHBOURS_LISTED = 64;
    static final int MAX_INFO_CHARS = 300;
    static final int MAX_KEY_BYTES = 128;

    /** A stored record, the ids of the names it mentions, and since when it is unreachable (0 while reachable). */
    static final class Stored {
        final LinkRecord record;
        final long hash;
        /** The origin's id, and the ids of the neighbours the record lists, in the record's order. */
        final int id;
        final int[] listed;
        long unreachableSinceMillis;
        private String fingerprint;

        /** The public key's fingerprint as the directory shows it, computed once per record. */
        String fingerprint() {
            if (fingerprint == null) {
                fingerprint = org.decwebrtc.api.KeyFingerprint.of(record.getPublicKey().toByteArray());
            }
            return fingerprint;
        }

        Stored(LinkRecord record, long hash, long nowMillis, int id, int[] listed) {
            this.record = record;
            this.hash = hash;
            this.unreachableSinceMillis = nowMillis;
            this.id = id;
            this.listed = listed;
        }

        /** True if this record is the one of sequence number {@code seq}, or newer (seqs compare unsigned). */
        boolean holdsAtLeast(long seq) {
            return Long.compareUnsigned(seq, record.getSeq()) <= 0;
        }

        /** True if this record lists the name with id {@code other}. */
        boolean lists(int other) {
            for (int v : listed) {
                if (v == other) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, Stored> byOrigin = new HashMap<>();
    @SuppressWarnings("unchecked")
    private final Map<String, Stored>[] byBucket = new Map[BUCKETS];
    private final Map<String, Integer> ids = new HashMap<>();
    private String[] names = new String[16];
    /** How many held records mention each id (as origin or as a listed neighbour); 0 = free. */
    private int[] mentions = new int[16];
    private Stored[] byId = new Stored[16];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int idLimit;

    private final long[] buckets = new long[BUCKETS];
    private long root;

    LinkRecords() {
        for (int i = 0; i < BUCKETS; i++) {
            byBucket[i] = new HashMap<>();
        }
    }

    Stored get(String origin) {
        return byOrigin.get(origin);
    }

    int size() {
        return byOrigin.size();
    }

    Collection<Stored> all() {
        return byOrigin.values();
    }

    /** Stores a checked, canonical record in place of any older one of its origin. */
    Stored put(LinkRecord record, long nowMillis) {
        String origin = record.getOrigin();
        int id = mention(origin);
        int[] listed = new int[record.getNeighboursCount()];
        int count = 0;
        for (String name : record.getNeighboursList()) {
            int v = mention(name);
            boolean repeated = v == id;
            for (int i = 0; i < count && !repeated; i++) {
                repeated = listed[i] == v;
            }
            if (repeated) {
                forgetMention(v); // a name listed twice, or the origin listing itself, is one mention or none
            } else {
                listed[count++] = v;
            }
        }
        // The old record's mentions go after the new one's are counted, so ids both share stay the same.
        remove(origin);
        long h = hash(origin, record.getSeq());
        Stored stored = new Stored(record, h, nowMillis, id, java.util.Arrays.copyOf(listed, count));
        byOrigin.put(origin, stored);
        byBucket[bucket(origin)].put(origin, stored);
        byId[id] = stored;
        root ^= h;
        buckets[bucket(origin)] ^= h;
        return stored;
    }

    Stored remove(String origin) {
        Stored old = byOrigin.remove(origin);
        if (old != null) {
            byBucket[bucket(origin)].remove(origin);
            root ^= old.hash;
            buckets[bucket(origin)] ^= old.hash;
            byId[old.id] = null;
            forgetMention(old.id);
            for (int v : old.listed) {
                forgetMention(v);
            }
        }
        return old;
    }

    /** The id of a name some held record mentions, or -1. */
    int idOf(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    String nameOf(int id) {
        return names[id];
    }

    /** The record held for the origin with this id, or null (a name only listed by others). */
    Stored byId(int id) {
        return byId[id];
    }

    /** Every id in use is below this. */
    int idLimit() {
        return idLimit;
    }

    private int mention(String name) {
        Integer known = ids.get(name);
        if (known != null) {
            mentions[known]++;
            return known;
        }
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = idLimit++;
            if (id == names.length) {
                int size = names.length * 2;
                names = java.util.Arrays.copyOf(names, size);
                mentions = java.util.Arrays.copyOf(mentions, size);
                byId = java.util.Arrays.copyOf(byId, size);
                freeIds = java.util.Arrays.copyOf(freeIds, size);
            }
        }
        ids.put(name, id);
        names[id] = name;
        mentions[id] = 1;
        return id;
    }

    private void forgetMention(int id) {
        if (--mentions[id] == 0) {
            ids.remove(names[id]);
            names[id] = null;
            freeIds[freeCount++] = id;
        }
    }

    long root() {
        return root;
    }

    long[] buckets() {
        return buckets.clone();
    }

    List<OriginSeq> inBuckets(Set<Integer> wanted) {
        List<OriginSeq> out = new ArrayList<>();
        for (int b : wanted) {
            if (b >= 0 && b < BUCKETS) {
                for (Stored s : byBucket[b].values()) {
                    out.add(OriginSeq.newBuilder().setOrigin(s.record.getOrigin()).setSeq(s.record.getSeq()).build());
                }
            }
        }
        return out;
    }

    static int bucket(String origin) {
        return Math.floorMod(origin.hashCode() * 0x9E3779B1, BUCKETS);
    }

    private static long hash(String origin, long seq) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(origin.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(seq).getBytes(StandardCharsets.UTF_8));
            byte[] d = sha.digest();
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a record is refused before its signature is checked, or null if its shape is acceptable. */
    static String shapeProblem(LinkRecord record, long nowMillis, GossipLimits limits) {
        String problem = originSeqProblem(record.getOrigin(), record.getSeq(), nowMillis, limits);
        if (problem != null) {
            return problem;
        }
        if (record.getPublicKey().isEmpty() || record.getPublicKey().size() > MAX_KEY_BYTES
                || record.getKexKey().size() > MAX_KEY_BYTES || record.getSignature().size() != 64) {
            return "bad key or signature size";
        }
        if (record.getNeighboursCount() > MAX_NEIGHBOURS_LISTED) {
            return "too many neighbours listed";
        }
        for (String n : record.getNeighboursList()) {
            if (!NodeNames.valid(n)) {
                return "bad neighbour name";
            }
        }
        if (!infoValid(record.getInfo().getStun()) || !infoValid(record.getInfo().getTurn())) {
            return "bad service address";
        }
        return null;
    }

    /**
     * What is wrong with a record's origin and seq (as a record carries them, or an announcement of one), or null:
     * a name the {@code -name} rule refuses, seq 0, or a seq further in the future than the limits allow.
     */
    static String originSeqProblem(String origin, long seq, long nowMillis, GossipLimits limits) {
        if (!NodeNames.valid(origin)) {
            return "bad origin name";
        }
        if (seq == 0 || Long.compareUnsigned(seq, nowMillis + limits.maxFutureMillis()) > 0) {
            return "seq " + Long.toUnsignedString(seq) + " is in the future";
        }
        return null;
    }

    private static boolean infoValid(String hostPort) {
        return hostPort.length() <= MAX_INFO_CHARS && hostPort.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** The record rebuilt from the fields this version knows: nothing else is stored or passed on. */
    static LinkRecord canonical(LinkRecord record) {
        return LinkRecord.newBuilder().setOrigin(record.getOrigin()).setSeq(record.getSeq())
                .setInfo(NodeInfo.newBuilder().setStun(record.getInfo().getStun()).setTurn(record.getInfo().getTurn()))
                .setPublicKey(record.getPublicKey()).setKexKey(record.getKexKey())
                .addAllNeighbours(record.getNeighboursList()).setSignature(record.getSignature()).build();
    }
}

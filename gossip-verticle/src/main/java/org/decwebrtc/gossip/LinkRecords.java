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
 */
final class LinkRecords {
    static final int BUCKETS = 32;
    static final int MAX_NEIGHBOURS_LISTED = 64;
    static final int MAX_INFO_CHARS = 300;
    static final int MAX_KEY_BYTES = 128;

    /** A stored record, its neighbour names as a set, and since when it is unreachable (0 while reachable). */
    static final class Stored {
        final LinkRecord record;
        final Set<String> neighbours;
        final long hash;
        long unreachableSinceMillis;
        private String fingerprint;

        /** The public key's fingerprint as the directory shows it, computed once per record. */
        String fingerprint() {
            if (fingerprint == null) {
                fingerprint = org.decwebrtc.api.KeyFingerprint.of(record.getPublicKey().toByteArray());
            }
            return fingerprint;
        }

        Stored(LinkRecord record, long hash, long nowMillis) {
            this.record = record;
            this.neighbours = Set.copyOf(record.getNeighboursList());
            this.hash = hash;
            this.unreachableSinceMillis = nowMillis;
        }
    }

    private final Map<String, Stored> byOrigin = new HashMap<>();
    private final long[] buckets = new long[BUCKETS];
    private long root;

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
        remove(record.getOrigin());
        long h = hash(record.getOrigin(), record.getSeq());
        Stored stored = new Stored(record, h, nowMillis);
        byOrigin.put(record.getOrigin(), stored);
        root ^= h;
        buckets[bucket(record.getOrigin())] ^= h;
        return stored;
    }

    Stored remove(String origin) {
        Stored old = byOrigin.remove(origin);
        if (old != null) {
            root ^= old.hash;
            buckets[bucket(origin)] ^= old.hash;
        }
        return old;
    }

    long root() {
        return root;
    }

    long[] buckets() {
        return buckets.clone();
    }

    List<OriginSeq> inBuckets(Set<Integer> wanted) {
        List<OriginSeq> out = new ArrayList<>();
        for (Stored s : byOrigin.values()) {
            if (wanted.contains(bucket(s.record.getOrigin()))) {
                out.add(OriginSeq.newBuilder().setOrigin(s.record.getOrigin()).setSeq(s.record.getSeq()).build());
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
        if (!NodeNames.valid(record.getOrigin())) {
            return "bad origin name";
        }
        if (record.getSeq() == 0 || Long.compareUnsigned(record.getSeq(), nowMillis + limits.maxFutureMillis()) > 0) {
            return "seq " + Long.toUnsignedString(record.getSeq()) + " is in the future";
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

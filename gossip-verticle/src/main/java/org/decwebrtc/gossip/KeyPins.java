package org.decwebrtc.gossip;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.KeyWarning;
import org.decwebrtc.gossip.wire.LinkRecord;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names pinned to the public key first seen for them, kept for {@code pinDays} after the node was last seen (so a
 * user who goes quiet for a while cannot be impersonated), with the highest seq seen (a restarted node must come
 * back with a newer one, and nobody can replay its old records). A claim of a pinned name with another key is
 * refused and kept as a warning until the user accepts the new key. Persisted in the data directory by the verticle.
 * Not thread-safe: owned by the gossip verticle's event loop.
 */
final class KeyPins {
    private static final int MAX_WARNINGS = 100;

    private static final class Pin {
        final byte[] key;
        final String fingerprint;
        long lastSeenMillis;
        long lastSeq;

        Pin(byte[] key, String fingerprint, long lastSeenMillis, long lastSeq) {
            this.key = key;
            this.fingerprint = fingerprint;
            this.lastSeenMillis = lastSeenMillis;
            this.lastSeq = lastSeq;
        }
    }

    private record Claim(KeyWarning warning, LinkRecord record) {
    }

    enum Check { UNPINNED, SAME_KEY, OTHER_KEY }

    private final GossipLimits limits;
    private final Map<String, Pin> pins = new HashMap<>();
    private final Map<String, Integer> namesPerKey = new HashMap<>();
    private final Map<String, Claim> warnings = new LinkedHashMap<>();
    private boolean dirty;
    /** Only sequence numbers or last-seen days moved: worth saving, but not urgently. */
    private boolean touched;

    KeyPins(GossipLimits limits) {
        this.limits = limits;
    }

    Check check(String name, byte[] key) {
        Pin pin = pins.get(name);
        if (pin == null) {
            return Check.UNPINNED;
        }
        return MessageDigest.isEqual(pin.key, key) ? Check.SAME_KEY : Check.OTHER_KEY;
    }

    /** True if {@code key} may pin one more name (it holds fewer than the cap). */
    boolean mayPinAnotherName(byte[] key) {
        return namesPerKey.getOrDefault(fingerprint(key), 0) < limits.maxNamesPerKey();
    }

    /** Highest seq seen of a pinned name, or 0. */
    long lastSeq(String name) {
        Pin pin = pins.get(name);
        return pin == null ? 0 : pin.lastSeq;
    }

    /** Records that {@code name} was seen with {@code key} (which {@link #check} found unpinned or the same). */
    void seen(String name, byte[] key, long seq, long nowMillis) {
        Pin pin = pins.get(name);
        if (pin == null) {
            if (pins.size() >= limits.maxPins()) {
                evictOldest();
            }
            String fp = fingerprint(key);
            pins.put(name, new Pin(key.clone(), fp, nowMillis, seq));
            namesPerKey.merge(fp, 1, Integer::sum);
            dirty = true;
            return;
        }
        if (seq > pin.lastSeq) {
            pin.lastSeq = seq;
            touched = true;
        }
        // Saving each time a node is seen would write constantly; a day's precision is plenty for a 30-day pin.
        if (nowMillis - pin.lastSeenMillis > 60_000) {
            pin.lastSeenMillis = nowMillis;
            touched = true;
        }
    }

    int size() {
        return pins.size();
    }

    /** Records a refused claim; returns the warning if it is new (a repeat only moves its time). */
    KeyWarning refuse(LinkRecord record, long nowMillis) {
        Pin pin = pins.get(record.getOrigin());
        String newFp = fingerprint(record.getPublicKey().toByteArray());
        String id = record.getOrigin() + "\n" + newFp;
        Claim old = warnings.remove(id);
        KeyWarning warning = new KeyWarning(record.getOrigin(), pin.fingerprint, newFp, nowMillis);
        warnings.put(id, new Claim(warning, record));
        while (warnings.size() > MAX_WARNINGS) {
            warnings.remove(warnings.keySet().iterator().next());
        }
        return old == null ? warning : null;
    }

    List<KeyWarning> warnings() {
        return warnings.values().stream().map(Claim::warning).toList();
    }

    /** The user accepts the key of a warning: the name is pinned to it; returns the refused record, or null. */
    LinkRecord accept(String name, String newFingerprint) {
        Claim claim = warnings.remove(name + "\n" + newFingerprint);
        if (claim == null) {
            return null;
        }
        Pin old = pins.remove(name);
        if (old != null) {
            namesPerKey.computeIfPresent(old.fingerprint, (k, v) -> v <= 1 ? null : v - 1);
        }
        warnings.values().removeIf(c -> c.warning().name().equals(name));
        dirty = true;
        return claim.record();
    }

    /** Forgets pins not seen for {@code pinDays}; returns how many went. */
    int expire(long nowMillis) {
        long cutoff = nowMillis - limits.pinDays() * 86_400_000L;
        List<String> gone = pins.entrySet().stream().filter(e -> e.getValue().lastSeenMillis < cutoff)
                .map(Map.Entry::getKey).toList();
        gone.forEach(this::remove);
        return gone.size();
    }

    private void evictOldest() {
        pins.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().lastSeenMillis))
                .map(Map.Entry::getKey).ifPresent(this::remove);
    }

    private void remove(String name) {
        Pin pin = pins.remove(name);
        if (pin != null) {
            namesPerKey.computeIfPresent(pin.fingerprint, (k, v) -> v <= 1 ? null : v - 1);
            dirty = true;
        }
    }

    /**
     * Whether the table changed since the last call: a pin added, dropped or replaced, or, with
     * {@code touchesToo}, only a sequence number or a last-seen day moved (in a network of thousands those move
     * every second, and a table of thousands of pins is not worth writing that often).
     */
    boolean takeDirty(boolean touchesToo) {
        boolean was = dirty || touchesToo && touched;
        if (was) {
            dirty = false;
            touched = false;
        }
        return was;
    }

    JsonObject toJson() {
        JsonArray list = new JsonArray();
        pins.forEach((name, pin) -> list.add(new JsonObject().put("name", name)
                .put("key", Base64.getEncoder().encodeToString(pin.key))
                .put("lastSeen", pin.lastSeenMillis).put("lastSeq", Long.toUnsignedString(pin.lastSeq))));
        return new JsonObject().put("version", 1).put("pins", list);
    }

    /** Loads what {@link #toJson} wrote; entries that do not parse are skipped. */
    void load(JsonObject json, long nowMillis) {
        for (Object o : json.getJsonArray("pins", new JsonArray())) {
            try {
                JsonObject p = (JsonObject) o;
                String name = p.getString("name");
                byte[] key = Base64.getDecoder().decode(p.getString("key"));
                if (!NodeNames.valid(name) || key.length == 0 || key.length > 128 || pins.size() >= limits.maxPins()) {
                    continue;
                }
                String fp = fingerprint(key);
                pins.put(name, new Pin(key, fp, Math.min(nowMillis, p.getLong("lastSeen")),
                        Long.parseUnsignedLong(p.getString("lastSeq"))));
                namesPerKey.merge(fp, 1, Integer::sum);
            } catch (RuntimeException e) {
                // a damaged entry costs only that pin
            }
        }
        expire(nowMillis);
    }

    static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> names() {
        return new ArrayList<>(pins.keySet());
    }
}

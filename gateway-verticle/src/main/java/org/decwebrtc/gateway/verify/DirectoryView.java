package org.decwebrtc.gateway.verify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * The directory as the user sees it: each user gets its safety number with this user ({@code safetyNumber}),
 * whether the user verified it ({@code verified}), and {@code keyChanged} when the name now comes with another key
 * than the one kept (seen here, or reported by gossip's key pins as {@code keyWarnings}).
 */
public final class DirectoryView {
    private final ContactKeys keys;
    private final Map<String, String> safetyNumbers = new HashMap<>();

    public DirectoryView(ContactKeys keys) {
        this.keys = keys;
    }

    public JsonObject enrich(JsonObject directory) {
        JsonObject view = directory.copy();
        String me = view.getValue("name") instanceof String n ? n : null;
        String myKey = view.getValue("fingerprint") instanceof String f ? f : null;
        JsonArray warned = view.getValue("keyWarnings") instanceof JsonArray w ? w : new JsonArray();
        JsonArray users = view.getValue("users") instanceof JsonArray u ? u : new JsonArray();
        view.put("users", users);
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (Object o : users) {
            if (o instanceof JsonObject user && user.getValue("name") instanceof String name) {
                listed.add(name);
            }
        }
        // Gossip refuses a pinned name's new key, so that name may be missing from the users: it is listed anyway,
        // flagged, so the user sees it and meets the warning before calling.
        for (Object o : warned) {
            if (o instanceof JsonObject warning && warning.getValue("name") instanceof String name && listed.add(name)) {
                users.add(new JsonObject().put("name", name).put("hops", 0).put("fingerprint",
                        warning.getValue("oldFingerprint") instanceof String old ? old : null));
            }
        }
        for (Object o : users) {
            if (!(o instanceof JsonObject user) || !(user.getValue("name") instanceof String name)) {
                continue;
            }
            String key = user.getValue("fingerprint") instanceof String f ? f : null;
            boolean changed = keys.observe(name, key) || warnedAbout(warned, name);
            String shown = changed ? keys.keptKey(name) : key; // the number of the key the user knows
            user.put("safetyNumber", safetyNumber(me, myKey, name, shown));
            user.put("verified", !changed && keys.verified(name, key));
            user.put("keyChanged", changed);
        }
        return view;
    }

    private String safetyNumber(String me, String myKey, String name, String key) {
        if (me == null || myKey == null || key == null) {
            return null;
        }
        // Thousands of SHA-512 rounds: computed once per pair of keys (the cache is bounded by the directory).
        if (safetyNumbers.size() > 20_000) {
            safetyNumbers.clear();
        }
        return safetyNumbers.computeIfAbsent(me + '\0' + myKey + '\0' + name + '\0' + key,
                k -> SafetyNumber.of(me, myKey, name, key));
    }

    private static boolean warnedAbout(JsonArray warnings, String name) {
        for (Object w : warnings) {
            if (w instanceof JsonObject warning && name.equals(warning.getValue("name"))) {
                return true;
            }
        }
        return false;
    }
}

package org.decwebrtc.gateway.verify;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * What this user knows of other users' keys, kept in {@code <dataDir>/contact-keys.json}: the key first seen for
 * each name (and kept until the user accepts another), the key the user verified by comparing safety numbers, and
 * the names now seen with a different key than the one kept, which the page shows as a warning before a call.
 */
public final class ContactKeys {
    public static final String FILE = "contact-keys.json";
    /** A node may know many names; past this, new names are not remembered (existing ones still are checked). */
    static final int MAX_CONTACTS = 10_000;
    private static final Logger LOG = Logger.getLogger(ContactKeys.class.getName());

    private final Path file;
    private final Map<String, String> known = new HashMap<>();
    private final Map<String, String> verified = new HashMap<>();
    private final Map<String, String> changed = new HashMap<>();

    public ContactKeys(Path dataDir) {
        this.file = dataDir.resolve(FILE);
        load();
    }

    /** Notes the key a name is seen with now; returns true when it differs from the key kept for the name. */
    public boolean observe(String name, String fingerprint) {
        if (name == null || fingerprint == null) {
            return false;
        }
        String kept = known.get(name);
        if (kept == null) {
            if (known.size() < MAX_CONTACTS) {
                known.put(name, fingerprint);
                save();
            }
            return false;
        }
        if (kept.equals(fingerprint)) {
            changed.remove(name);
            return false;
        }
        if (!fingerprint.equals(changed.put(name, fingerprint))) {
            LOG.warning(() -> "the key of '" + name + "' changed: kept " + kept.substring(0, 16) + "…, now "
                    + fingerprint.substring(0, Math.min(16, fingerprint.length())) + "…");
        }
        return true;
    }

    public boolean keyChanged(String name) {
        return changed.containsKey(name);
    }

    public String keptKey(String name) {
        return known.get(name);
    }

    public String newKey(String name) {
        return changed.get(name);
    }

    public boolean verified(String name, String fingerprint) {
        return fingerprint != null && fingerprint.equals(verified.get(name)) && !changed.containsKey(name);
    }

    /** The user compared safety numbers for {@code name}'s current key. Returns an error, or null. */
    public String verify(String name, String fingerprint) {
        if (name == null || fingerprint == null || !fingerprint.equals(known.get(name)) || changed.containsKey(name)) {
            return "cannot verify " + name + ": no settled key for that name (accept or refuse its new key first)";
        }
        verified.put(name, fingerprint);
        save();
        return null;
    }

    /** The user accepts the new key of a changed name: it becomes the kept key, not verified. Error or null. */
    public String acceptNewKey(String name) {
        String fresh = changed.remove(name);
        if (fresh == null) {
            return "no key change to accept for " + name;
        }
        known.put(name, fresh);
        verified.remove(name);
        save();
        return null;
    }

    /** The user accepts {@code fingerprint} as {@code name}'s key (reported by gossip): kept, not verified. */
    public void accept(String name, String fingerprint) {
        changed.remove(name);
        known.put(name, fingerprint);
        verified.remove(name);
        save();
    }

    private void load() {
        try {
            if (!Files.exists(file)) {
                return;
            }
            JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            JsonObject contacts = json.getJsonObject("contacts", new JsonObject());
            for (String name : contacts.fieldNames()) {
                if (contacts.getValue(name) instanceof JsonObject c && c.getValue("key") instanceof String key) {
                    known.put(name, key);
                    if (c.getValue("verified") instanceof String v) {
                        verified.put(name, v);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> file + " unreadable, starting with no known keys: " + e.getMessage());
        }
    }

    private void save() {
        JsonObject contacts = new JsonObject();
        known.forEach((name, key) -> {
            JsonObject c = new JsonObject().put("key", key);
            if (verified.containsKey(name)) {
                c.put("verified", verified.get(name));
            }
            contacts.put(name, c);
        });
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.writeString(tmp, new JsonObject().put("contacts", contacts).encodePrettily(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning(() -> "cannot save " + file + ": " + e.getMessage());
        }
    }
}

package org.decwebrtc.gateway.verify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SafetyNumberTest {
    private static final String ALICE = "a".repeat(64);
    private static final String BOB = "b".repeat(64);
    private static final String MALLORY = "c".repeat(64);

    @TempDir
    Path dir;

    @Test
    void bothSidesComputeTheSameThirtyDigits() {
        String seenByAlice = SafetyNumber.of("alice", ALICE, "bob", BOB);
        String seenByBob = SafetyNumber.of("bob", BOB, "alice", ALICE);
        assertThat(seenByAlice).isEqualTo(seenByBob).matches("(\\d{5} ){5}\\d{5}");
    }

    @Test
    void anotherKeyOrAnotherNameGivesAnotherNumber() {
        String real = SafetyNumber.of("alice", ALICE, "bob", BOB);
        assertThat(SafetyNumber.of("alice", ALICE, "bob", MALLORY)).isNotEqualTo(real);
        assertThat(SafetyNumber.of("alice", ALICE, "bob2", BOB)).isNotEqualTo(real);
        assertThat(SafetyNumber.of("alice", ALICE, "bob", null)).isNull();
    }

    @Test
    void aKeyChangeIsFlaggedAndTheVerifiedMarkIsKeptInTheDataDirectory() {
        ContactKeys keys = new ContactKeys(dir);
        DirectoryView view = new DirectoryView(keys);
        JsonObject first = view.enrich(directory(BOB));
        JsonObject bob = first.getJsonArray("users").getJsonObject(0);
        assertThat(bob.getString("safetyNumber")).isEqualTo(SafetyNumber.of("alice", ALICE, "bob", BOB));
        assertThat(bob.getBoolean("verified")).isFalse();
        assertThat(keys.verify("bob", BOB)).isNull();

        // A restart of alice's node keeps what she verified.
        ContactKeys reloaded = new ContactKeys(dir);
        DirectoryView again = new DirectoryView(reloaded);
        assertThat(again.enrich(directory(BOB)).getJsonArray("users").getJsonObject(0).getBoolean("verified")).isTrue();

        // "bob" shows up with another key: flagged, no longer verified, the number shown stays the known key's.
        JsonObject changed = again.enrich(directory(MALLORY)).getJsonArray("users").getJsonObject(0);
        assertThat(changed.getBoolean("keyChanged")).isTrue();
        assertThat(changed.getBoolean("verified")).isFalse();
        assertThat(changed.getString("safetyNumber")).isEqualTo(SafetyNumber.of("alice", ALICE, "bob", BOB));
        assertThat(reloaded.verify("bob", MALLORY)).contains("cannot verify");

        // The user accepts the new key: it is the kept key now, unverified.
        assertThat(reloaded.acceptNewKey("bob")).isNull();
        JsonObject accepted = again.enrich(directory(MALLORY)).getJsonArray("users").getJsonObject(0);
        assertThat(accepted.getBoolean("keyChanged")).isFalse();
        assertThat(accepted.getBoolean("verified")).isFalse();
        assertThat(accepted.getString("safetyNumber")).isEqualTo(SafetyNumber.of("alice", ALICE, "bob", MALLORY));
    }

    @Test
    void gossipsKeyWarningsFlagTheNameToo() {
        DirectoryView view = new DirectoryView(new ContactKeys(dir));
        JsonObject directory = directory(BOB).put("keyWarnings", new JsonArray()
                .add(new JsonObject().put("name", "bob").put("oldFingerprint", BOB).put("newFingerprint", MALLORY)));
        assertThat(view.enrich(directory).getJsonArray("users").getJsonObject(0).getBoolean("keyChanged")).isTrue();
    }

    @Test
    void aNameGossipHoldsBackIsListedFlaggedWithTheKnownKeysNumber() {
        DirectoryView view = new DirectoryView(new ContactKeys(dir));
        JsonObject directory = new JsonObject().put("name", "alice").put("fingerprint", ALICE)
                .put("users", new JsonArray()).put("keyWarnings", new JsonArray().add(new JsonObject()
                        .put("name", "bob").put("oldFingerprint", BOB).put("newFingerprint", MALLORY)));
        JsonObject bob = view.enrich(directory).getJsonArray("users").getJsonObject(0);
        assertThat(bob.getString("name")).isEqualTo("bob");
        assertThat(bob.getBoolean("keyChanged")).isTrue();
        assertThat(bob.getString("safetyNumber")).isEqualTo(SafetyNumber.of("alice", ALICE, "bob", BOB));
    }

    private static JsonObject directory(String bobKey) {
        return new JsonObject().put("name", "alice").put("fingerprint", ALICE).put("peers", new JsonArray())
                .put("users", new JsonArray().add(new JsonObject().put("name", "bob").put("hops", 1)
                        .put("fingerprint", bobKey)));
    }
}

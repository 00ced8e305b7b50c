package org.decwebrtc.gateway.session;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.TabMessages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The browser and the gateway speak the same tab protocol: frontend/js/protocol.js, as Node.js imports it, holds
 * exactly the message types and call states of {@link TabMessages} — every Java constant is in protocol.js under
 * the same name with the same value, and protocol.js has nothing Java lacks.
 */
class TabProtocolContractTest {
    private static final Path PROTOCOL_JS = Path.of("..", "frontend", "js", "protocol.js").toAbsolutePath().normalize();
    private static JsonObject js;

    @BeforeAll
    static void importProtocolJs() throws IOException, InterruptedException {
        assertThat(PROTOCOL_JS).exists();
        String script = "const p = await import(process.argv[1]);"
                + "process.stdout.write(JSON.stringify(p));";
        Process node;
        try {
            node = new ProcessBuilder("node", "--input-type=module", "-e", script, PROTOCOL_JS.toUri().toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs Node.js ('node' on the PATH; ./test.sh installs it)", e);
        }
        try {
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                fail("node did not import protocol.js within 60 s");
            }
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as("node importing protocol.js: %s", out).isZero();
            js = new JsonObject(out);
        } finally {
            node.destroyForcibly();
        }
    }

    @Test
    void messagesFromTheTabAreTheSameOnBothSides() {
        assertSame("FROM_TAB", TabMessages.FromTab.class);
    }

    @Test
    void messagesToTheTabAreTheSameOnBothSides() {
        assertSame("TO_TAB", TabMessages.ToTab.class);
    }

    @Test
    void callStatesAreTheSameOnBothSides() {
        assertSame("CALL_STATES", TabMessages.CallStates.class);
        assertThat(TabMessages.constants(TabMessages.CallStates.class).values())
                .containsExactlyInAnyOrderElementsOf(TabMessages.STATES);
    }

    @Test
    void conferenceStatesAreTheSameOnBothSides() {
        assertSame("CONFERENCE_STATES", TabMessages.ConferenceStates.class);
        assertThat(js.getString("IN_CONFERENCE")).isEqualTo(TabMessages.IN_CONFERENCE);
    }

    @Test
    void socketPathAndSizeLimitAreTheSameOnBothSides() {
        assertThat(js.getString("WS_PATH")).isEqualTo(TabMessages.PATH);
        assertThat(js.getInteger("MAX_MESSAGE_BYTES")).isEqualTo(TabMessages.MAX_MESSAGE_BYTES);
    }

    @Test
    void typesAreUniqueWithinADirection() {
        for (Class<?> holder : List.of(TabMessages.FromTab.class, TabMessages.ToTab.class, TabMessages.CallStates.class,
                TabMessages.ConferenceStates.class)) {
            List<String> values = new ArrayList<>(TabMessages.constants(holder).values());
            assertThat(values).as(holder.getSimpleName()).doesNotHaveDuplicates().allMatch(v -> v.matches("[a-z][a-z-]*"));
        }
    }

    private static void assertSame(String jsExport, Class<?> javaHolder) {
        Map<String, String> java = TabMessages.constants(javaHolder);
        JsonObject browser = js.getJsonObject(jsExport);
        assertThat(browser).as("protocol.js exports %s", jsExport).isNotNull();
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(java.keySet())) {
            Object value = browser.getValue(name);
            if (value == null) {
                problems.add(jsExport + "." + name + " is missing in protocol.js (Java "
                        + javaHolder.getSimpleName() + "." + name + " = '" + java.get(name) + "')");
            } else if (!java.get(name).equals(value)) {
                problems.add(jsExport + "." + name + " is '" + value + "' in protocol.js but '" + java.get(name)
                        + "' in Java " + javaHolder.getSimpleName());
            }
        }
        for (String name : new TreeSet<>(browser.fieldNames())) {
            if (!java.containsKey(name)) {
                problems.add(jsExport + "." + name + " = '" + browser.getValue(name) + "' is in protocol.js but not in "
                        + "Java TabMessages." + javaHolder.getSimpleName());
            }
        }
        if (!problems.isEmpty()) {
            fail("frontend/js/protocol.js and node-api TabMessages disagree:\n  " + String.join("\n  ", problems));
        }
    }
}

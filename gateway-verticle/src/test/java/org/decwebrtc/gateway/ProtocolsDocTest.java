package org.decwebrtc.gateway;

import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TabMessages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/PROTOCOLS.md is the one description of every message a reader needs: it names every event-bus address,
 * every signal type, every tab message type and every gossip wire message the code defines.
 */
class ProtocolsDocTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static String doc;

    @BeforeAll
    static void read() throws IOException {
        doc = Files.readString(REPO.resolve("docs/PROTOCOLS.md"));
    }

    @Test
    void everyEventBusAddressIsDescribed() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method method : Addresses.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && Modifier.isStatic(method.getModifiers())
                    && method.getReturnType() == String.class && method.getParameterCount() == 1) {
                String suffix = ((String) method.invoke(null, "node")).substring("node.".length());
                if (!doc.contains("`" + method.getName() + "`") || !doc.contains("`" + suffix + "`")) {
                    missing.add(method.getName() + " (" + suffix + ")");
                }
            }
        }
        assertThat(missing).as("addresses of node-api Addresses missing from docs/PROTOCOLS.md").isEmpty();
    }

    @Test
    void everySignalTypeIsDescribed() {
        assertThat(TabMessages.constants(SignalTypes.class).values())
                .as("SignalTypes missing from docs/PROTOCOLS.md").allMatch(type -> doc.contains("`" + type + "`"));
    }

    @Test
    void everyTabMessageAndCallStateIsDescribed() {
        for (Class<?> holder : List.of(TabMessages.FromTab.class, TabMessages.ToTab.class, TabMessages.CallStates.class)) {
            assertThat(TabMessages.constants(holder).values())
                    .as("TabMessages.%s missing from docs/PROTOCOLS.md", holder.getSimpleName())
                    .allMatch(type -> doc.contains("`" + type + "`"));
        }
    }

    @Test
    void everyGossipWireMessageIsDescribed() throws IOException {
        String proto = Files.readString(REPO.resolve("gossip-verticle/src/main/proto/gossip.proto"));
        Matcher message = Pattern.compile("(?m)^\\s*(?:message|enum)\\s+(\\w+)").matcher(proto);
        List<String> names = new ArrayList<>();
        while (message.find()) {
            names.add(message.group(1));
        }
        assertThat(names).isNotEmpty();
        assertThat(names).as("gossip.proto messages missing from docs/PROTOCOLS.md").allMatch(doc::contains);
    }
}

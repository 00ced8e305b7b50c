package org.decwebrtc.deploy;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4, must-show 3: a node started with the real command line ({@code -name n1 -disableGui -stunPort 13478},
 * TURN off so the STUN verticle serves the port) answers coturn's {@code turnutils_stunclient -p 13478 127.0.0.1}.
 * The node runs in-process from the same flags {@link Main} parses; bench/stun/check-jar.sh runs the packaged jar.
 */
class StunJarIT {
    private static final Path STUNCLIENT = Path.of("/usr/bin/turnutils_stunclient");
    private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: ([0-9.]+):(\\d+)");

    @TempDir
    Path data;

    @Test
    void nodeAnswersTurnutilsStunclient() throws Exception {
        assertThat(Files.isExecutable(STUNCLIENT))
                .as("%s missing: install the coturn package (CI does)", STUNCLIENT).isTrue();
        Main main = new Main();
        new CommandLine(main).parseArgs("-name", "n1", "-disableGui", "-stunPort", "13478", "-turn", "false",
                "-gossipPort", String.valueOf(TestPorts.free()), "-dataDir", data.toString());
        NodeLauncher.RunningNode node = NodeLauncher.launch(main.settings()).await(30, TimeUnit.SECONDS);
        try {
            Process p = new ProcessBuilder(STUNCLIENT.toString(), "-p", "13478", "127.0.0.1")
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = REFLEXIVE.matcher(output);
            assertThat(m.find()).as("turnutils_stunclient output:\n%s", output).isTrue();
            assertThat(m.group(1)).isEqualTo("127.0.0.1");

            JsonObject stats = node.vertx().eventBus().<JsonObject>request(Addresses.stunStats("n1"),
                    new JsonObject()).await(5, TimeUnit.SECONDS).body();
            assertThat(stats.getLong("successResponses")).isPositive();
            assertThat(stats.getInteger("port")).isEqualTo(13478);
        } finally {
            node.close().await(10, TimeUnit.SECONDS);
        }
    }
}

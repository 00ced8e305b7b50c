package org.decwebrtc.deploy;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    private static NodeLauncher.RunningNode launch(String... args) throws Exception {
        return NodeLauncher.launch(Main.parse(args)).await(30, TimeUnit.SECONDS);
    }

    /** Runs coturn's client against host:port and returns the reflexive address it reports. */
    private static String stunclient(String host, int port) throws Exception {
        assertThat(Files.isExecutable(STUNCLIENT))
                .as("%s missing: install the coturn package (CI does)", STUNCLIENT).isTrue();
        Process p = new ProcessBuilder(STUNCLIENT.toString(), "-p", String.valueOf(port), host)
                .redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = REFLEXIVE.matcher(output);
            assertThat(m.find()).as("turnutils_stunclient output:\n%s", output).isTrue();
            return m.group(1);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void nodeAnswersTurnutilsStunclient() throws Exception {
        NodeLauncher.RunningNode node = launch("-name", "n1", "-disableGui", "-stunPort", "13478", "-turn", "false",
                "-gossipPort", String.valueOf(TestPorts.free()), "-dataDir", data.toString());
        try {
            assertThat(stunclient("127.0.0.1", 13478)).isEqualTo("127.0.0.1");

            JsonObject stats = node.vertx().eventBus().<JsonObject>request(Addresses.stunStats("n1"),
                    new JsonObject()).await(5, TimeUnit.SECONDS).body();
            assertThat(stats.getLong("successResponses")).isPositive();
            assertThat(stats.getInteger("port")).isEqualTo(13478);
        } finally {
            node.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** The "every user learns the STUN servers of the network": n2 hears n1's STUN address by gossip. */
    @Test
    void stunAddressTravelsInRouteRumorsAndAnswers() throws Exception {
        int gossip1 = TestPorts.free();
        int stun1 = TestPorts.free();
        NodeLauncher.RunningNode n1 = launch("-name", "s1", "-disableGui", "-turn", "false", "-bind", "127.0.0.1",
                "-stunPort", String.valueOf(stun1), "-gossipPort", String.valueOf(gossip1), "-rtimer", "1",
                "-dataDir", data.resolve("s1").toString());
        NodeLauncher.RunningNode n2 = launch("-name", "s2", "-disableGui", "-turn", "false", "-bind", "127.0.0.1",
                "-stunPort", String.valueOf(TestPorts.free()), "-gossipPort", String.valueOf(TestPorts.free()),
                "-rtimer", "1", "-peers", "127.0.0.1:" + gossip1, "-dataDir", data.resolve("s2").toString());
        try {
            String expected = "127.0.0.1:" + stun1;
            await().atMost(Duration.ofSeconds(20)).until(() -> Directory.fromJson(n2.vertx().eventBus()
                            .<JsonObject>request(Addresses.directoryGet("s2"), new JsonObject()).await().body())
                    .users().stream().anyMatch(u -> u.name().equals("s1") && expected.equals(u.stun())));
            HostPort learned = HostPort.parse(expected);
            assertThat(stunclient(learned.host(), learned.port())).isEqualTo("127.0.0.1");
        } finally {
            n2.close().await(10, TimeUnit.SECONDS);
            n1.close().await(10, TimeUnit.SECONDS);
        }
    }
}

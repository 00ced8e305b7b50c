package org.decwebrtc.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the network-namespace tests share: the deploy/topologies scripts run against the packaged jar, headless
 * Chromium inside a user's namespace, and commands run there. A subclass sets {@link #topology} and {@link #work}
 * when it brings a topology up; after each test the browsers close and the topology goes down (which takes every
 * tc and iptables rule with its namespaces).
 */
abstract class NetnsTopologyFixture {
    static final Path SCRIPTS = Path.of("topologies").toAbsolutePath();
    static final Path JAR = Path.of("target", "decwebrtc.jar").toAbsolutePath();
    static final String GUI = "https://127.0.0.1:8443";

    String topology;
    final List<Browser> browsers = new ArrayList<>();
    Path work;

    @BeforeAll
    static void checkMachine() {
        assertThat(JAR).as("the packaged jar").exists();
        assertThat(System.getProperty("user.name")).as("network namespaces need root").isEqualTo("root");
    }

    @AfterEach
    void takeDown() throws Exception {
        browsers.forEach(Browser::close);
        browsers.clear();
        if (topology != null) {
            script(topology, "down");
            topology = null;
        }
    }

    /**
     * Brings topology {@code name} up (after taking down what a crashed run left), opens alice's and bob's pages
     * in their namespaces and waits until they see each other; the browsers are alice's and bob's, in that order.
     */
    Browser[] twoUsersUp(String name) throws Exception {
        topology = name;
        work = Files.createTempDirectory("decwebrtc-netns");
        script(name, "down");
        assertThat(script(name, "up")).contains(name + " is up");
        String prefix = "dw" + name.charAt(0) + "-";
        Browser a = browser(prefix + "alice");
        Browser b = browser(prefix + "bob");
        a.open(GUI + "/#k=" + token("alice"));
        b.open(GUI + "/#k=" + token("bob"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> a.hasCallButton("bob") && b.hasCallButton("alice"));
        return new Browser[]{a, b};
    }

    Browser browser(String namespace) throws IOException {
        Path wrapper = work.resolve("chromium-" + namespace);
        Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + namespace + " /usr/bin/chromium \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Browser browser = new Browser(namespace, wrapper.toString(), List.of("--remote-debugging-pipe"));
        browsers.add(browser);
        return browser;
    }

    /** A user's GUI access token, which its node wrote to its data directory under the topology's state. */
    String token(String user) {
        return org.decwebrtc.deploy.GuiToken.read(Path.of("/run/decwebrtc-topologies", topology, user, "data"));
    }

    String script(String name, String action) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SCRIPTS.resolve(name + ".sh").toString(), action).redirectErrorStream(true);
        pb.environment().put("DECWEBRTC_JAR", JAR.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.print(out);
        if (action.equals("up")) {
            assertThat(p.exitValue()).as(out).isZero();
        }
        return out;
    }

    static String exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}

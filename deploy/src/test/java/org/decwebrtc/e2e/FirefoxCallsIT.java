package org.decwebrtc.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Firefox ESR (Debian's firefox-esr) calls Chromium, Chromium calls Firefox, and Firefox calls Firefox, through
 * two nodes on loopback: discover, call, accept, video both ways, chat both ways, three files by hash, screen share,
 * hang up. The browsers are driven by src/test/js/firefox-e2e.mjs (puppeteer-core over WebDriver BiDi, pinned in
 * its package-lock.json, no browser download). Under xvfb-run Firefox has a screen and shares it; the headless run
 * shows which step headless Firefox cannot do and why (every other step still passes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirefoxCallsIT {
    private static final Path JS = Path.of("src", "test", "js").toAbsolutePath();
    private Path dir;
    private TestNodes.Node alice;
    private TestNodes.Node bob;
    private final List<JsonObject> files = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        // ./test.sh installs firefox-esr and xvfb; -Ddecwebrtc.firefox=false skips the Firefox calls on a machine without.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Boolean.parseBoolean(System.getProperty("decwebrtc.firefox", "true")),
                "Firefox calls skipped with -Ddecwebrtc.firefox=false");
        assertThat(Path.of("/usr/bin/firefox-esr")).as("firefox-esr (apt-get install firefox-esr xvfb)").exists();
        if (!Files.isDirectory(JS.resolve("node_modules/puppeteer-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        dir = Files.createTempDirectory("decwebrtc-firefox");
        TestNodes.Pair nodes = TestNodes.startPair(dir);
        alice = nodes.alice();
        bob = nodes.bob();
        SecureRandom random = new SecureRandom();
        for (int i = 1; i <= 3; i++) {
            byte[] bytes = new byte[1000 * i * i * 37];
            random.nextBytes(bytes);
            Path file = dir.resolve("file-" + i + ".bin");
            Files.write(file, bytes);
            files.add(new JsonObject().put("path", file.toString())
                    .put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))));
        }
    }

    @AfterAll
    void stop() throws Exception {
        TestNodes.stop(alice);
        TestNodes.stop(bob);
        TestNodes.deleteTree(dir);
    }

    @ParameterizedTest(name = "{0} calls {1}, display {2}")
    @CsvSource({"firefox, chromium, xvfb", "chromium, firefox, xvfb", "firefox, firefox, xvfb",
            "firefox, chromium, headless"})
    void callWithVideoChatFilesAndScreenShare(String callerBrowser, String calleeBrowser, String display)
            throws Exception {
        JsonObject config = new JsonObject()
                .put("caller", new JsonObject().put("browser", callerBrowser).put("url", alice.url()).put("name", "alice"))
                .put("callee", new JsonObject().put("browser", calleeBrowser).put("url", bob.url()).put("name", "bob"))
                .put("files", new JsonArray(files));
        List<String> command = new ArrayList<>();
        boolean xvfb = display.equals("xvfb");
        if (xvfb) {
            assertThat(Path.of("/usr/bin/xvfb-run")).as("xvfb-run (./test.sh installs xvfb)").exists();
        }
        if (xvfb) {
            // A virtual screen: Firefox then runs with a display and can capture it for screen sharing.
            command.addAll(List.of("/usr/bin/xvfb-run", "-a", "-s", "-screen 0 1280x800x24"));
        }
        command.addAll(List.of("node", "firefox-e2e.mjs", config.encode()));
        String out = run(command, 600);
        assertThat(out).contains("PASSED");
        if (xvfb) {
            assertThat(out).as("with Xvfb every step runs, screen share too").doesNotContain("CANNOT");
        } else {
            // Headless Firefox has no screen: the run says so (and why) instead of failing the other steps.
            assertThat(out).contains("CANNOT screen share: headless Firefox has no screen to capture");
        }
    }

    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(JS.toFile()).redirectErrorStream(true);
        pb.environment().put("PUPPETEER_SKIP_DOWNLOAD", "1");
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> {
                    System.out.println(line);
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                });
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command.subList(0, Math.min(3, command.size())))
                    + " did not finish within " + seconds + " s");
        }
        reader.join(5000);
        synchronized (out) {
            assertThat(p.exitValue()).as("%s%n%s", command.get(0), out).isZero();
            return out.toString();
        }
    }
}

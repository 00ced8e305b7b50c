package org.decwebrtc.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line as a user meets it: help, one-line errors with status 2, and a relay node without a GUI. */
class LauncherIT {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void helpListsEveryFlagOfTheSeedAndTheNewOnes() throws Exception {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        for (String flag : List.of("-name", "-gossipPort", "-guiPort", "-peers", "-rtimer", "-disableGui", "-stunPort",
                "-bind", "-dataDir", "-turn", "-turnRealm", "-turnSecret", "-turnUser", "-relayPorts",
                "-turnAllowPeers", "-turnsPort", "-turnsCert", "-turnsKey", "--cluster", "-config", "-turnSecretFile",
                "-turnUserFile", "-turnBandwidth", "-turnQuotaPerUser",
                "-turnQuotaTotal", "-turnChannelNumbers", "--cluster-secret-file")) {
            assertThat(help.out()).contains(flag);
        }
        assertThat(help.out()).contains("default 5000").contains("default 8080").contains("default 10")
                .contains("default 3478").contains("default 5349");
    }

    @Test
    void badFlagsExitWithStatusTwoAndOneLine() throws Exception {
        Path config = java.nio.file.Files.writeString(dir.resolve("node.json"), "{\"name\":\"a\",\"gossipPrt\":5001}");
        for (String[] args : List.of(new String[]{"-name", "a", "-bogus"},
                new String[]{"-config", config.toString()},
                new String[]{"-name", "a", "--cluster"},
                new String[]{"-name", "a", "-turnChannelNumbers", "loose"},
                new String[]{"-name", "a", "-gossipPort", "70000"},
                new String[]{"-name", "a", "-peers", "10.0.0.1"},
                new String[]{"-name", "a", "-peers", "10.0.0.1:99999"},
                new String[]{"-name", "a", "-turnsPort", "70000"},
                new String[]{"-name", "a", "-turnsCert", "/nonexistent/cert.pem", "-turnsKey", "/nonexistent/key.pem"},
                new String[]{"-name", "a", "-turnsCert", "/etc/hostname"},
                new String[]{"-gossipPort", "5000"})) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("decwebrtc: ");
        }
    }

    @Test
    void disableGuiOpensNoHttpPortButTheNodeRuns() throws Exception {
        int gui = TestPorts.free();
        try (NodeProcess relay = NodeProcess.start(dir.resolve("relay.log"), "-name", "relay", "-disableGui",
                "-guiPort", "" + gui, "-gossipPort", "" + TestPorts.free(), "-stunPort", "" + TestPorts.free(),
                "-bind", "127.0.0.1", "-dataDir", dir.resolve("relay").toString())) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!relay.log().contains("gossip on") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(relay.log()).contains("gossip on");
            Thread.sleep(1000);
            assertThat(relay.alive()).isTrue();
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", gui), 1000);
                }
            }).isInstanceOf(IOException.class);
        }
    }
}

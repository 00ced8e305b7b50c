package org.decwebrtc.deploy;

import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.config.ChannelNumbers;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.config.PortRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flags and config files into the config tree, without starting anything. */
class MainTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void withOnlyANameEveryDefaultIsTheConfigTreesOwn() {
        NodeConfig c = Main.parse("-name", "alice");
        assertThat(c).isEqualTo(NodeConfig.DEFAULTS.withName("alice", null));
    }

    @Test
    void everyFlagLandsInItsField() {
        NodeConfig c = Main.parse("-name", "bob", "-gossipPort", "5001", "-guiPort", "8443", "-guiBind", "0.0.0.0",
                "-peers", "198.18.0.1:5000,[::1]:5002", "-rtimer", "2", "-disableGui", "-stunPort", "3479",
                "-bind", "127.0.0.1", "-dataDir", dir.toString(), "-turn", "off", "-turnRealm", "r",
                "-turnSecret", "s3cret-s3cret-s3cret", "-turnUser", "u:p", "-turnUser", "v:q", "-relayPorts", "40000-40099",
                "-turnAllowPeers", "198.18.0.0/15", "-turnServeUsers", "carol,dave", "-turnCredentialLifetime", "600",
                "-turnBandwidth", "0", "-turnQuotaPerUser", "3", "-turnQuotaTotal", "30", "-turnChannelNumbers", "strict",
                "-verticles", "gossip,turn", "--cluster", "--cluster-host", "127.0.0.2", "--cluster-port", "5801",
                "--cluster-members", "127.0.0.2:5802", "--cluster-secret-file", "/run/secrets/cluster");
        assertThat(c.name()).isEqualTo("bob");
        assertThat(c.gossip().port()).isEqualTo(5001);
        assertThat(c.gossip().peers()).containsExactly(HostPort.parse("198.18.0.1:5000"), HostPort.of("::1", 5002));
        assertThat(c.gossip().rtimerSeconds()).isEqualTo(2);
        assertThat(c.gateway().enabled()).isFalse();
        assertThat(c.gateway().port()).isEqualTo(8443);
        assertThat(c.gateway().bind()).isEqualTo("0.0.0.0");
        assertThat(c.stun().port()).isEqualTo(3479);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(dir.toString());
        assertThat(c.turn().enabled()).isFalse();
        assertThat(c.turn().realm()).isEqualTo("r");
        assertThat(c.turn().secret()).isEqualTo("s3cret-s3cret-s3cret");
        assertThat(c.turn().users()).containsExactly("u:p", "v:q");
        assertThat(c.turn().relayPorts()).isEqualTo(new PortRange(40000, 40099));
        assertThat(c.turn().allowPeers()).containsExactly("198.18.0.0/15");
        assertThat(c.turn().serveUsers()).containsExactly("carol", "dave");
        assertThat(c.turn().credentialLifetime()).isEqualTo(600);
        assertThat(c.turn().bandwidthBytesPerSecond()).isZero();
        assertThat(c.turn().maxAllocationsPerUser()).isEqualTo(3);
        assertThat(c.turn().maxAllocations()).isEqualTo(30);
        assertThat(c.turn().channelNumbers()).isEqualTo(ChannelNumbers.STRICT);
        assertThat(c.verticles()).containsExactly("gossip", "turn");
        assertThat(c.cluster().enabled()).isTrue();
        assertThat(c.cluster().host()).isEqualTo("127.0.0.2");
        assertThat(c.cluster().port()).isEqualTo(5801);
        assertThat(c.cluster().members()).containsExactly("127.0.0.2:5802");
        assertThat(c.cluster().secretFile()).isEqualTo("/run/secrets/cluster");
        assertThat(c.cluster().allMembers()).containsExactly("127.0.0.2:5801", "127.0.0.2:5802");
    }

    @Test
    void badValuesAreOneLineErrorsNamingTheFlag() {
        assertThatThrownBy(() -> Main.parse("-name", "a", "-relayPorts", "9-8"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("-relayPorts");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnChannelNumbers", "loose"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("strict or legacy");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnQuotaTotal", "0")).hasMessageStartingWith("-turnQuotaTotal");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-peers", "10.0.0.1")).hasMessageStartingWith("-peers");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnUser", "nocolon")).hasMessageStartingWith("-turnUser");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-verticles", "gossip,ftp")).hasMessageContaining("'ftp'");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnBandwidth", "-1")).hasMessageStartingWith("-turnBandwidth");
        assertThatThrownBy(() -> Main.parse("-name", "a", "--cluster")).hasMessageContaining("--cluster-secret-file");
    }

    @Test
    void aJsonFileUsesTheFlagNamesAndFlagsWin() throws IOException {
        Path json = file("node.json", """
                {"name":"alice","gossipPort":5001,"turnRealm":"x","peers":["198.18.0.1:5000","198.18.0.2:5000"],
                 "turnUser":["a:1","b:2"],"disableGui":true,"cluster-port":5901,"turnBandwidth":1000}
                """);
        NodeConfig c = Main.parse("-config", json.toString(), "-gossipPort", "5002", "-turnUser", "c:3");
        assertThat(c.name()).isEqualTo("alice");
        assertThat(c.gossip().port()).as("flag wins").isEqualTo(5002);
        assertThat(c.turn().realm()).isEqualTo("x");
        assertThat(c.gossip().peers()).hasSize(2);
        assertThat(c.turn().users()).as("a list flag replaces the file's list").containsExactly("c:3");
        assertThat(c.gateway().enabled()).isFalse();
        assertThat(c.cluster().port()).isEqualTo(5901);
        assertThat(c.turn().bandwidthBytesPerSecond()).isEqualTo(1000);
        assertThat(Main.parse("-config", json.toString(), "-name", "bob").name()).isEqualTo("bob");
    }

    @Test
    void aYamlFileWorksTheSame() throws IOException {
        Path yaml = file("node.yaml", """
                name: carol
                stunPort: 3479
                relayPorts: 40000-40010
                turnChannelNumbers: strict
                turnServeUsers: [dave, erin]
                """);
        NodeConfig c = Main.parse("--config", yaml.toString());
        assertThat(c.name()).isEqualTo("carol");
        assertThat(c.stun().port()).isEqualTo(3479);
        assertThat(c.turn().relayPorts()).isEqualTo(new PortRange(40000, 40010));
        assertThat(c.turn().channelNumbers()).isEqualTo(ChannelNumbers.STRICT);
        assertThat(c.turn().serveUsers()).containsExactly("dave", "erin");
    }

    @Test
    void badFilesAreRefusedWithTheKey() throws IOException {
        assertThatThrownBy(() -> Main.parse("-config", file("a.json", "{\"name\":\"a\",\"gossipPrt\":1}").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'gossipPrt'");
        assertThatThrownBy(() -> Main.parse("-config", file("b.json", "{\"name\":\"a\",\"config\":\"x.json\"}").toString()))
                .hasMessageContaining("unknown key 'config'");
        assertThatThrownBy(() -> Main.parse("-config", file("c.json", "{\"name\":\"a\",\"help\":true}").toString()))
                .hasMessageContaining("unknown key 'help'");
        assertThatThrownBy(() -> Main.parse("-config", file("d.json", "[1]").toString())).hasMessageContaining("expected an object");
        assertThatThrownBy(() -> Main.parse("-config", file("e.json", "{\"name\":").toString())).hasMessageStartingWith("-config");
        assertThatThrownBy(() -> Main.parse("-config", dir.resolve("missing.json").toString())).hasMessageStartingWith("-config");
        assertThatThrownBy(() -> Main.parse("-config", file("f.json", "{\"name\":\"a\",\"disableGui\":\"yes\"}").toString()))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> Main.parse("-config", file("g.json", "{\"name\":\"a\",\"stunPort\":{\"x\":1}}").toString()))
                .hasMessageContaining("'stunPort'");
        assertThatThrownBy(() -> Main.parse("-config", file("h.json", "{\"name\":[\"a\",\"b\"]}").toString()))
                .hasMessageContaining("one value");
    }

    @Test
    void secretsAndUsersComeFromFilesOffTheCommandLine() throws IOException {
        Path secret = file("secret", "0123456789abcdef0123\n");
        Path users = file("users", "# static users\nu:p\n\n  v:q:r  \n");
        NodeConfig c = Main.parse("-name", "a", "-turnSecretFile", secret.toString(), "-turnUserFile", users.toString(),
                "-turnUser", "w:s");
        assertThat(c.turn().secret()).isEqualTo("0123456789abcdef0123");
        assertThat(c.turn().users()).containsExactly("w:s", "u:p", "v:q:r");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnSecretFile", secret.toString(), "-turnSecret", "x"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnSecretFile", file("empty", "\n").toString()))
                .hasMessageContaining("holds no secret");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnUserFile", file("bad", "nocolon\n").toString()))
                .hasMessageStartingWith("-turnUser");
        assertThatThrownBy(() -> Main.parse("-name", "a", "-turnSecretFile", dir.resolve("nope").toString()))
                .hasMessageStartingWith("-turnSecretFile");
    }

    @Test
    void helpShowsTheTreesDefaults() {
        String help = new CommandLine(new Main()).getUsageMessage();
        assertThat(help).contains("-turnBandwidth").contains("default 2500000").contains("-turnQuotaPerUser")
                .contains("default 20").contains("default 5000").contains("-turnChannelNumbers").contains("default legacy")
                .contains("default 49152-65535").contains("-config").contains("-turnSecretFile").contains("-turnUserFile");
        String oneLine = help.replaceAll("\\s+", " ");
        assertThat(oneLine).contains("UDP gossip port (default 5000)").contains("HTTPS port of the UI (default 8080)")
                .contains("STUN/TURN port, UDP and TCP (default 3478)").contains("(default 10)")
                .contains("Hazelcast member port (default 5701)");
    }
}

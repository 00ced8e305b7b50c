package org.decwebrtc.deploy;

import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.config.ChannelNumbers;
import org.decwebrtc.api.config.ClusterConfig;
import org.decwebrtc.api.config.GatewayConfig;
import org.decwebrtc.api.config.GossipConfig;
import org.decwebrtc.api.config.ManagementConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.config.PortRange;
import org.decwebrtc.api.config.TurnConfig;
import org.decwebrtc.api.config.TurnTlsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Command line of a decwebrtc node. Each option's default is the value in {@link NodeConfig#DEFAULTS}; validation
 * is the config records' own. A flag is one field here, one field of a config record and one README row.
 */
@Command(name = "decwebrtc", mixinStandardHelpOptions = true, version = "decwebrtc 0.1.0",
        description = "A decwebrtc node: gossip signaling, STUN, TURN and the HTTPS calling UI.",
        sortOptions = false)
public final class Main implements Callable<Integer> {
    private static final NodeConfig D = NodeConfig.DEFAULTS;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-config", "--config"}, paramLabel = "FILE",
            description = "JSON or YAML (.yaml/.yml) file of these options, named without the dash"
                    + " ({\"name\":\"alice\",\"gossipPort\":5001}); flags given here win over it.")
    Path config;

    @Option(names = {"-name", "--name"}, required = true, description = "User/node name, unique in the network.")
    String name;

    @Option(names = {"-gossipPort", "--gossipPort"}, description = "UDP gossip port (default ${DEFAULT-VALUE}).")
    int gossipPort = D.gossip().port();

    @Option(names = {"-guiPort", "--guiPort"}, description = "HTTPS port of the UI (default ${DEFAULT-VALUE}).")
    int guiPort = D.gateway().port();

    @Option(names = {"-guiBind", "--guiBind"}, description = "Address of the UI (default ${DEFAULT-VALUE}).")
    String guiBind = D.gateway().bind();

    @Option(names = {"-guiHosts", "--guiHosts"}, split = ",",
            description = "Names the UI is reached by besides localhost, 127.0.0.1, [::1] and -guiBind, comma-separated; "
                    + "requests for any other Host are refused (403).")
    List<String> guiHosts = new ArrayList<>(D.gateway().hosts());

    @Option(names = {"-peers", "--peers"}, split = ",", description = "Direct gossip neighbours, comma-separated ip:port.")
    List<String> peers = new ArrayList<>();

    @Option(names = {"-rtimer", "--rtimer"}, description = "Seconds; a node unreachable for 3 x rtimer is deleted (default ${DEFAULT-VALUE}).")
    int rtimer = D.gossip().rtimerSeconds();

    @Option(names = {"-disableGui", "--disableGui"}, description = "Run without the HTTPS UI (a relay node).")
    boolean disableGui = !D.gateway().enabled();

    @Option(names = {"-stunPort", "--stunPort"}, description = "STUN/TURN port, UDP and TCP (default ${DEFAULT-VALUE}).")
    int stunPort = D.stun().port();

    @Option(names = {"-bind", "--bind"}, description = "Address of the gossip/STUN/TURN sockets (default ${DEFAULT-VALUE}).")
    String bind = D.bind();

    @Option(names = {"-dataDir", "--dataDir"}, description = "Data directory (default ~/.decwebrtc/<name>).")
    Path dataDir;

    @Option(names = {"-turn", "--turn"}, arity = "1", converter = OnOff.class,
            description = "TURN relay on/off (also true/false; default ${DEFAULT-VALUE}).")
    boolean turn = D.turn().enabled();

    @Option(names = {"-turnRealm", "--turnRealm"}, description = "TURN realm (default ${DEFAULT-VALUE}).")
    String turnRealm = D.turn().realm();

    @Option(names = {"-turnSecret", "--turnSecret"},
            description = "Secret for ephemeral TURN credentials (default: random, kept in the data directory)."
                    + " Visible to other local users in the process list: prefer -turnSecretFile.")
    String turnSecret;

    @Option(names = {"-turnSecretFile", "--turnSecretFile"}, paramLabel = "FILE",
            description = "File holding the TURN secret (first line).")
    Path turnSecretFile;

    @Option(names = {"-turnUser", "--turnUser"}, description = "Static TURN user user:pass (repeatable).")
    List<String> turnUsers = new ArrayList<>();

    @Option(names = {"-turnUserFile", "--turnUserFile"}, paramLabel = "FILE",
            description = "File of static TURN users, one user:pass a line (# comments).")
    Path turnUserFile;

    @Option(names = {"-relayPorts", "--relayPorts"}, converter = PortRangeConverter.class,
            description = "TURN relay port range a-b (default ${DEFAULT-VALUE}).")
    PortRange relayPorts = D.turn().relayPorts();

    @Option(names = {"-turnAllowPeers", "--turnAllowPeers"}, split = ",", description = "CIDRs TURN may relay to even though private/loopback.")
    List<String> turnAllowPeers = new ArrayList<>();

    @Option(names = {"-turnServeUsers", "--turnServeUsers"}, split = ",",
            description = "Users of the network this relay's TURN serves (default: everyone).")
    List<String> turnServeUsers = new ArrayList<>();

    @Option(names = {"-turnServe", "--turnServe"},
            description = "Who this relay serves: all, known (own user and the remote users of its own calls), none, or"
                    + " a comma list of users (default: all with -disableGui, known with the GUI).")
    String turnServe = D.turn().serve();

    @Option(names = {"-turnQuotaPerAddress", "--turnQuotaPerAddress"},
            description = "TURN allocations one client IP may hold at once, whatever its users (default ${DEFAULT-VALUE}).")
    int turnQuotaPerAddress = D.turn().maxAllocationsPerAddress();

    @Option(names = {"-turnMaxPermissions", "--turnMaxPermissions"},
            description = "Permissions one TURN allocation may hold; more get 508 (default ${DEFAULT-VALUE}).")
    int turnMaxPermissions = D.turn().maxPermissions();

    @Option(names = {"-turnCredentialLifetime", "--turnCredentialLifetime"},
            description = "Lifetime of ephemeral TURN credentials in seconds (default ${DEFAULT-VALUE}).")
    int turnCredentialLifetime = D.turn().credentialLifetime();

    @Option(names = {"-turnBandwidth", "--turnBandwidth"},
            description = "Relayed bytes/s per TURN allocation, 0 = no cap (default ${DEFAULT-VALUE}).")
    long turnBandwidth = D.turn().bandwidthBytesPerSecond();

    @Option(names = {"-turnQuotaPerUser", "--turnQuotaPerUser"},
            description = "TURN allocations one user may hold at once (default ${DEFAULT-VALUE}).")
    int turnQuotaPerUser = D.turn().maxAllocationsPerUser();

    @Option(names = {"-turnQuotaTotal", "--turnQuotaTotal"},
            description = "TURN allocations this relay holds at most (default ${DEFAULT-VALUE}).")
    int turnQuotaTotal = D.turn().maxAllocations();

    @Option(names = {"-turnChannelNumbers", "--turnChannelNumbers"}, converter = ChannelNumbersConverter.class,
            description = "strict: RFC 8656's 0x4000-0x4FFF only; legacy: also RFC 5766's 0x5000-0x7FFF, as"
                    + " coturn's turnutils_uclient, pjnath and baresip use (default ${DEFAULT-VALUE}).")
    ChannelNumbers turnChannelNumbers = D.turn().channelNumbers();

    @Option(names = {"-turnsPort", "--turnsPort"},
            description = "TURN over TLS port, offered to browsers as turns: (default ${DEFAULT-VALUE}; 0 = off; 443 passes most firewalls).")
    int turnsPort = D.turn().tls().port();

    @Option(names = {"-turnsCert", "--turnsCert"}, description = "PEM certificate chain for TURN over TLS (default: self-signed, made per node).")
    String turnsCert;

    @Option(names = {"-turnsKey", "--turnsKey"}, description = "PEM private key of -turnsCert.")
    String turnsKey;

    @Option(names = {"-verticles", "--verticles"}, split = ",",
            description = "Verticles to run in this JVM (default ${DEFAULT-VALUE}).")
    List<String> verticles = new ArrayList<>(D.verticles());

    @Option(names = {"-cluster", "--cluster"}, description = "Use a clustered event bus (Hazelcast, TCP/IP members only).")
    boolean cluster = D.cluster().enabled();

    @Option(names = {"-clusterHost", "--cluster-host"}, description = "Address for cluster traffic (default ${DEFAULT-VALUE}).")
    String clusterHost = D.cluster().host();

    @Option(names = {"-clusterPort", "--cluster-port"}, description = "Hazelcast member port (default ${DEFAULT-VALUE}).")
    int clusterPort = D.cluster().port();

    @Option(names = {"-clusterMembers", "--cluster-members"}, split = ",",
            description = "Every other member as host:port, comma-separated, spelled as its own --cluster-host.")
    List<String> clusterMembers = new ArrayList<>();

    @Option(names = {"-clusterSecretFile", "--cluster-secret-file"}, paramLabel = "FILE",
            description = "File holding the secret all members share (required with --cluster; at least 16 characters).")
    Path clusterSecretFile;

    /** Accepts on/off as well as true/false, because operators write both. */
    static final class OnOff implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes", "1":
                    return true;
                case "off", "false", "no", "0":
                    return false;
                default:
                    throw new CommandLine.TypeConversionException("expected on/off or true/false, got '" + value + "'");
            }
        }
    }

    static final class PortRangeConverter implements CommandLine.ITypeConverter<PortRange> {
        @Override
        public PortRange convert(String value) {
            try {
                return PortRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ChannelNumbersConverter implements CommandLine.ITypeConverter<ChannelNumbers> {
        @Override
        public ChannelNumbers convert(String value) {
            try {
                return ChannelNumbers.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = {"-metricsPort", "--metricsPort"},
            description = "Port of /metrics (Prometheus) and /health, with or without the GUI; 0 = off (default ${DEFAULT-VALUE}).")
    int metricsPort = D.management().port();

    @Option(names = {"-metricsBind", "--metricsBind"},
            description = "Address of the metrics listener (default ${DEFAULT-VALUE}).")
    String metricsBind = D.management().bind();

    @Option(names = {"-logFormat", "--logFormat"},
            description = "Log lines as text or json (one JSON object per line) (default ${DEFAULT-VALUE}).")
    String logFormat = D.management().logFormat();

    @Override
    public Integer call() throws Exception {
        NodeConfig settings = settings();
        if (settings.management().logFormat().equals("json")) {
            org.decwebrtc.deploy.management.JsonLogFormatter.install();
        }
        // -stunPort left at its default may give way to another node on this machine; an explicit one may not.
        boolean stunPortOptional = !spec.commandLine().getParseResult().hasMatchedOption("-stunPort");
        NodeLauncher.RunningNode node = NodeLauncher.launch(settings, stunPortOptional).toCompletionStage()
                .toCompletableFuture().join();
        node.vertx().deployVerticle(new org.decwebrtc.deploy.management.ManagementVerticle(),
                new io.vertx.core.DeploymentOptions().setConfig(settings.toJson())).toCompletionStage()
                .toCompletableFuture().join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> GracefulStop.stop(node), "decwebrtc-stop"));
        return null;
    }

    /** The flags as a validated config tree; throws {@link IllegalArgumentException} with a one-line reason. */
    NodeConfig settings() {
        List<HostPort> neighbours = new ArrayList<>();
        for (String p : peers) {
            if (!p.isBlank()) {
                try {
                    neighbours.add(HostPort.parse(p));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("-peers: " + e.getMessage(), e);
                }
            }
        }
        for (String file : new String[]{turnsCert, turnsKey}) {
            // Checked before anything starts, so the operator gets one line instead of a half-started node.
            if (file != null && !Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException("cannot read TLS file " + file);
            }
        }
        TurnConfig t = D.turn();
        TurnConfig turnConfig = new TurnConfig(turn, turnRealm, secret(), users(), relayPorts, t.relayIp(),
                turnAllowPeers, turnServeUsers, turnCredentialLifetime, turnBandwidth, turnQuotaPerUser, turnQuotaTotal,
                turnChannelNumbers, t.defaultLifetime(), t.maxLifetime(), t.nonceLifetime(), turnMaxPermissions,
                t.maxPeersPerRequest(), t.refuse(),
                new TurnTlsConfig(turnsPort, spec != null && spec.commandLine().getParseResult().hasMatchedOption("-turnsPort"),
                        turnsCert, turnsKey), turnServe, turnQuotaPerAddress);
        return new NodeConfig(name, dataDir == null ? null : dataDir.toString(), bind, verticles,
                new GossipConfig(gossipPort, neighbours, rtimer), D.stun().withPort(stunPort), turnConfig,
                new GatewayConfig(!disableGui, guiPort, guiBind, guiHosts),
                new ClusterConfig(cluster, clusterHost, clusterPort, clusterMembers,
                        clusterSecretFile == null ? null : clusterSecretFile.toString()),
                new ManagementConfig(metricsPort, metricsBind, logFormat));
    }

    private String secret() {
        if (turnSecretFile == null) {
            return turnSecret;
        }
        if (turnSecret != null) {
            throw new IllegalArgumentException("give -turnSecret or -turnSecretFile, not both");
        }
        List<String> lines = readLines("-turnSecretFile", turnSecretFile);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("-turnSecretFile " + turnSecretFile + " holds no secret");
        }
        return lines.get(0);
    }

    private List<String> users() {
        List<String> all = new ArrayList<>(turnUsers);
        if (turnUserFile != null) {
            all.addAll(readLines("-turnUserFile", turnUserFile));
        }
        return all;
    }

    /** Non-blank lines that are not {@code #} comments, trimmed. */
    private static List<String> readLines(String flag, Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The command line of a node, not yet parsed. */
    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** Parses flags (and the config file they name) into a config tree, as the launcher does; for tests. */
    static NodeConfig parse(String... args) {
        CommandLine cli = commandLine();
        cli.parseArgs(ConfigFile.withFileArgs(args, cli.getCommandSpec()));
        return ((Main) cli.getCommand()).settings();
    }

    public static void main(String[] args) {
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        CommandLine cli = commandLine();
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("decwebrtc: " + e.getMessage().lines().findFirst().orElse("bad arguments") + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException) {
                System.err.println("decwebrtc: " + cause.getMessage() + " (see --help)");
                return 2;
            }
            System.err.println("decwebrtc: cannot start: " + cause);
            return 1;
        });
        String[] all;
        try {
            all = ConfigFile.withFileArgs(args, cli.getCommandSpec());
        } catch (IllegalArgumentException e) {
            System.err.println("decwebrtc: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        int code = cli.execute(all);
        if (code != 0 || cli.isUsageHelpRequested() || cli.isVersionHelpRequested()) {
            System.exit(code);
        }
        // Started: the Vert.x threads keep the JVM alive.
    }
}

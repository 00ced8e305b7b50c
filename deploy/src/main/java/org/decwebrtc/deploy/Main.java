package org.decwebrtc.deploy;

import org.decwebrtc.api.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** Command line of a decwebrtc node. The seed's flags keep their names and defaults. */
@Command(name = "decwebrtc", mixinStandardHelpOptions = true, version = "decwebrtc 0.1.0",
        description = "A decwebrtc node: gossip signaling, STUN, TURN and the HTTPS calling UI.",
        sortOptions = false)
public final class Main implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,32}");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-name", "--name"}, required = true, description = "User/node name, unique in the network.")
    String name;

    @Option(names = {"-gossipPort", "--gossipPort"}, defaultValue = "5000", description = "UDP gossip port (default ${DEFAULT-VALUE}).")
    int gossipPort;

    @Option(names = {"-guiPort", "--guiPort"}, defaultValue = "8080", description = "HTTPS port of the UI (default ${DEFAULT-VALUE}).")
    int guiPort;

    @Option(names = {"-guiBind", "--guiBind"}, defaultValue = "127.0.0.1", description = "Address of the UI (default ${DEFAULT-VALUE}).")
    String guiBind;

    @Option(names = {"-peers", "--peers"}, split = ",", description = "Direct gossip peers, comma-separated ip:port.")
    List<String> peers = new ArrayList<>();

    @Option(names = {"-rtimer", "--rtimer"}, defaultValue = "10", description = "Route rumor period in seconds (default ${DEFAULT-VALUE}).")
    int rtimer;

    @Option(names = {"-disableGui", "--disableGui"}, description = "Run without the HTTPS UI (a relay node).")
    boolean disableGui;

    @Option(names = {"-stunPort", "--stunPort"}, defaultValue = "3478", description = "STUN/TURN port, UDP and TCP (default ${DEFAULT-VALUE}).")
    int stunPort;

    @Option(names = {"-bind", "--bind"}, defaultValue = "0.0.0.0", description = "Address of the gossip/STUN/TURN sockets (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = {"-dataDir", "--dataDir"}, description = "Data directory (default ~/.decwebrtc/<name>).")
    Path dataDir;

    @Option(names = {"-turn", "--turn"}, defaultValue = "on", arity = "1", converter = OnOff.class,
            description = "TURN relay on/off (also true/false; default ${DEFAULT-VALUE}).")
    boolean turn;

    /** Accepts on/off as well as true/false, because operators write both. */
    static final class OnOff implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes", "1":
                    return true;
                case "off", "false", "no", "0":
                    return false;
                default:
                    throw new CommandLine.TypeConversionException("expected on/off or true/false, got '" + value + "'");
            }
        }
    }

    @Option(names = {"-turnRealm", "--turnRealm"}, defaultValue = "decwebrtc", description = "TURN realm (default ${DEFAULT-VALUE}).")
    String turnRealm;

    @Option(names = {"-turnSecret", "--turnSecret"}, description = "Secret for ephemeral TURN credentials (default: random, kept in the data directory).")
    String turnSecret;

    @Option(names = {"-turnUser", "--turnUser"}, description = "Static TURN user user:pass (repeatable).")
    List<String> turnUsers = new ArrayList<>();

    @Option(names = {"-relayPorts", "--relayPorts"}, defaultValue = "49152-65535", description = "TURN relay port range a-b (default ${DEFAULT-VALUE}).")
    String relayPorts;

    @Option(names = {"-turnAllowPeers", "--turnAllowPeers"}, split = ",", description = "CIDRs TURN may relay to even though private/loopback.")
    List<String> turnAllowPeers = new ArrayList<>();

    @Option(names = {"-turnServeUsers", "--turnServeUsers"}, split = ",",
            description = "Users of the network this relay's TURN serves (default: everyone).")
    List<String> turnServeUsers = new ArrayList<>();

    @Option(names = {"-turnCredentialLifetime", "--turnCredentialLifetime"}, defaultValue = "3600",
            description = "Lifetime of ephemeral TURN credentials in seconds (default ${DEFAULT-VALUE}).")
    int turnCredentialLifetime;

    @Option(names = {"-turnsPort", "--turnsPort"}, defaultValue = "5349",
            description = "TURN over TLS port, offered to browsers as turns: (default ${DEFAULT-VALUE}; 0 = off; 443 passes most firewalls).")
    int turnsPort;

    @Option(names = {"-turnsCert", "--turnsCert"}, description = "PEM certificate chain for TURN over TLS (default: self-signed, made per node).")
    String turnsCert;

    @Option(names = {"-turnsKey", "--turnsKey"}, description = "PEM private key of -turnsCert.")
    String turnsKey;

    @Option(names = {"-verticles", "--verticles"}, split = ",", defaultValue = "gossip,stun,turn,gateway",
            description = "Verticles to run in this JVM (default ${DEFAULT-VALUE}).")
    List<String> verticles;

    @Option(names = {"-cluster", "--cluster"}, description = "Use a clustered event bus (Hazelcast, TCP/IP members only).")
    boolean cluster;

    @Option(names = {"-clusterHost", "--cluster-host"}, defaultValue = "127.0.0.1", description = "Address for cluster traffic (default ${DEFAULT-VALUE}).")
    String clusterHost;

    @Option(names = {"-clusterPort", "--cluster-port"}, defaultValue = "5701", description = "Hazelcast member port (default ${DEFAULT-VALUE}).")
    int clusterPort;

    @Option(names = {"-clusterMembers", "--cluster-members"}, split = ",", description = "Hazelcast members host[:port], comma-separated.")
    List<String> clusterMembers = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LaunchSettings settings = settings();
        // -stunPort left at its default may give way to another node on this machine; an explicit one may not.
        boolean stunPortOptional = !spec.commandLine().getParseResult().hasMatchedOption("-stunPort");
        NodeLauncher.launch(settings, stunPortOptional).toCompletionStage().toCompletableFuture().join();
        return null;
    }

    /** Validates the flags into launch settings; throws {@link IllegalArgumentException} with a one-line reason. */
    LaunchSettings settings() {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("-name must be 1-32 of A-Z a-z 0-9 _ . -, got '" + name + "'");
        }
        checkPort("-gossipPort", gossipPort);
        checkPort("-guiPort", guiPort);
        checkPort("-stunPort", stunPort);
        checkPort("--cluster-port", clusterPort);
        if (rtimer < 1 || rtimer > 3600) {
            throw new IllegalArgumentException("-rtimer must be 1-3600 seconds, got " + rtimer);
        }
        List<String> peerList = new ArrayList<>();
        for (String p : peers) {
            if (!p.isBlank()) {
                peerList.add(HostPort.parse(p).toString());
            }
        }
        for (String v : verticles) {
            if (!LaunchSettings.VERTICLES.contains(v)) {
                throw new IllegalArgumentException("unknown verticle '" + v + "', expected some of " + LaunchSettings.VERTICLES);
            }
        }
        for (String u : turnUsers) {
            if (u.indexOf(':') <= 0) {
                throw new IllegalArgumentException("-turnUser expects user:pass, got '" + u + "'");
            }
        }
        if (turnCredentialLifetime < 1 || turnCredentialLifetime > 86400) {
            throw new IllegalArgumentException("-turnCredentialLifetime must be 1-86400 seconds, got " + turnCredentialLifetime);
        }
        if (!relayPorts.matches("\\d{1,5}-\\d{1,5}")) {
            throw new IllegalArgumentException("-relayPorts expects a-b, got '" + relayPorts + "'");
        }
        String[] range = relayPorts.split("-");
        int lo = Integer.parseInt(range[0]);
        int hi = Integer.parseInt(range[1]);
        checkPort("-relayPorts", lo);
        checkPort("-relayPorts", hi);
        if (lo > hi) {
            throw new IllegalArgumentException("-relayPorts: " + lo + " > " + hi);
        }
        checkPort("-turnsPort", turnsPort);
        for (String file : new String[]{turnsCert, turnsKey}) {
            if (file != null && !java.nio.file.Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException("cannot read TLS file " + file);
            }
        }
        boolean turnsExplicit = spec != null && spec.commandLine().getParseResult().hasMatchedOption("-turnsPort");
        TurnsSettings turns = new TurnsSettings(turnsPort, turnsExplicit, turnsCert, turnsKey);
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".decwebrtc", name);
        return new LaunchSettings(name, bind, gossipPort, guiPort, guiBind, !disableGui, peerList, rtimer, stunPort,
                dir, turn, turnRealm, turnSecret, turnUsers, lo, hi, turnAllowPeers, turnServeUsers,
                turnCredentialLifetime, verticles, cluster, clusterHost,
                clusterPort, clusterMembers, turns);
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be a port 0-65535, got " + port);
        }
    }

    public static void main(String[] args) {
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        CommandLine cli = new CommandLine(new Main());
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
        int code = cli.execute(args);
        if (code != 0 || cli.isUsageHelpRequested() || cli.isVersionHelpRequested()) {
            System.exit(code);
        }
        // Started: the Vert.x threads keep the JVM alive.
    }
}

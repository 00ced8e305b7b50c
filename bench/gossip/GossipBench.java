import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.config.GossipConfig;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.gossip.GossipLimits;
import org.decwebrtc.gossip.GossipVerticle;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Gossip at scale: N GossipVerticles in one JVM on loopback UDP, a random connected graph of degree 4-8, rtimer 10.
 * Prints, per N: time from the last start until every node routes to every other (and until every directory shows
 * it); steady-state bytes per second per
 * node (sent, counted on the sockets); and, after killing 10 % of the nodes, the time until every survivor's
 * directory lists exactly the survivors it can reach. One CSV line per N goes to the file given as first argument.
 */
public final class GossipBench {
    private static final int RTIMER = 10;

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : "gossip-bench.csv");
        long steadySeconds = Long.parseLong(System.getProperty("steadySeconds", "20"));
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10, 100, 300, 1000);
        }
        if (!Files.exists(csv)) {
            Files.writeString(csv, "n,edges,convergence_ms,bytes_per_s_per_node,kill_ms,kill_limit_ms,cpu_ms_per_node_s,directory_ms\n");
        }
        // -Dwarmup=true: each N is preceded by an unmeasured start of the same network, so that the JIT compiler has
        // compiled what a start runs. Every node of a real network compiles on its own CPU, once; in one JVM that
        // fixed cost would otherwise land on the measured start (a quarter of the samples at N=300).
        String w = System.getProperty("warmup", "false");
        int warmups = w.equals("true") ? 1 : w.matches("[0-9]+") ? Integer.parseInt(w) : 0;
        for (int n : sizes) {
            for (int k = 0; k < warmups; k++) {
                run(n, -1);
            }
            Files.writeString(csv, run(n, steadySeconds) + "\n", java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** One network of n nodes; with {@code steadySeconds} < 0, only its start (a warm-up), and null. */
    private static String run(int n, long steadySeconds) throws Exception {
        Random random = new Random(n);
        int[] ports = freePorts(n);
        // Ring (connected) plus random chords until every node has 4-8 neighbours.
        List<Set<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            adj.add(new TreeSet<>());
        }
        List<int[]> greets = new ArrayList<>();
        for (int i = 0; i < n && n > 1; i++) {
            link(adj, greets, i, (i + 1) % n);
        }
        for (int i = 0; i < n; i++) {
            int want = Math.min(n - 1, 4 + random.nextInt(5));
            for (int tries = 0; adj.get(i).size() < want && tries < 100; tries++) {
                int j = random.nextInt(n);
                if (j != i && adj.get(j).size() < 8) {
                    link(adj, greets, i, j);
                }
            }
        }
        int edges = adj.stream().mapToInt(Set::size).sum() / 2;
        String prefix = "b" + n + "x" + Long.toString(System.nanoTime() % 100000, 36) + "-";
        // Native epoll, as a deployed node runs (NodeLauncher prefers it).
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4).setPreferNativeTransport(true));
        Path data = Files.createTempDirectory("gossip-bench");
        // Every node is on 127.0.0.1: the per-prefix neighbour cap is lifted, the rest are the defaults.
        GossipLimits limits = GossipLimits.defaults().withNeighbours(32, 32);
        // -Dkeepalive=1000: hundreds of simulated nodes on two shared cores cannot all keep a 250 ms beat.
        long keepalive = Long.getLong("keepalive", limits.keepaliveMillis());
        limits = limits.withKeepalive(keepalive, Math.max(limits.deadAfterMillis(), 4 * keepalive));
        List<String> ids = new ArrayList<>();
        List<GossipVerticle> nodes = new ArrayList<>();
        // crash: victims stop without a word (neighbours notice missed keepalives); leave: they stop gracefully.
        boolean crash = !"leave".equals(System.getProperty("kill", "crash"));
        try {
            long started = 0;
            long firstStart = System.nanoTime();
            if (steadySeconds >= 0) {
                profile("start", "start");
            }
            for (int i = 0; i < n; i++) {
                List<String> greet = new ArrayList<>();
                for (int[] g : greets) {
                    if (g[0] == i) {
                        greet.add("127.0.0.1:" + ports[g[1]]);
                    }
                }
                NodeConfig config = NodeConfig.of(prefix + i, data.resolve("n" + i)).withBind("127.0.0.1")
                        .withVerticles(List.of("gossip")).withGossip(new GossipConfig(ports[i],
                                greet.stream().map(HostPort::parse).toList(), RTIMER));
                GossipVerticle node = GossipVerticle.sharingSignatureChecks(limits);
                nodes.add(node);
                ids.add(vertx.deployVerticle(node,
                        new DeploymentOptions().setConfig(config.toJson())).await(60, TimeUnit.SECONDS));
                started = System.nanoTime();
            }
            Set<Integer> alive = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                alive.add(i);
            }
            System.out.printf("N=%d: %d nodes started in %d ms (transport: %s)%n", n, n,
                    (started - firstStart) / 1_000_000, vertx.isNativeTransportEnabled() ? "native epoll" : "NIO");
            if (steadySeconds < 0) {
                Converged warm = awaitReachable(vertx, prefix, alive, adj, started, 120_000);
                System.out.printf("N=%d: warm-up start (not measured) converged %d ms after the last start%n", n,
                        warm.routesMillis());
                return null;
            }
            Converged converged = awaitReachable(vertx, prefix, alive, adj, started, 120_000);
            profile("stop", "n" + n + "-start");
            System.out.printf("N=%d edges=%d: every node routes to every other %d ms after the last start; every "
                    + "directory shows it %d ms after%n", n, edges, converged.routesMillis(), converged.shownMillis());
            System.out.printf("N=%d: sent during the start, until then: %.1f KB per node%n", n,
                    totalSent(vertx, prefix, alive) / 1000.0 / n);

            Thread.sleep(5000);
            long before = totalSent(vertx, prefix, alive);
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            profile("start", "steady");
            Thread.sleep(steadySeconds * 1000);
            profile("stop", "n" + n + "-steady");
            long after = totalSent(vertx, prefix, alive);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuPerNode = (os.getProcessCpuTime() - cpu0) / 1e6 / seconds / n;
            double perNode = (after - before) / seconds / n;
            // CPU a simulated node costs the JVM standing still: N nodes need N times this of the machine's cores.
            System.out.printf("N=%d: steady state %.0f B/s sent per node (rtimer %d s, %d s window), %.2f ms CPU per "
                    + "node per second (all %d nodes: %.2f cores)%n", n, perNode, RTIMER, steadySeconds, cpuPerNode, n,
                    cpuPerNode * n / 1000);
            if (!System.getProperty("verbose", "").isEmpty()) {
                for (Map.Entry<Integer, JsonObject> e : statsOf(vertx, prefix, alive, Set.of()).entrySet()) {
                    int i = e.getKey();
                    JsonObject st = e.getValue();
                    System.out.println("  " + i + " degree " + adj.get(i).size() + " neighbours " + st.getValue("neighbours") + " reachable " + st.getValue("reachable") + " origins " + st.getValue("origins") + " deaths " + st.getValue("neighbourDeaths") + " own " + st.getValue("ownRecordsSigned") + " accepted " + st.getValue("recordsAccepted") + " sent " + st.getValue("bytesSent"));
                }
            }

            List<Integer> victims = new ArrayList<>(alive);
            java.util.Collections.shuffle(victims, random);
            victims = victims.subList(0, Math.max(1, n / 10));
            for (int v : victims) {
                if (crash) {
                    nodes.get(v).stopWithoutLeave();
                }
                vertx.undeploy(ids.get(v)).await(60, TimeUnit.SECONDS);
                alive.remove(v);
            }
            long killed = System.nanoTime();
            Converged healed = awaitReachable(vertx, prefix, alive, adj, killed, 3L * RTIMER * 1000 * 4);
            System.out.printf("N=%d: %d nodes %s, every survivor routes right %d ms later, every survivor's directory "
                    + "correct %d ms later (limit %d ms)%n", n, victims.size(),
                    crash ? "killed (no Leave)" : "stopped (Leave)", healed.routesMillis(), healed.shownMillis(),
                    3L * RTIMER * 1000);
            return n + "," + edges + "," + converged.routesMillis() + "," + Math.round(perNode) + ","
                    + healed.shownMillis() + "," + 3L * RTIMER * 1000 + ","
                    + String.format(java.util.Locale.ROOT, "%.2f", cpuPerNode) + "," + converged.shownMillis();
        } finally {
            vertx.close().await(120, TimeUnit.SECONDS);
            // The nodes' data directories (key pins): thousands of small files per run.
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * With -Dprofile=DIR and async-profiler's jar on the class path (Maven Central
     * tools.profiler:async-profiler:4.1:jar:linux-x64), profiles the start and the steady state apart:
     * DIR/n300-start.collapsed, DIR/n300-steady.collapsed (CPU samples, collapsed stacks).
     */
    private static void profile(String action, String name) throws Exception {
        String dir = System.getProperty("profile", "");
        if (dir.isEmpty()) {
            return;
        }
        String command = action.equals("start") ? "start,event=cpu,interval=1ms"
                : "stop,collapsed,file=" + Path.of(dir).resolve(name + ".collapsed");
        Class<?> profiler = Class.forName("one.profiler.AsyncProfiler");
        Object instance = profiler.getMethod("getInstance").invoke(null);
        System.out.println("profiler: " + profiler.getMethod("execute", String.class).invoke(instance, command));
    }

    private static void link(List<Set<Integer>> adj, List<int[]> greets, int a, int b) {
        if (adj.get(a).add(b)) {
            adj.get(b).add(a);
            greets.add(new int[]{a, b});
        }
    }

    /**
     * When every alive node reached exactly its component of the alive graph, in ms since {@code sinceNanos}: by the
     * routes it computes when asked (as a message sent then would take them), and as its directory last published
     * shows it (published at most once a second while records keep changing, so that a start does not spend its CPU
     * on route computations nobody looks at). -1 for one not reached within {@code timeoutMillis}.
     */
    record Converged(long routesMillis, long shownMillis) {
    }

    private static Converged awaitReachable(Vertx vertx, String prefix, Set<Integer> alive, List<Set<Integer>> adj,
                                            long sinceNanos, long timeoutMillis) throws Exception {
        int[] expected = new int[adj.size()];
        for (int i : alive) {
            expected[i] = component(i, alive, adj) - 1;
        }
        Set<Integer> routing = new HashSet<>(alive);
        Set<Integer> showing = new HashSet<>(alive);
        long routesMillis = -1;
        long lastReport = -1;
        while (true) {
            // All pending nodes are asked at once: a round of answers takes as long as the slowest node, not as long
            // as all of them one after another, so the time printed is the network's, not the polling's.
            Set<Integer> asked = new HashSet<>(routing);
            asked.addAll(showing);
            statsOf(vertx, prefix, asked, routing).forEach((i, stats) -> {
                if (routing.contains(i) && stats.getInteger("routable") == expected[i]) {
                    routing.remove(i);
                }
                if (stats.getInteger("reachable") == expected[i]) {
                    showing.remove(i);
                }
            });
            long ms = (System.nanoTime() - sinceNanos) / 1_000_000;
            if (routing.isEmpty() && (routesMillis < 0 || showing.isEmpty())) {
                // Re-check all: a node counted early must still be right now.
                for (Map.Entry<Integer, JsonObject> e : statsOf(vertx, prefix, alive, alive).entrySet()) {
                    int i = e.getKey();
                    if (e.getValue().getInteger("routable") != expected[i]) {
                        routing.add(i);
                    }
                    if (showing.isEmpty() && e.getValue().getInteger("reachable") != expected[i]) {
                        showing.add(i);
                    }
                }
                routesMillis = routing.isEmpty() ? (routesMillis < 0 ? ms : routesMillis) : -1;
                if (routing.isEmpty() && showing.isEmpty()) {
                    return new Converged(routesMillis, ms);
                }
            }
            if (!System.getProperty("verbose", "").isEmpty() && ms / 1000 != lastReport) {
                lastReport = ms / 1000;
                long signed = 0, deaths = 0, accepted = 0, staleCopies = 0, packets = 0, excused = 0, grafts = 0;
                long prunes = 0, lazy = 0, links = 0;
                for (JsonObject st : statsOf(vertx, prefix, alive, Set.of()).values()) {
                    signed += st.getLong("ownRecordsSigned");
                    deaths += st.getLong("neighbourDeaths");
                    accepted += st.getLong("recordsAccepted");
                    staleCopies += st.getLong("recordsStale", 0L);
                    packets += st.getLong("sent", 0L);
                    excused += st.getLong("silencesExcused", 0L);
                    grafts += st.getLong("graftsSent", 0L);
                    prunes += st.getLong("prunesSent", 0L);
                    lazy += st.getLong("lazyNeighbours", 0L);
                    links += st.getLong("neighboursAlive", 0L);
                }
                long cpuNow = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
                System.out.printf("  %d ms (JVM CPU %d ms so far): %d nodes with routes wrong, %d with the directory "
                        + "wrong; own records signed %d, neighbour deaths %d, records accepted %d (and %d copies "
                        + "already held), datagrams sent %d, silences excused by a probe %d, grafts %d, prunes %d, "
                        + "links off the flood's tree %d of %d%n", ms, cpuNow, routing.size(), showing.size(), signed,
                        deaths, accepted, staleCopies, packets, excused, grafts, prunes, lazy, links);
            }
            if (ms > timeoutMillis) {
                System.out.printf("  not converged after %d ms: %d nodes with routes wrong, %d with the directory "
                        + "wrong%n", ms, routing.size(), showing.size());
                return new Converged(routesMillis, -1);
            }
            // Asking a node for its routes makes it compute them: poll gently, or the bench is the load.
            Thread.sleep(Math.min(250, 20 + asked.size()));
        }
    }

    private static int component(int start, Set<Integer> alive, List<Set<Integer>> adj) {
        Set<Integer> seen = new HashSet<>(List.of(start));
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            for (int v : adj.get(queue.poll())) {
                if (alive.contains(v) && seen.add(v)) {
                    queue.add(v);
                }
            }
        }
        return seen.size();
    }

    /** The stats of several nodes, asked all at once; those in {@code routesNow} also count their routes now. */
    private static Map<Integer, JsonObject> statsOf(Vertx vertx, String prefix, Collection<Integer> nodes,
                                                    Set<Integer> routesNow) throws Exception {
        Map<Integer, Future<io.vertx.core.eventbus.Message<JsonObject>>> asked = new TreeMap<>();
        for (int i : nodes) {
            asked.put(i, vertx.eventBus().<JsonObject>request(Addresses.gossipStats(prefix + i),
                    new JsonObject().put("routesNow", routesNow.contains(i))));
        }
        Future.join(List.copyOf(asked.values())).await(60, TimeUnit.SECONDS);
        Map<Integer, JsonObject> answers = new TreeMap<>();
        asked.forEach((i, f) -> answers.put(i, f.result().body()));
        return answers;
    }

    private static long totalSent(Vertx vertx, String prefix, Set<Integer> alive) throws Exception {
        return statsOf(vertx, prefix, alive, Set.of()).values().stream().mapToLong(st -> st.getLong("bytesSent")).sum();
    }

    /**
     * n distinct free ports below the kernel's ephemeral range (from 21000), so that the ephemeral ports other
     * programs on the machine are handed meanwhile cannot take them before the nodes bind.
     */
    private static int[] freePorts(int n) throws Exception {
        int[] ports = new int[n];
        int next = Integer.getInteger("basePort", 21000);
        for (int i = 0; i < n; i++) {
            while (true) {
                int candidate = next++;
                try (DatagramSocket s = new DatagramSocket(candidate, InetAddress.getLoopbackAddress())) {
                    ports[i] = candidate;
                    break;
                } catch (java.net.SocketException inUse) {
                    // taken: try the next one
                }
            }
        }
        return ports;
    }
}

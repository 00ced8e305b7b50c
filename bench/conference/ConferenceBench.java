import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.deploy.GuiToken;
import org.decwebrtc.deploy.LocalConfig;
import org.decwebrtc.deploy.NodeLauncher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Conference bench (not a test): N participants (default 6), each a headless Chromium with a fake 320x240 camera on
 * its own in-process node, all on this machine. One run with the media budget (each sender caps its video per leg
 * at uplink / others) and one without (?budget=off). Prints frames/s received per tile, CPU per browser (its whole
 * process tree, from /proc) and video bitrate sent per leg.
 */
public final class ConferenceBench {
    record Node(String name, int guiPort, String token, NodeLauncher.RunningNode running) {
    }

    record Page(String name, ChromeDriver driver, ChromeDriverService service, Path profile) {
        Object js(String script) {
            return ((JavascriptExecutor) driver).executeScript(script);
        }

        /** The script's result, or {@code unanswered} when the page did not run it within the script timeout. */
        Object jsOr(String script, Object unanswered) {
            try {
                return js(script);
            } catch (org.openqa.selenium.WebDriverException busy) {
                return unanswered;
            }
        }

        /** Per remote user, the leg's figures; null when the page (a starved renderer) did not answer in time. */
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> stats() {
            try {
                Object r = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "window.decwebrtc.conferenceStats().then(done, () => done(null));");
                return r == null ? Map.of() : (Map<String, Map<String, Object>>) r;
            } catch (org.openqa.selenium.WebDriverException busy) {
                return null;
            }
        }
    }

    /** The uplink the budget divides: a modest home line (loopback itself has no limit to estimate). */
    static final long UPLINK_BPS = Long.getLong("uplinkBps", 1_000_000);

    /** Between one participant's Join and the next one's, as people come in to a meeting. */
    static final long JOIN_GAP_MS = Long.getLong("joinGapMs", 2000);

    /**
     * Niceness of the browsers (0: none). All N nodes share this one JVM and this machine with N browsers; in a real
     * conference each node has its own machine. Niced browsers leave the nodes the little CPU they need on time, so
     * the signaling is timed as on separate machines while the browsers still compete with each other for the media.
     */
    static final int BROWSER_NICE = Integer.getInteger("browserNice", 10);

    /** How long the mesh gets to form; past it, what there is gets measured (a machine too small for N says so). */
    static final long MESH_SECONDS = Long.getLong("meshSeconds", 180);

    /** The longest the nodes' JVM (all N nodes run in this one) was late waking up, since the last look. */
    static final java.util.concurrent.atomic.AtomicLong worstPauseMs = new java.util.concurrent.atomic.AtomicLong();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int seconds = Integer.parseInt(System.getProperty("measureSeconds", "20"));
        Thread pauses = new Thread(() -> {
            while (true) {
                long t = System.nanoTime();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                worstPauseMs.accumulateAndGet((System.nanoTime() - t) / 1_000_000 - 50, Math::max);
            }
        }, "pause-meter");
        pauses.setDaemon(true);
        pauses.start();
        Path dir = Files.createTempDirectory("conf-bench");
        List<Node> nodes = new ArrayList<>();
        List<Page> pages = new ArrayList<>();
        try {
            int hub = 0;
            for (int i = 0; i < n; i++) {
                int gossip = free();
                NodeConfig local = LocalConfig.local("u" + (i + 1), gossip, free(), free(),
                        i == 0 ? List.of() : List.of("127.0.0.1:" + hub), 1, dir.resolve("u" + (i + 1)));
                NodeConfig config = local.withTurn(local.turn().withAllowPeers(List.of("127.0.0.0/8")));
                NodeLauncher.RunningNode running = NodeLauncher.launch(config).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                if (i == 0) {
                    hub = gossip;
                }
                nodes.add(new Node("u" + (i + 1), config.gateway().port(), GuiToken.read(dir.resolve("u" + (i + 1))), running));
            }
            for (Node node : nodes) {
                pages.add(browser(node.name()));
            }
            for (boolean budget : new boolean[]{true, false}) {
                round(nodes, pages, budget, seconds);
            }
        } finally {
            for (Page p : pages) {
                p.driver().quit();
                p.service().stop();
            }
            for (Node node : nodes) {
                node.running().close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        }
    }

    static void round(List<Node> nodes, List<Page> pages, boolean budget, int seconds) throws Exception {
        int n = nodes.size();
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            pages.get(i).driver().get("https://127.0.0.1:" + node.guiPort() + "/"
                    + (budget ? "?uplink=" + UPLINK_BPS : "?budget=off")
                    + "#k=" + node.token());
        }
        Page starter = pages.get(0);
        waitFor(() -> starter.driver().findElements(By.cssSelector("[data-testid='conf-invite']")).size() == n - 1, 60);
        starter.driver().findElement(By.cssSelector("[data-testid='conf-start']")).click();
        waitFor(() -> "in-conference".equals(starter.js("return document.querySelector(\"[data-testid='call-state']\").textContent")), 30);
        for (int i = 1; i < n; i++) {
            starter.driver().findElement(By.cssSelector("[data-testid='conf-invite'][data-user='u" + (i + 1) + "']")).click();
        }
        for (int i = 1; i < n; i++) {
            Page p = pages.get(i);
            waitFor(() -> p.driver().findElement(By.cssSelector("[data-testid='conf-invitation']")).isDisplayed(), 60);
            p.driver().findElement(By.cssSelector("[data-testid='conf-join']")).click();
            Thread.sleep(JOIN_GAP_MS);
        }
        long joinedAt = System.nanoTime();
        long reportAt = 0;
        while (true) {
            List<String> grids = new ArrayList<>();
            boolean all = true;
            for (Page p : pages) {
                String grid = String.valueOf(p.jsOr("return [...document.querySelectorAll(\"[data-testid='conf-tile']\")]"
                        + ".map(t => t.dataset.user + ':' + t.dataset.connection).join(',')", "no answer"));
                grids.add(p.name() + "[" + grid + "]");
                all &= ((Number) p.jsOr("return document.querySelectorAll(\"[data-testid='conf-tile'][data-connection='connected']\")"
                        + ".length", -1)).intValue() == n - 1;
            }
            long waited = (System.nanoTime() - joinedAt) / 1_000_000_000L;
            if (all) {
                System.out.printf("every page has %d connected tiles %d s after the joins%n", n - 1, waited);
                break;
            }
            if (waited >= reportAt) {
                System.out.printf("%3d s: %s%n", waited, String.join(" ", grids));
                reportAt += 15;
            }
            if (waited > MESH_SECONDS) {
                System.out.printf("%3d s: %s%nthe mesh did not complete in %d s: measuring what there is%n", waited,
                        String.join(" ", grids), MESH_SECONDS);
                for (Page p : pages) {
                    StringBuilder legs = new StringBuilder();
                    Map<String, Map<String, Object>> now = p.stats();
                    if (now == null) {
                        System.out.printf("  %s did not answer within the script timeout%n", p.name());
                        continue;
                    }
                    now.forEach((user, s) -> {
                        if (!"connected".equals(s.get("connection"))) {
                            legs.append(' ').append(user).append(": ").append(s.get("connection")).append('/')
                                    .append(s.get("signaling"));
                        }
                    });
                    System.out.printf("  %s's legs not connected (connection/signaling state):%s%n", p.name(), legs);
                }
                break;
            }
            Thread.sleep(1000);
        }
        Thread.sleep(10_000); // let congestion control and the budget settle
        List<Map<String, Map<String, Object>>> before = new ArrayList<>();
        List<Long> cpuBefore = new ArrayList<>();
        // Each page's window runs from its own first look to its own second one: on a loaded machine one look at
        // six pages can take many seconds, so a window common to all would not be the one each page's counts cover.
        List<Long> lookedAt = new ArrayList<>();
        for (Page p : pages) {
            Map<String, Map<String, Object>> first = p.stats();
            before.add(first == null ? Map.of() : first);
            cpuBefore.add(cpuTicks(p.profile()));
            lookedAt.add(System.nanoTime());
        }
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        worstPauseMs.set(0);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long hz = 100;
        double windows = 0;
        System.out.printf("%n== %d participants, budget %s, %.0f s, browsers at nice %d ==%n", n,
                budget ? "on (uplink " + UPLINK_BPS / 1000 + " kbit/s)" : "off", elapsed, BROWSER_NICE);
        System.out.println("page  cpu%  | per remote tile: fps received, kbit/s sent to it (cap kbit/s) quality/ladder level");
        double fpsSum = 0, kbpsSum = 0, cpuSum = 0;
        int legs = 0;
        int watchable = 0;
        java.util.Set<String> upAtStart = new java.util.HashSet<>();
        java.util.Set<String> upAtEnd = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            Page p = pages.get(i);
            Map<String, Map<String, Object>> answered = p.stats();
            Map<String, Map<String, Object>> after = answered == null ? Map.of() : answered;
            long ticks = cpuTicks(p.profile());
            double window = (System.nanoTime() - lookedAt.get(i)) / 1e9;
            windows += window;
            double cpu = (ticks - cpuBefore.get(i)) / (double) hz / window * 100;
            cpuSum += cpu;
            StringBuilder line = new StringBuilder(String.format("%-4s %5.0f  |", p.name(), cpu));
            for (String user : new java.util.TreeSet<>(after.keySet())) {
                Map<String, Object> a = after.get(user);
                Map<String, Object> b = before.get(i).getOrDefault(user, Map.of());
                // A leg made anew during the window counts from zero.
                double frames = num(a, "framesDecoded") >= num(b, "framesDecoded")
                        ? num(a, "framesDecoded") - num(b, "framesDecoded") : num(a, "framesDecoded");
                double fps = frames / window;
                String pair = p.name().compareTo(user) < 0 ? p.name() + "-" + user : user + "-" + p.name();
                if ("connected".equals(b.get("connection"))) {
                    upAtStart.add(pair + ">" + p.name());
                }
                if ("connected".equals(a.get("connection"))) {
                    upAtEnd.add(pair + ">" + p.name());
                }
                watchable += fps >= 10 ? 1 : 0;
                double bytes = num(a, "bytesSent") >= num(b, "bytesSent")
                        ? num(a, "bytesSent") - num(b, "bytesSent") : num(a, "bytesSent");
                double kbps = bytes * 8 / window / 1000;
                fpsSum += fps;
                kbpsSum += kbps;
                legs++;
                line.append(String.format(" %s %.1f fps %.0f kbit/s (%.0f) %s/%s", user, fps, kbps, num(a, "cap") / 1000,
                        a.get("quality"), a.get("mediaLevel")));
            }
            if (answered == null) {
                line.append(" the page did not answer its figures within the script timeout");
            }
            line.append(" | signals the page ignored: ").append(p.jsOr("return window.decwebrtc.conferenceIgnoredSignals()", "?"));
            System.out.println(line);
        }
        System.out.printf("each page's window: %.0f s on average%n", windows / n);
        System.out.printf("mean: %.1f fps per tile, %.0f kbit/s per leg, %.0f %% CPU per browser (%d tiles)%n",
                legs == 0 ? 0 : fpsSum / legs, legs == 0 ? 0 : kbpsSum / legs, cpuSum / n, legs);
        System.out.printf("legs connected at both ends: %d of %d at the start, %d at the end; tiles at 10 fps or more: %d of %d%n",
                bothEnds(upAtStart), n * (n - 1) / 2, bothEnds(upAtEnd), watchable, n * (n - 1));
        System.out.printf("load average before / after: %s / %s; the nodes' JVM woke up to %d ms late%n", loadBefore,
                Files.readString(Path.of("/proc/loadavg")).trim(), worstPauseMs.get());
        for (Page p : pages) {
            p.jsOr("document.querySelector(\"[data-testid='conf-leave']\").click()", null);
        }
        Thread.sleep(2000);
    }

    /** Pairs whose two ends both appear in {@code ends} ("u1-u2>u1", "u1-u2>u2"). */
    static long bothEnds(java.util.Set<String> ends) {
        return ends.stream().map(e -> e.substring(0, e.indexOf('>'))).collect(java.util.stream.Collectors.groupingBy(
                pair -> pair, java.util.stream.Collectors.counting())).values().stream().filter(c -> c == 2).count();
    }

    static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number x ? x.doubleValue() : 0;
    }

    /**
     * utime + stime of this browser's whole process tree: the processes whose command line names its profile
     * directory, and every process below them (renderers and utility processes may not carry the switch).
     */
    static long cpuTicks(Path profile) throws IOException {
        String marker = profile.toString();
        Map<Long, Long> parent = new java.util.HashMap<>();
        Map<Long, Long> ticks = new java.util.HashMap<>();
        java.util.Set<Long> tree = new java.util.HashSet<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                if (!proc.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(proc.getFileName().toString());
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parent.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    if (new String(Files.readAllBytes(proc.resolve("cmdline"))).contains(marker)) {
                        tree.add(pid);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Long, Long> e : parent.entrySet()) {
                if (!tree.contains(e.getKey()) && tree.contains(e.getValue())) {
                    tree.add(e.getKey());
                    grew = true;
                }
            }
        }
        return tree.stream().mapToLong(pid -> ticks.getOrDefault(pid, 0L)).sum();
    }

    static Page browser(String name) throws IOException {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        Path profile = Files.createTempDirectory("conf-bench-" + name);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--disable-background-networking", "--disable-gpu",
                "--ignore-certificate-errors", "--window-size=800,600", "--user-data-dir=" + profile);
        File driverExecutable = new File("/usr/bin/chromedriver");
        if (BROWSER_NICE != 0) {
            // chromedriver and every browser process it starts inherit the niceness
            Path wrapper = profile.resolve("chromedriver-nice.sh");
            Files.writeString(wrapper, "#!/bin/sh\nexec nice -n " + BROWSER_NICE + " /usr/bin/chromedriver \"$@\"\n");
            wrapper.toFile().setExecutable(true);
            driverExecutable = wrapper.toFile();
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverExecutable).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Page(name, driver, service, profile);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // element not there yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out after " + seconds + " s");
    }

    static int free() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0); DatagramSocket udp = new DatagramSocket(tcp.getLocalPort())) {
                return tcp.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port");
    }
}

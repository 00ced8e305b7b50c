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

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> stats() {
            Object r = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "window.decwebrtc.conferenceStats().then(done, () => done(null));");
            return r == null ? Map.of() : (Map<String, Map<String, Object>>) r;
        }
    }

    /** The uplink the budget divides: a modest home line (loopback itself has no limit to estimate). */
    static final long UPLINK_BPS = Long.getLong("uplinkBps", 1_000_000);

    /** Between one participant's Join and the next one's, as people come in to a meeting. */
    static final long JOIN_GAP_MS = Long.getLong("joinGapMs", 2000);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int seconds = Integer.parseInt(System.getProperty("measureSeconds", "20"));
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
                String grid = String.valueOf(p.js("return [...document.querySelectorAll(\"[data-testid='conf-tile']\")]"
                        + ".map(t => t.dataset.user + ':' + t.dataset.connection).join(',')"));
                grids.add(p.name() + "[" + grid + "]");
                all &= ((Number) p.js("return document.querySelectorAll(\"[data-testid='conf-tile'][data-connection='connected']\")"
                        + ".length")).intValue() == n - 1;
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
            if (waited > 300) {
                throw new IllegalStateException("the mesh did not form in 300 s");
            }
            Thread.sleep(1000);
        }
        Thread.sleep(10_000); // let congestion control and the budget settle
        List<Map<String, Map<String, Object>>> before = new ArrayList<>();
        List<Long> cpuBefore = new ArrayList<>();
        for (Page p : pages) {
            before.add(p.stats());
            cpuBefore.add(cpuTicks(p.profile()));
        }
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long hz = 100;
        System.out.printf("%n== %d participants, budget %s, %.0f s ==%n", n,
                budget ? "on (uplink " + UPLINK_BPS / 1000 + " kbit/s)" : "off", elapsed);
        System.out.println("page  cpu%  | per remote tile: fps received, kbit/s sent to it (cap kbit/s) quality/ladder level");
        double fpsSum = 0, kbpsSum = 0, cpuSum = 0;
        int legs = 0;
        for (int i = 0; i < n; i++) {
            Page p = pages.get(i);
            Map<String, Map<String, Object>> after = p.stats();
            double cpu = (cpuTicks(p.profile()) - cpuBefore.get(i)) / (double) hz / elapsed * 100;
            cpuSum += cpu;
            StringBuilder line = new StringBuilder(String.format("%-4s %5.0f  |", p.name(), cpu));
            for (String user : new java.util.TreeSet<>(after.keySet())) {
                Map<String, Object> a = after.get(user);
                Map<String, Object> b = before.get(i).getOrDefault(user, Map.of());
                double fps = (num(a, "framesDecoded") - num(b, "framesDecoded")) / elapsed;
                double kbps = (num(a, "bytesSent") - num(b, "bytesSent")) * 8 / elapsed / 1000;
                fpsSum += fps;
                kbpsSum += kbps;
                legs++;
                line.append(String.format(" %s %.1f fps %.0f kbit/s (%.0f) %s/%s", user, fps, kbps, num(a, "cap") / 1000,
                        a.get("quality"), a.get("mediaLevel")));
            }
            System.out.println(line);
        }
        System.out.printf("mean: %.1f fps per tile, %.0f kbit/s per leg, %.0f %% CPU per browser (%d legs)%n",
                fpsSum / legs, kbpsSum / legs, cpuSum / n, legs);
        for (Page p : pages) {
            p.driver().findElement(By.cssSelector("[data-testid='conf-leave']")).click();
        }
        Thread.sleep(2000);
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
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
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

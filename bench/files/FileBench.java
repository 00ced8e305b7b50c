import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * File transfer bench: two nodes (the jar), two headless Chromium in a call with fake camera and microphone, and in
 * the same run: a raw DataChannel on the call's own peer connection (the reference) vs the app's file transfer
 * (offer, Accept, pieces, hashes, disk), the call's video frames/s before and during each transfer, each transfer's
 * rate between 10 % and 90 % of its bytes, and the peak memory (PSS of each browser's process tree) of sender and
 * receiver.
 *
 * Usage (see run.sh): java -cp SELENIUM FileBench.java JAR WORKDIR SIZES_MIB ROUNDS [RAW_MESSAGE_KIB,...]
 */
public class FileBench {
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Threads listed in the CPU lines, busiest first. */
    static final int CPU_THREADS = Integer.getInteger("cpuThreads", 7);
    /** Channels the raw reference sends over, and their priority ("" = the browser's default). */
    static final int RAW_CHANNELS = Integer.getInteger("rawChannels", 1);
    static final String RAW_PRIORITY = System.getProperty("rawPriority", "");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        List<Integer> sizes = List.of(args[2].split(",")).stream().map(Integer::parseInt).toList();
        int rounds = Integer.parseInt(args[3]);
        List<Integer> rawKib = List.of((args.length > 4 ? args[4] : "16,64,256").split(",")).stream()
                .filter(x -> !x.isBlank()).map(Integer::parseInt).toList();
        String appOptions = args.length > 5 ? args[5] : "{}";
        List<Process> nodes = new ArrayList<>();
        List<Chrome> browsers = new ArrayList<>();
        try {
            int gossipA = freeUdp(), gossipB = freeUdp();
            int guiA = freeTcp(), guiB = freeTcp();
            nodes.add(node(jar, work, "alice", gossipA, guiA, gossipB));
            nodes.add(node(jar, work, "bob", gossipB, guiB, gossipA));
            waitTcp(guiA);
            waitTcp(guiB);
            Chrome a = new Chrome("alice", work);
            browsers.add(a);
            Chrome b = new Chrome("bob", work);
            browsers.add(b);
            // The link each node prints: the page reads the gateway's access token from the fragment.
            a.driver.get("https://127.0.0.1:" + guiA + "/#k=" + token(work, "alice"));
            b.driver.get("https://127.0.0.1:" + guiB + "/#k=" + token(work, "bob"));
            until(() -> !a.all("[data-testid='call'][data-user='bob']").isEmpty(), "alice sees bob");
            a.all("[data-testid='call'][data-user='bob']").get(0).click();
            until(() -> b.el("incoming-call").isDisplayed(), "bob rings");
            b.el("accept").click();
            until(() -> a.frames() > 30 && b.frames() > 30, "both videos play");
            a.js("Object.assign(window.__decwebrtcFiles.options, JSON.parse(arguments[0]))", appOptions);
            b.js("Object.assign(window.__decwebrtcFiles.options, JSON.parse(arguments[0]))", appOptions);
            b.el("file-size-limit").clear();
            b.el("file-size-limit").sendKeys("8192\n");
            System.out.printf("chromium: %s; app options %s; raw reference: %d channel(s), priority %s%n",
                    a.js("return navigator.userAgent"), appOptions, RAW_CHANNELS,
                    RAW_PRIORITY.isEmpty() ? "default" : RAW_PRIORITY);

            for (int size : sizes) {
                Path file = work.resolve("bench-" + size + "MiB.bin");
                writeRandom(file, (long) size << 20);
                for (int round = 1; round <= rounds; round++) {
                    double fpsBefore = fps(a, b, 4000);
                    double bestRaw = 0;
                    StringBuilder raws = new StringBuilder();
                    StringBuilder steadies = new StringBuilder();
                    Measure lastRaw = null;
                    for (int kib : rawKib) {
                        Measure raw = measure(a, b, () -> rawTransfer(a, b, (long) size << 20, kib * 1024));
                        lastRaw = raw;
                        raws.append(String.format(" raw%dK %.1f MiB/s (%.1f fps)", kib, raw.mibPerSecond(size), raw.fps));
                        steadies.append(String.format(" raw%dK %.1f", kib, raw.steady));
                        bestRaw = Math.max(bestRaw, raw.mibPerSecond(size));
                    }
                    String resetTimes = "const ms = window.__decwebrtcFiles.counters.ms; for (const k in ms) ms[k] = 0;";
                    a.js(resetTimes);
                    b.js(resetTimes);
                    Measure app = measure(a, b, () -> appTransfer(a, b, file));
                    double appRate = app.mibPerSecond(size);
                    System.out.printf("%d MiB round %d: fps before %.1f |%s | app %.1f MiB/s (%.1f fps during) "
                                    + "| app/raw(best) %.2f | peak PSS sender %d MiB, receiver %d MiB%n",
                            size, round, fpsBefore, raws, appRate, app.fps, bestRaw > 0 ? appRate / bestRaw : Double.NaN,
                            app.peakSender >> 20, app.peakReceiver >> 20);
                    System.out.printf("  steady (10-90 %% of the bytes), MiB/s:%s | app %.1f%n", steadies, app.steady);
                    // Where the app's time went (ms summed over the transfer; files.js counters.ms).
                    System.out.printf("  app time: sender %s | receiver (%s) %s | pace caps %s%n",
                            a.js("return JSON.stringify(window.__decwebrtcFiles.stats().ms)"),
                            b.js("return window.__decwebrtcFiles.stats().sinks"),
                            b.js("return JSON.stringify(window.__decwebrtcFiles.stats().ms)"),
                            a.js("return window.__decwebrtcFiles.stats().paceCaps"));
                    // CPU (ms per MiB, by process type and thread) of the last raw sender and of the app.
                    if (lastRaw != null) System.out.printf("  CPU raw%dK: %s%n", rawKib.get(rawKib.size() - 1), lastRaw.cpuText(size));
                    System.out.printf("  CPU app:    %s%n", app.cpuText(size));
                }
                Files.delete(file);
            }
            System.out.println("alice's counters: " + a.js("return JSON.stringify(window.__decwebrtcFiles.stats())"));
            System.out.println("bob's counters:   " + b.js("return JSON.stringify(window.__decwebrtcFiles.stats())"));
        } finally {
            for (Chrome c : browsers) c.close();
            for (Process p : nodes) {
                p.destroy();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    /** steady: MiB/s between 10 % and 90 % of the bytes (steadyRate). */
    record Measure(long ms, double fps, double steady, long peakSender, long peakReceiver, Map<String, Long> cpuSender,
                   Map<String, Long> cpuReceiver) {
        double mibPerSecond(int mib) {
            return mib / (ms / 1000.0);
        }

        /** CPU ms per MiB moved, per process type and thread: sender's and receiver's busiest. */
        String cpuText(int mib) {
            return "sender " + top(cpuSender, mib) + " | receiver " + top(cpuReceiver, mib);
        }

        static String top(Map<String, Long> cpu, int mib) {
            long total = cpu.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder text = new StringBuilder(String.format("%.0f ms/MiB:", total * 10.0 / mib));
            cpu.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(CPU_THREADS)
                    .forEach(e -> text.append(String.format(" %s %.1f", e.getKey(), e.getValue() * 10.0 / mib)));
            return text.toString();
        }
    }

    static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long x = v - before.getOrDefault(k, 0L);
            if (x > 0) d.put(k, x);
        });
        return d;
    }

    interface Timed {
        long run() throws Exception;
    }

    /**
     * The receiver's byte count every 20 ms (the raw reference's and the app's), so a transfer's steady rate can be
     * told apart from its two ends: the first bytes' ramp, and what the app does once the last byte is in.
     */
    static void startSampling(Chrome b) {
        b.js("clearInterval(window.__sampler); window.__rawBytes = 0;"
                + "const base = window.__decwebrtcFiles.counters.bytesReceived; window.__samples = [];"
                + "window.__sampler = setInterval(() => window.__samples.push([performance.now(),"
                + "  window.__rawBytes + window.__decwebrtcFiles.counters.bytesReceived - base]), 20);");
    }

    /** MiB/s between 10 % and 90 % of the bytes received (the samples' times: the receiving page's clock). */
    static double steadyRate(Chrome b) {
        return ((Number) b.js("clearInterval(window.__sampler); const s = window.__samples;"
                + "const total = s.length > 0 ? s[s.length - 1][1] : 0;"
                + "const at = (share) => (s.find((x) => x[1] >= share * total) || [NaN])[0];"
                + "const ms = at(0.9) - at(0.1);"
                + "return total > 0 && ms > 0 ? 0.8 * total / 1048576 / (ms / 1000) : NaN;")).doubleValue();
    }

    /** Runs a transfer while sampling both browsers' memory; frames/s of the call's video during it. */
    static Measure measure(Chrome a, Chrome b, Timed transfer) throws Exception {
        startSampling(b);
        AtomicLong peakA = new AtomicLong(), peakB = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakA.accumulateAndGet(a.pss(), Math::max);
                peakB.accumulateAndGet(b.pss(), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        long framesA = a.frames(), framesB = b.frames();
        Map<String, Long> cpuA = a.cpu(), cpuB = b.cpu();
        long t0 = System.nanoTime();
        sampler.start();
        long ms;
        try {
            ms = transfer.run();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> cpuSender = minus(a.cpu(), cpuA), cpuReceiver = minus(b.cpu(), cpuB);
        double fps = ((a.frames() - framesA) + (b.frames() - framesB)) / 2.0 / seconds;
        return new Measure(ms, fps, steadyRate(b), peakA.get(), peakB.get(), cpuSender, cpuReceiver);
    }

    static double fps(Chrome a, Chrome b, long ms) throws InterruptedException {
        long framesA = a.frames(), framesB = b.frames();
        long t0 = System.nanoTime();
        Thread.sleep(ms);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return ((a.frames() - framesA) + (b.frames() - framesB)) / 2.0 / seconds;
    }

    /**
     * The reference: a textbook sender on fresh negotiated channels of the same peer connection (one unless
     * rawChannels says more; then the messages go to whichever channel's buffer has room, each refilled on its own
     * bufferedamountlow), at the priority rawPriority names (the browser's default unless set).
     */
    static long rawTransfer(Chrome a, Chrome b, long bytes, int messageBytes) {
        String open = "const pc = window.decwebrtc.peerConnection(); const [total, count, priority] = arguments;"
                + "window.__rawBytes = 0; window.__rawEnd = 0;"
                + "window.__raws = Array.from({length: count}, (_, i) => {"
                + "  const ch = pc.createDataChannel('raw' + i, Object.assign({negotiated: true, id: 7 + 2 * i},"
                + "    priority ? {priority} : {}));"
                + "  ch.binaryType = 'arraybuffer';"
                + "  ch.onmessage = (e) => { window.__rawBytes += e.data.byteLength;"
                + "    if (window.__rawBytes >= total) window.__rawEnd = performance.timeOrigin + performance.now(); };"
                + "  return ch; });";
        b.js(open, bytes, RAW_CHANNELS, RAW_PRIORITY);
        a.js(open, bytes, RAW_CHANNELS, RAW_PRIORITY);
        until(() -> (Boolean) a.js("return window.__raws.every((c) => c.readyState === 'open')")
                && (Boolean) b.js("return window.__raws.every((c) => c.readyState === 'open')"), "raw channels open");
        // 4 MiB / 1 MiB buffered in all, as the app's defaults.
        Number start = (Number) a.async("const done = arguments[arguments.length - 1];"
                + "const total = arguments[0], size = arguments[1], channels = window.__raws;"
                + "const high = (4 << 20) / channels.length, low = (1 << 20) / channels.length;"
                + "const buf = new Uint8Array(size); crypto.getRandomValues(buf.subarray(0, 65536));"
                + "let sent = 0, finished = false;"
                + "const t0 = performance.timeOrigin + performance.now();"
                + "const pump = (ch) => { while (sent < total && ch.bufferedAmount < high) {"
                + "    const n = Math.min(size, total - sent); ch.send(n === size ? buf : buf.subarray(0, n)); sent += n; }"
                + "  if (sent >= total && !finished) { finished = true; channels.forEach((c) => { c.onbufferedamountlow = null; }); done(t0); } };"
                + "for (const ch of channels) { ch.bufferedAmountLowThreshold = low; ch.onbufferedamountlow = () => pump(ch); }"
                + "for (const ch of channels) pump(ch);", bytes, messageBytes);
        until(() -> ((Number) b.js("return window.__rawEnd")).doubleValue() > 0, "raw bytes arrive");
        double end = ((Number) b.js("return window.__rawEnd")).doubleValue();
        a.js("window.__raws.forEach((c) => c.close())");
        until(() -> (Boolean) b.js("return window.__raws.every((c) => c.readyState === 'closed')")
                && (Boolean) a.js("return window.__raws.every((c) => c.readyState === 'closed')"), "raw channels closed");
        return Math.round(end - start.doubleValue());
    }

    /** The app: alice picks the file, bob accepts; the page's own time from Accept to the verified link. */
    static long appTransfer(Chrome a, Chrome b, Path file) {
        long received = ((Number) b.js("return window.__decwebrtcFiles.stats().filesReceived")).longValue();
        int offers = b.all("[data-testid='file-accept']").size();
        a.el("file-input").sendKeys(file.toString());
        until(() -> b.all("[data-testid='file-accept']").size() > offers, "bob sees the offer");
        b.all("[data-testid='file-accept']").get(offers).click();
        until(() -> ((Number) b.js("return window.__decwebrtcFiles.stats().filesReceived")).longValue() > received,
                Duration.ofMinutes(30), "the file arrives");
        // Release what the receiver holds so the next round starts from the same memory.
        b.js("document.querySelectorAll(\"[data-testid='file-remove']\").forEach(x => x.click())");
        return ((Number) b.js("return window.__decwebrtcFiles.stats().lastReceiveMs")).longValue();
    }

    // ---- plumbing ---------------------------------------------------------------------------------------

    static Process node(Path jar, Path work, String name, int gossip, int gui, int peerGossip) throws IOException {
        int stun = freeTcp();
        return new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString(), "-name", name, "-gossipPort", "" + gossip,
                "-guiPort", "" + gui, "-stunPort", "" + stun, "-bind", "127.0.0.1", "-peers", "127.0.0.1:" + peerGossip,
                "-rtimer", "1", "-dataDir", work.resolve(name).toString(), "-turnAllowPeers", "127.0.0.0/8")
                .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
    }

    static String token(Path work, String name) throws IOException {
        return Files.readString(work.resolve(name).resolve("gui-token")).trim();
    }

    static int freeTcp() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int freeUdp() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitTcp(int port) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing on port " + port);
    }

    static void writeRandom(Path file, long bytes) throws IOException {
        Random random = new Random(bytes);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void until(Check check, String what) {
        until(check, WAIT, what);
    }

    static void until(Check check, Duration wait, String what) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) return;
            } catch (Exception ignored) {
                // not yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("timed out: " + what);
    }

    /** One headless Chromium, the flags of the e2e tests. */
    static final class Chrome {
        final ChromeDriver driver;
        final ChromeDriverService service;
        final Path profile;

        Chrome(String label, Path work) throws IOException {
            System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
            profile = Files.createTempDirectory(work, "chromium-" + label);
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.setAcceptInsecureCerts(true);
            options.addArguments("--headless=new", "--no-sandbox", "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-gpu", "--ignore-certificate-errors",
                    "--window-size=1400,1000", "--user-data-dir=" + profile);
            service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                    .usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(30));
        }

        Object js(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeScript(script, args);
        }

        Object async(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
        }

        WebElement el(String testid) {
            return driver.findElement(By.cssSelector("[data-testid='" + testid + "']"));
        }

        List<WebElement> all(String css) {
            return driver.findElements(By.cssSelector(css));
        }

        @SuppressWarnings("unchecked")
        long frames() {
            Object s = async("const done = arguments[arguments.length - 1];"
                    + "window.decwebrtc.stats().then(done, () => done(null));");
            Object f = s == null ? null : ((Map<String, Object>) s).get("framesDecoded");
            return f == null ? 0 : ((Number) f).longValue();
        }

        /** PSS of the browser and all its children (renderer, GPU, network, storage processes). */
        long pss() {
            long total = 0;
            ProcessHandle browser = browserProcess();
            if (browser == null) return 0;
            List<ProcessHandle> tree = new ArrayList<>(browser.descendants().toList());
            tree.add(browser);
            for (ProcessHandle p : tree) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc", "" + p.pid(), "smaps_rollup"))) {
                        if (line.startsWith("Pss:")) total += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process just ended
                }
            }
            return total;
        }

        /**
         * CPU time (in ticks of 10 ms) of every thread of the browser's process tree, keyed by process type and
         * thread name; "(ended threads)" holds what threads that ended since the process started used.
         */
        Map<String, Long> cpu() {
            Map<String, Long> ticks = new java.util.TreeMap<>();
            ProcessHandle browser = browserProcess();
            if (browser == null) return ticks;
            List<ProcessHandle> tree = new ArrayList<>(browser.descendants().toList());
            tree.add(browser);
            for (ProcessHandle p : tree) {
                try {
                    String cmd = Files.readString(Path.of("/proc", "" + p.pid(), "cmdline")).replace('\0', ' ');
                    java.util.regex.Matcher type = java.util.regex.Pattern.compile("--type=(\\S+)").matcher(cmd);
                    java.util.regex.Matcher sub = java.util.regex.Pattern.compile("--utility-sub-type=(?:\\w+\\.)*?(\\w+)\\.mojom").matcher(cmd);
                    String kind = type.find() ? type.group(1) : "browser";
                    if (sub.find()) kind = sub.group(1);
                    long threads = 0;
                    try (var tasks = Files.list(Path.of("/proc", "" + p.pid(), "task"))) {
                        for (Path task : tasks.toList()) {
                            String[] stat = statFields(task.resolve("stat"));
                            if (stat == null) continue;
                            String name = stat[0].replaceAll("[0-9]+$", "").replaceAll("[^A-Za-z_]", "");
                            long t = Long.parseLong(stat[12]) + Long.parseLong(stat[13]);
                            ticks.merge(kind + "/" + name, t, Long::sum);
                            threads += t;
                        }
                    }
                    String[] stat = statFields(Path.of("/proc", "" + p.pid(), "stat"));
                    if (stat != null) {
                        ticks.merge(kind + "/(ended threads)", Long.parseLong(stat[12]) + Long.parseLong(stat[13]) - threads, Long::sum);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process just ended
                }
            }
            return ticks;
        }

        /** /proc stat: [comm, state, ppid, ...]: index 12 = utime, 13 = stime. */
        static String[] statFields(Path stat) {
            try {
                String line = Files.readString(stat);
                int open = line.indexOf('('), close = line.lastIndexOf(')');
                String[] rest = line.substring(close + 2).split(" ");
                String[] fields = new String[rest.length + 1];
                fields[0] = line.substring(open + 1, close);
                System.arraycopy(rest, 0, fields, 1, rest.length);
                return fields;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private ProcessHandle cached;

        ProcessHandle browserProcess() {
            if (cached != null && cached.isAlive()) return cached;
            String needle = "--user-data-dir=" + profile;
            cached = ProcessHandle.allProcesses().filter(p -> {
                try {
                    String cmd = Files.readString(Path.of("/proc", "" + p.pid(), "cmdline")).replace('\0', ' ');
                    return cmd.contains(needle) && !cmd.contains("--type=");
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
            return cached;
        }

        void close() {
            try {
                driver.quit();
            } finally {
                service.stop();
            }
        }
    }
}

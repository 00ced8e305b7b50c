package org.decwebrtc.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One headless Chromium with a fake camera, microphone and screen, driven through the page's data-testid hooks. */
final class Browser implements AutoCloseable {
    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    final String label;

    Browser(String label) throws IOException {
        this(label, "/usr/bin/chromium", List.of());
    }

    /** A browser for {@code label}, for starting several at once: a start-up failure comes out unchecked. */
    static Browser launch(String label) {
        try {
            return new Browser(label);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Two browsers started side by side (each takes seconds to start); when either fails, the other one is closed
     * too, so a failed start leaves no browser behind.
     */
    static Browser[] launchTwo(String first, String second) throws Exception {
        CompletableFuture<Browser> one = CompletableFuture.supplyAsync(() -> launch(first));
        CompletableFuture<Browser> two = CompletableFuture.supplyAsync(() -> launch(second));
        try {
            return new Browser[]{one.get(60, TimeUnit.SECONDS), two.get(60, TimeUnit.SECONDS)};
        } catch (Exception e) {
            one.thenAccept(Browser::close);
            two.thenAccept(Browser::close);
            throw e;
        }
    }

    /** Closes every browser that was started; {@code null} stands for one that was not. */
    static void closeAll(Browser... browsers) {
        for (Browser browser : browsers) {
            if (browser != null) {
                browser.close();
            }
        }
    }

    /**
     * @param binary    the browser to start, e.g. a wrapper running Chromium inside a network namespace
     * @param extraArgs more switches; {@code --remote-debugging-pipe} lets ChromeDriver on the host drive a
     *                  Chromium whose loopback is another namespace's
     */
    Browser(String label, String binary, List<String> extraArgs) throws IOException {
        this.label = label;
        // Never let Selenium Manager look for (or download) a driver.
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        profile = Files.createTempDirectory("decwebrtc-chromium-" + label);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments(extraArgs);
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-gpu", "--ignore-certificate-errors",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement el(String testid) {
        return driver.findElement(By.cssSelector("[data-testid='" + testid + "']"));
    }

    List<WebElement> all(String testid) {
        return driver.findElements(By.cssSelector("[data-testid='" + testid + "']"));
    }

    void click(String testid) {
        el(testid).click();
    }

    String text(String testid) {
        return el(testid).getText();
    }

    String state() {
        return (String) js("return document.querySelector(\"[data-testid='call-state']\").textContent");
    }

    String notice() {
        return (String) js("return document.querySelector(\"[data-testid='notice']\").textContent");
    }

    boolean hasCallButton(String user) {
        return !driver.findElements(By.cssSelector("[data-testid='call'][data-user='" + user + "']")).isEmpty();
    }

    WebElement callButton(String user) {
        return driver.findElement(By.cssSelector("[data-testid='call'][data-user='" + user + "']"));
    }

    void call(String user) {
        callButton(user).click();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The page's own getStats summary: framesDecoded, frameWidth/Height, local/remote candidate types. */
    @SuppressWarnings("unchecked")
    Map<String, Object> stats() {
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "window.decwebrtc.stats().then(done, e => done(null));");
        return result == null ? Map.of() : (Map<String, Object>) result;
    }

    long framesDecoded() {
        Object frames = stats().get("framesDecoded");
        return frames == null ? 0 : ((Number) frames).longValue();
    }

    /** The remote video element is actually playing: frames decoded and the element has a picture. */
    boolean remotePlaying() {
        Object ready = js("const v = document.querySelector(\"[data-testid='remote-video']\");"
                + "return v.srcObject !== null && !v.paused && v.readyState >= 2 && v.videoWidth > 0;");
        return Boolean.TRUE.equals(ready) && framesDecoded() > 0;
    }

    /**
     * Starts watching the remote video inside the page, so the moment it starts playing is taken by the browser's
     * clock (the machine's wall clock) instead of by the delay of polling through WebDriver.
     */
    void armPlayingProbe() {
        js("clearInterval(window.__playingProbe); window.__playingAt = 0;"
                + "const v = document.querySelector(\"[data-testid='remote-video']\");"
                + "window.__playingProbe = setInterval(() => {"
                + "  if (v.srcObject && !v.paused && v.readyState >= 2 && v.videoWidth > 0) {"
                + "    window.__playingAt = Date.now(); clearInterval(window.__playingProbe); }"
                + "}, 5);");
    }

    /** Wall-clock millis when the armed probe saw the remote video playing, or 0. */
    long playingAt() {
        return ((Number) js("return window.__playingAt || 0")).longValue();
    }

    /** videoWidth / videoHeight of the remote picture (0 when none). */
    double remoteAspect() {
        Object aspect = js("const v = document.querySelector(\"[data-testid='remote-video']\");"
                + "return v.videoHeight ? v.videoWidth / v.videoHeight : 0;");
        return ((Number) aspect).doubleValue();
    }

    /**
     * This browser calls {@code calleeName}, whose browser accepts; returns once both remote videos play.
     * @return milliseconds from the click on "call" to both videos playing
     */
    long callAndAnswer(Browser callee, String calleeName, java.time.Duration wait) {
        armPlayingProbe();
        callee.armPlayingProbe();
        long t0 = System.currentTimeMillis();
        call(calleeName);
        org.awaitility.Awaitility.await().atMost(wait).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> callee.el("incoming-call").isDisplayed());
        callee.click("accept");
        org.awaitility.Awaitility.await().atMost(wait).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> remotePlaying() && callee.remotePlaying());
        return Math.max(playingAt(), callee.playingAt()) - t0;
    }

    /**
     * Clicks Accept on every file the remote user offers that is still waiting for an answer (files need the
     * receiver's consent). Meant to run inside an await loop: offers arrive while it polls.
     * @return how many offers were accepted now
     */
    int acceptFileOffers() {
        Object clicked = js("const buttons = [...document.querySelectorAll(\"[data-testid='file-offer'] [data-testid='file-accept']\")];"
                + "buttons.forEach(b => b.click()); return buttons.length;");
        return ((Number) clicked).intValue();
    }

    /** The page's file transfer counters (bytes and pieces sent, received, verified, re-sent; resumes). */
    @SuppressWarnings("unchecked")
    Map<String, Object> fileStats() {
        return (Map<String, Object>) js("return window.__decwebrtcFiles.stats()");
    }

    long fileStat(String name) {
        Object value = fileStats().get(name);
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** Keeps what the user saw, for whoever reads the build output. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (IOException e) {
            System.err.println("[e2e] screenshot not saved: " + e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            TestNodes.deleteTree(profile);
        }
    }
}

package org.decwebrtc.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * File transfer between two headless Chromium in a call (two in-process nodes on loopback): nothing moves before
 * the receiver accepts, a declined or too large file never arrives, either side can cancel, a transfer cut by an
 * ICE restart and a re-opened channel resumes from the last verified piece, and a forged transfer whose bytes do
 * not match the announced hash is never offered. Each test starts from the same call; none depends on another.
 */
@Tag("slow")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileTransferE2eTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int MIB = 1024 * 1024;
    /** files.js PIECE_BYTES: what the sender hashes and the receiver verifies at a time. */
    private static final int PIECE = 512 * 1024;

    private Path dir;
    private TestNodes.Node alice;
    private TestNodes.Node bob;
    private Browser a;
    private Browser b;
    private Path big;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("decwebrtc-files-e2e");
        Browser[] ab = Browser.launchTwo("alice", "bob");
        a = ab[0];
        b = ab[1];
        TestNodes.Pair nodes = TestNodes.startPair(dir);
        alice = nodes.alice();
        bob = nodes.bob();
        a.open(alice.url());
        b.open(bob.url());
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.hasCallButton("bob") && b.hasCallButton("alice"));
        a.callAndAnswer(b, "bob", WAIT);
        // Big enough that a transfer is still running when the test acts on it, whatever the machine's speed.
        big = dir.resolve("big-300MiB.bin");
        TestFiles.writeRandom(big, 300 * MIB);
    }

    @AfterEach
    void settle() {
        // Whatever a test left running is cancelled, so the next one starts with an idle channel.
        for (Browser browser : List.of(a, b)) {
            browser.js("document.querySelectorAll(\"[data-testid='file-cancel'], [data-testid='file-decline']\")"
                    + ".forEach(x => x.click())");
        }
    }

    @AfterAll
    void stop() throws Exception {
        Browser.closeAll(a, b);
        TestNodes.stop(alice);
        TestNodes.stop(bob);
        TestNodes.deleteTree(dir);
    }

    @Test
    void aDeclinedFileNeverArrivesAndTheSenderSeesDeclined() throws Exception {
        Path file = dir.resolve("holiday.png");
        TestFiles.writeRandom(file, 3 * MIB + 17);
        long receivedBefore = b.fileStat("bytesReceived");
        long sentBefore = a.fileStat("bytesSent");
        int linksBefore = b.all("received-file").size();
        WebElement offer = offerTo(b, file);

        // The offer shows name, size and type, and nothing moves while the receiver has not answered.
        String text = offer.getText();
        assertThat(text).contains("holiday.png").contains("3.0 MiB").contains("image/png");
        Thread.sleep(1500);
        assertThat(b.fileStat("bytesReceived")).as("bytes before Accept").isEqualTo(receivedBefore);

        offer.findElement(By.cssSelector("[data-testid='file-decline']")).click();
        WebElement sent = lastRow(a, "file-outgoing");
        await().atMost(WAIT).pollInterval(POLL).until(() -> sent.getText().contains("declined"));
        Thread.sleep(1500);
        assertThat(b.fileStat("bytesReceived")).isEqualTo(receivedBefore);
        assertThat(b.all("received-file")).hasSize(linksBefore);
        assertThat(offer.findElements(By.cssSelector("[data-testid='file-accept']"))).isEmpty();
        assertThat(a.fileStat("bytesSent")).as("alice sent no bytes of a declined file").isEqualTo(sentBefore);

        // A file over the size limit the receiver set is declined without asking.
        b.el("file-size-limit").clear();
        b.el("file-size-limit").sendKeys("2\n");
        try {
            a.el("file-input").sendKeys(file.toString());
            await().atMost(WAIT).pollInterval(POLL).until(() -> lastRow(a, "file-outgoing").getText().contains("declined"));
            assertThat(lastRow(a, "file-outgoing").getText()).contains("limit");
            assertThat(b.fileStat("bytesReceived")).isEqualTo(receivedBefore);
            assertThat(b.all("received-file")).hasSize(linksBefore);
        } finally {
            b.el("file-size-limit").clear();
            b.el("file-size-limit").sendKeys("4096\n");
        }
    }

    @Test
    void theSenderCancelsAndBothStop() throws Exception {
        cancelMidFile(a, "alice");
    }

    @Test
    void theReceiverCancelsAndBothStop() throws Exception {
        cancelMidFile(b, "bob");
    }

    private void cancelMidFile(Browser canceller, String who) throws Exception {
        int linksBefore = b.all("received-file").size();
        long verifiedBefore = b.fileStat("piecesVerified");
        long receivedBefore = b.fileStat("bytesReceived");
        WebElement offer = offerTo(b, big);
        offer.findElement(By.cssSelector("[data-testid='file-accept']")).click();
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.fileStat("piecesVerified") > verifiedBefore);
        WebElement row = canceller == a ? lastRow(a, "file-outgoing") : offer;
        row.findElement(By.cssSelector("[data-testid='file-cancel']")).click();

        WebElement sent = lastRow(a, "file-outgoing");
        await().atMost(WAIT).pollInterval(POLL).until(() -> sent.getText().contains("cancelled")
                && offer.getText().contains("cancelled"));
        assertThat((canceller == a ? offer : sent).getText()).contains("cancelled by " + who);
        assertThat(sent.findElements(By.cssSelector("[data-testid='file-cancel']"))).isEmpty();
        assertThat(offer.findElements(By.cssSelector("[data-testid='file-cancel']"))).isEmpty();
        // Both ends stopped: no more bytes go out or come in, and no file is offered.
        Thread.sleep(1000);
        long sentBytes = a.fileStat("bytesSent");
        long receivedBytes = b.fileStat("bytesReceived");
        Thread.sleep(2000);
        assertThat(a.fileStat("bytesSent")).as("alice keeps sending").isEqualTo(sentBytes);
        assertThat(b.fileStat("bytesReceived")).as("bob keeps receiving").isEqualTo(receivedBytes);
        assertThat(receivedBytes - receivedBefore).as("bytes of the cancelled file").isLessThan(Files.size(big));
        assertThat(b.all("received-file")).hasSize(linksBefore);
        System.out.printf("[files] cancelled by %s after %d of %d MiB%n", who, (receivedBytes - receivedBefore) / MIB,
                Files.size(big) / MIB);
    }

    @Test
    void aTransferCutByAnIceRestartAndAChannelReopenResumesFromTheLastVerifiedPiece() throws Exception {
        Path file = dir.resolve("resume-48MiB.bin");
        TestFiles.writeRandom(file, 48 * MIB + 12345);
        long size = Files.size(file);
        int linksBefore = b.all("received-file").size();
        long receivedBefore = b.fileStat("bytesReceived");
        long channelsBefore = b.fileStat("channelsOpened");
        long resumesBefore = a.fileStat("resumes");
        long verifiedBefore = b.fileStat("piecesVerified");
        long resentBefore = a.fileStat("piecesResent");
        WebElement offer = offerTo(b, file);
        offer.findElement(By.cssSelector("[data-testid='file-accept']")).click();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> b.fileStat("piecesVerified") >= verifiedBefore + 3);

        // Mid-file: the callee (who makes the offers) restarts ICE, and the files channel is closed under both.
        b.js("window.decwebrtc.restartIce()");
        a.js("window.__decwebrtcFiles.channel.close()");
        long cutAt = b.fileStat("piecesVerified") - verifiedBefore;

        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).until(() -> b.all("received-file").size() > linksBefore);
        } finally {
            System.out.println("[files] alice " + a.fileStats() + "\n" + a.js("return window.__decwebrtcFiles.events.join('\\n')")
                    + "\n[files] bob " + b.fileStats() + "\n" + b.js("return window.__decwebrtcFiles.events.join('\\n')"));
        }
        String sha = b.all("received-file").get(linksBefore).getAttribute("data-sha256");
        assertThat(sha).isEqualTo(TestFiles.sha256(file));
        long extra = b.fileStat("bytesReceived") - receivedBefore - size;
        long resent = a.fileStat("piecesResent") - resentBefore;
        System.out.printf("[files] resume: cut after %d verified pieces; channels opened %d -> %d; resumes %d; "
                        + "bytes received beyond the file %d; pieces alice put on the channel again %d; ICE restarts %s%n",
                cutAt, channelsBefore, b.fileStat("channelsOpened"), a.fileStat("resumes") - resumesBefore, extra,
                resent, b.stats().get("restarts"));
        assertThat(b.fileStat("channelsOpened")).as("the files channel was re-opened").isGreaterThan(channelsBefore);
        assertThat(a.fileStat("resumes") - resumesBefore).as("alice resumed instead of starting over").isGreaterThanOrEqualTo(1);
        // Re-sent = what reached bob's page twice: at most the piece that was cut in the middle, less than two pieces.
        assertThat(extra).as("bytes that reached bob twice").isLessThan(2L * PIECE);
        assertThat(resent * PIECE).as("bytes of the pieces alice queued again (includes what her closed channel dropped unsent)")
                .isLessThanOrEqualTo(8L * MIB);
    }

    @Test
    void aForgedFileWhoseBytesDoNotMatchItsHashIsNeverOffered() throws Exception {
        int linksBefore = b.all("received-file").size();
        long rejectedBefore = b.fileStat("piecesRejected");
        // Alice's page plays a hostile sender on the files channel: a piece whose bytes do not match the piece
        // hash it announces, then a piece-list hash that does not match the pieces it sent.
        a.js("const ch = window.__decwebrtcFiles.channel;"
                + "window.__forged = { id: 'f0f0f0f0f0f0f0f0', ch, log: [] };"
                + "ch.addEventListener('message', (e) => { if (typeof e.data === 'string') window.__forged.log.push(e.data); });"
                + "ch.send(JSON.stringify({kind: 'offer', id: 'f0f0f0f0f0f0f0f0', name: 'forged.bin', size: 1048576,"
                + "  type: '', pieceBytes: 1048576}));");
        WebElement offer = await().atMost(WAIT).pollInterval(POLL).until(() -> lastRow(b, "file-offer"),
                row -> row.getText().contains("forged.bin"));
        offer.findElement(By.cssSelector("[data-testid='file-accept']")).click();
        await().atMost(WAIT).pollInterval(POLL).until(() -> forgedLog().contains("\"accept\""));

        String piece = "const f = window.__forged; const bytes = new Uint8Array(1048576).fill(arguments[0]);"
                + "const sha = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]"
                + "  .map(x => x.toString(16).padStart(2, '0')).join('');"
                + "for (let at = 0; at < bytes.length; at += 262144) f.ch.send(bytes.subarray(at, at + 262144));"
                + "return sha;";
        // Piece 0 with the hash of other bytes: rejected, and bob asks for piece 0 again.
        String wrongSha = (String) a.js("return (async () => { " + piece.replace("f.ch.send", "void") + " })()", 7);
        a.js("return (async () => { const sha = await (async () => { " + piece + " })();"
                + "window.__forged.ch.send(JSON.stringify({kind: 'piece', id: window.__forged.id, index: 0, sha256: arguments[1]})); })()",
                1, wrongSha);
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.fileStat("piecesRejected") > rejectedBefore);
        // Piece 0 right, then the hash of another piece list: bob discards the file.
        a.js("return (async () => { const sha = await (async () => { " + piece + " })();"
                + "window.__forged.ch.send(JSON.stringify({kind: 'piece', id: window.__forged.id, index: 0, sha256: sha}));"
                + "window.__forged.ch.send(JSON.stringify({kind: 'end', id: window.__forged.id, root: arguments[1]})); })()",
                1, wrongSha);
        await().atMost(WAIT).pollInterval(POLL).until(() -> offer.getText().contains("damaged"));
        assertThat(forgedLog()).contains("\"fail\"");
        assertThat(b.all("received-file")).hasSize(linksBefore);
        assertThat(offer.findElements(By.cssSelector("a"))).isEmpty();
        // Garbage on the channel (bytes with no piece, nonsense control messages) changes nothing and breaks nothing.
        a.js("const ch = window.__decwebrtcFiles.channel; for (let i = 0; i < 5; i++) ch.send(new Uint8Array(262144));"
                + "ch.send('{not json'); ch.send(JSON.stringify({kind: 'piece',"
                + " id: 'zz', index: 0})); ch.send(JSON.stringify({kind: 'offer', id: 'abababababababab', name: 'x',"
                + " size: -1, pieceBytes: 1048576}));");
        Path file = dir.resolve("after-garbage.txt");
        Files.writeString(file, "still works\n".repeat(1000));
        WebElement next = offerTo(b, file);
        next.findElement(By.cssSelector("[data-testid='file-accept']")).click();
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.all("received-file").size() > linksBefore);
        assertThat(b.all("received-file").get(linksBefore).getAttribute("data-sha256")).isEqualTo(TestFiles.sha256(file));
    }

    private String forgedLog() {
        return String.valueOf(a.js("return window.__forged.log.join('\\n')"));
    }

    /** Alice offers the file; returns bob's new offer row once it is there. */
    private WebElement offerTo(Browser receiver, Path file) {
        int before = receiver.all("file-offer").size();
        a.el("file-input").sendKeys(file.toString());
        await().atMost(WAIT).pollInterval(POLL).until(() -> receiver.all("file-offer").size() > before);
        return receiver.all("file-offer").get(before);
    }

    private static WebElement lastRow(Browser browser, String testid) {
        List<WebElement> rows = browser.all(testid);
        return rows.get(rows.size() - 1);
    }
}

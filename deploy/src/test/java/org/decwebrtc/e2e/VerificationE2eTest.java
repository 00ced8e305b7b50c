package org.decwebrtc.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who you talk to: both users see the same safety number for each other, a verified mark survives in the data
 * directory, the call screen says whether the remote user is verified, and when a known name comes back with
 * another key the page shows a blocking key warning instead of calling.
 */
@Tag("slow")
class VerificationE2eTest extends TwoUsersFixture {

    private static WebElement row(Browser browser, String testid, String user) {
        return browser.driver().findElement(By.cssSelector("[data-testid='" + testid + "'][data-user='" + user + "']"));
    }

    @Test
    void safetyNumbersMatchVerifiedIsKeptAndAKeyChangeWarnsBeforeCalling() throws Exception {
        startTwoUsers("verify");
        await().atMost(WAIT).pollInterval(POLL).ignoreExceptions().until(() ->
                row(a, "safety-number", "bob").getText().matches("(\\d{5} ){5}\\d{5}")
                        && row(b, "safety-number", "alice").getText().matches("(\\d{5} ){5}\\d{5}"));
        String atAlice = row(a, "safety-number", "bob").getText();
        String atBob = row(b, "safety-number", "alice").getText();
        System.out.printf("[verify] safety number alice<->bob: %s at alice's, %s at bob's%n", atAlice, atBob);
        assertThat(atAlice).isEqualTo(atBob);

        // alice compares and marks bob verified; it is kept in her data directory.
        a.js("window.confirm = () => true");
        row(a, "verify", "bob").click();
        await().atMost(WAIT).pollInterval(POLL).until(() -> row(a, "verify", "bob").getText().contains("Verified"));
        assertThat(Files.readString(dir.resolve("alice").resolve("contact-keys.json"))).contains("\"verified\"");
        assertThat(row(b, "verify", "alice").getText()).isEqualTo("Verify");

        // The call screen says so: verified at alice's, not verified at bob's.
        a.callAndAnswer(b, "bob", WAIT);
        assertThat(a.text("call-verification")).startsWith("verified").contains("signed, encrypted signaling");
        assertThat(b.text("call-verification")).startsWith("not verified");
        a.click("hangup");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));

        // "bob" comes back with a new key (a new node, or someone else claiming the name).
        b.close();
        b = null;
        TestNodes.stop(bob);
        TestNodes.deleteTree(dir.resolve("bob"));
        bob = TestNodes.start("bob", bob.gossipPort(), List.of(alice.gossipPort()), dir.resolve("bob-again"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).ignoreExceptions().until(() ->
                "true".equals(a.driver().findElement(By.cssSelector("#users li[data-user='bob']"))
                        .getAttribute("data-key-changed")));
        assertThat(row(a, "verify", "bob").getText()).isEqualTo("Verify");
        a.call("bob");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.el("key-warning").isDisplayed());
        assertThat(a.el("key-warning").getText()).contains("key has changed");
        Thread.sleep(1000);
        assertThat(a.state()).as("nothing is called while the warning is open").isEqualTo("idle");
        a.driver().findElement(By.id("key-cancel")).click();
        assertThat(a.el("key-warning").isDisplayed()).isFalse();
        assertThat(a.state()).isEqualTo("idle");
    }
}

package org.decwebrtc.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the user controls of their own media, as both users see it: the device settings list the browser's
 * (fake) cameras, microphones and speakers and play the chosen camera; a microphone chosen during a call reaches
 * the remote user by replaceTrack without a new offer; muting the microphone and turning the camera off show on
 * the remote user's page over the remote video (in a conference, on the member's tile), and turning them back on
 * clears it.
 */
@Tag("slow")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MediaControlsE2eTest extends TwoUsersFixture {
    private static final String PREVIEW_PLAYING = "const v = document.querySelector(\"[data-testid='device-preview']\");"
            + "return v.srcObject !== null && !v.paused && v.readyState >= 2 && v.videoWidth > 0;";
    private static final String SENT_AUDIO_LABEL = "const pc = window.decwebrtc.peerConnection();"
            + "const s = pc && pc.getSenders().find(x => x.track && x.track.kind === 'audio');"
            + "return s ? s.track.label : null;";

    private static List<String> options(Browser browser, String testid) {
        return new Select(browser.el(testid)).getOptions().stream().map(o -> o.getText()).toList();
    }

    @Test
    void deviceChoiceWithPreviewAndMuteAndCameraOffShownToTheRemoteUser() throws Exception {
        startTwoUsers("media");

        // Device settings in idle: Chromium's fake devices by name, and the chosen camera's picture.
        a.click("device-settings");
        await().atMost(WAIT).pollInterval(POLL).until(() -> Boolean.TRUE.equals(a.js(PREVIEW_PLAYING))
                && options(a, "mic-select").size() >= 2);
        List<String> cameras = options(a, "camera-select");
        List<String> mics = options(a, "mic-select");
        List<String> speakers = options(a, "speaker-select");
        System.out.printf("[media] cameras %s, microphones %s, speakers %s%n", cameras, mics, speakers);
        assertThat(cameras).contains("fake_device_0");
        assertThat(mics).contains("Fake Audio Input 1", "Fake Audio Input 2");
        assertThat(a.el("speaker-select").isDisplayed()).as("Chromium has setSinkId").isTrue();
        assertThat(speakers).contains("Fake Audio Output 1");
        // Chromium's fake microphone beeps: the level meter moves.
        await().atMost(WAIT).pollInterval(POLL).until(() -> ((Number) a.js(
                "return Number(document.querySelector(\"[data-testid='mic-level']\").dataset.peak || 0)")).doubleValue() > 0);
        new Select(a.el("mic-select")).selectByVisibleText("Fake Audio Input 1");
        assertThat((String) a.js("return localStorage.getItem('decwebrtc.devices')"))
                .contains("\"mic\":\"" + a.el("mic-select").getAttribute("value") + "\"").doesNotContain("\"mic\":\"\"");
        a.el("mic-select").sendKeys(Keys.ESCAPE);
        await().atMost(WAIT).pollInterval(POLL).until(() -> !a.el("device-preview").isDisplayed()
                && a.js("return document.querySelector(\"[data-testid='device-preview']\").srcObject") == null);

        // The next call uses the kept choice.
        a.callAndAnswer(b, "bob", WAIT);
        await().atMost(WAIT).pollInterval(POLL).until(() -> (String) a.js(SENT_AUDIO_LABEL), equalTo("Fake Audio Input 1"));
        assertThat(b.el("remote-muted").isDisplayed()).isFalse();
        assertThat(b.el("remote-camera-off").isDisplayed()).isFalse();

        // Another microphone during the call: replaceTrack, no new offer, the call goes on.
        String sdpBefore = (String) a.js("return window.decwebrtc.peerConnection().localDescription.sdp");
        a.click("device-settings");
        await().atMost(WAIT).pollInterval(POLL).until(() -> options(a, "mic-select").contains("Fake Audio Input 2"));
        new Select(a.el("mic-select")).selectByVisibleText("Fake Audio Input 2");
        await().atMost(WAIT).pollInterval(POLL).until(() -> (String) a.js(SENT_AUDIO_LABEL), equalTo("Fake Audio Input 2"));
        a.driver().findElement(By.cssSelector("#device-dialog button[value='close']")).click();
        assertThat(a.js("return window.decwebrtc.peerConnection().localDescription.sdp")).isEqualTo(sdpBefore);
        assertThat(a.state()).isEqualTo("in-call");
        assertThat(b.state()).isEqualTo("in-call");

        // Mute and camera off, shown at bob's over alice's video; and cleared again.
        long t0 = System.currentTimeMillis();
        a.click("mute-mic");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.el("remote-muted").isDisplayed());
        long muteShownMs = System.currentTimeMillis() - t0;
        assertThat(b.text("remote-muted")).contains("alice").contains("muted");
        assertThat(b.el("remote-camera-off").isDisplayed()).isFalse();
        assertThat(a.el("mute-mic").getAttribute("aria-pressed")).isEqualTo("true");
        a.click("mute-camera");
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.el("remote-camera-off").isDisplayed());
        assertThat(b.text("remote-camera-off")).contains("alice").contains("camera off");
        assertThat(a.el("remote-muted").isDisplayed()).as("alice's own page shows nothing of bob").isFalse();
        a.click("mute-mic");
        await().atMost(WAIT).pollInterval(POLL).until(() -> !b.el("remote-muted").isDisplayed());
        assertThat(b.el("remote-camera-off").isDisplayed()).isTrue();
        a.click("mute-camera");
        await().atMost(WAIT).pollInterval(POLL).until(() -> !b.el("remote-camera-off").isDisplayed());
        System.out.printf("[media] mute shown at the remote page after %d ms%n", muteShownMs);

        // bob mutes, then the call ends: nothing of it stays on either page.
        b.click("mute-mic");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.el("remote-muted").isDisplayed());
        a.click("hangup");
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.state().equals("idle") && b.state().equals("idle"));
        assertThat(a.el("remote-muted").getAttribute("hidden")).isNotNull();
        // (idle hides the stage: its buttons are read, not looked at)
        assertThat(b.js("return document.querySelector(\"[data-testid='mute-mic']\").textContent")).isEqualTo("Mute mic");
    }

    @Test
    void aConferenceTileShowsItsMembersMuteAndCameraOff() throws Exception {
        startTwoUsers("media-conf");
        Map<String, Browser> pages = new LinkedHashMap<>();
        pages.put("alice", a);
        pages.put("bob", b);
        ConferencePages.conferenceOf(pages, "media");
        a.click("mute-mic");
        await().atMost(WAIT).pollInterval(POLL).until(() -> tileMark(b, "remote-muted", "alice").isDisplayed());
        a.click("mute-camera");
        await().atMost(WAIT).pollInterval(POLL).until(() -> tileMark(b, "remote-camera-off", "alice").isDisplayed());
        assertThat(tileMark(b, "remote-camera-off", "alice").getText()).contains("alice");
        a.click("mute-mic");
        a.click("mute-camera");
        await().atMost(WAIT).pollInterval(POLL).until(() -> !tileMark(b, "remote-muted", "alice").isDisplayed()
                && !tileMark(b, "remote-camera-off", "alice").isDisplayed());
        ConferencePages.leaveAll(pages);
    }

    private static WebElement tileMark(Browser browser, String testid, String user) {
        return browser.driver().findElement(By.cssSelector("[data-testid='conf-tile'][data-user='" + user + "'] [data-testid='"
                + testid + "'][data-user='" + user + "']"));
    }
}

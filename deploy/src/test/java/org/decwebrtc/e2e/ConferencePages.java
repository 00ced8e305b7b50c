package org.decwebrtc.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the conference tests do and read on a page, through its data-testid hooks. */
final class ConferencePages {
    static final Duration WAIT = Duration.ofSeconds(45);
    static final Duration POLL = Duration.ofMillis(100);

    private ConferencePages() {
    }

    /** Users with a tile, read in one script: tiles come and go while the test polls. */
    @SuppressWarnings("unchecked")
    static List<String> tiles(Browser b) {
        List<Object> users = (List<Object>) b.js("return [...document.querySelectorAll(\"[data-testid='conf-tile']\")]"
                + ".map(t => t.dataset.user)");
        return users.stream().map(String::valueOf).sorted().toList();
    }

    /** currentTime of every tile's video that has a picture, by user. */
    @SuppressWarnings("unchecked")
    static Map<String, Double> videoTimes(Browser b) {
        Object result = b.js("const out = {};"
                + "document.querySelectorAll(\"[data-testid='conf-tile']\").forEach(t => {"
                + "  const v = t.querySelector('video');"
                + "  if (v && v.srcObject && !v.paused && v.readyState >= 2 && v.videoWidth > 0) out[t.dataset.user] = v.currentTime;"
                + "});"
                + "return out;");
        Map<String, Double> times = new java.util.TreeMap<>();
        ((Map<String, Object>) result).forEach((k, v) -> times.put(k, ((Number) v).doubleValue()));
        return times;
    }

    /** Every listed user's tile plays: it has a picture and its time moves on. */
    static boolean playing(Browser b, List<String> users) {
        Map<String, Double> first = videoTimes(b);
        if (!first.keySet().containsAll(users)) {
            return false;
        }
        sleep(700);
        Map<String, Double> second = videoTimes(b);
        return users.stream().allMatch(u -> second.containsKey(u) && second.get(u) > first.get(u));
    }

    /** Every page of {@code in} plays a tile of each of the others, and only those. */
    static void awaitMesh(Map<String, Browser> in, Duration wait) {
        try {
            for (Map.Entry<String, Browser> page : in.entrySet()) {
                List<String> others = in.keySet().stream().filter(n -> !n.equals(page.getKey())).sorted().toList();
                Browser b = page.getValue();
                await().atMost(wait).pollInterval(POLL).until(() -> tiles(b).equals(others) && playing(b, others));
                assertThat(b.state()).isEqualTo("in-conference");
            }
        } catch (RuntimeException | AssertionError e) {
            in.forEach((name, b) -> System.out.println("[conference] " + name + "'s page: " + describe(b)));
            throw e;
        }
    }

    /** Each tile's quality indicator level, by user (tiles without one yet are left out). */
    @SuppressWarnings("unchecked")
    static Map<String, String> qualityLevels(Browser b) {
        Object result = b.js("const out = {};"
                + "document.querySelectorAll(\"[data-testid='conf-tile']\").forEach(t => {"
                + "  const q = t.querySelector(\"[data-testid='quality']\");"
                + "  if (q && q.dataset.level) out[t.dataset.user] = q.dataset.level;"
                + "});"
                + "return out;");
        return new java.util.TreeMap<>((Map<String, String>) result);
    }

    /** What a page shows of the conference, for the build output when a step fails. */
    static Object describe(Browser b) {
        try {
            return b.js("const tiles = [...document.querySelectorAll(\"[data-testid='conf-tile']\")].map(t => {"
                    + "  const v = t.querySelector('video');"
                    + "  const q = t.querySelector(\"[data-testid='quality']\");"
                    + "  return `${t.dataset.user}:${t.dataset.connection}:frames=${t.dataset.framesDecoded}:ready=${v.readyState}"
                    + ":quality=${q && q.dataset.level}:media=${t.dataset.mediaLevel}`; });"
                    + "return `state=${document.querySelector(\"[data-testid='call-state']\").textContent} tiles=${tiles.join(',')}"
                    + " notice=${document.querySelector(\"[data-testid='notice']\").textContent}`;");
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    /** From now on the page keeps every notice it shows (the notice line shows only the latest). */
    static void recordNotices(Browser b) {
        b.js("window.seenNotices = [];"
                + "const box = document.querySelector(\"[data-testid='notice']\");"
                + "new MutationObserver(() => window.seenNotices.push(box.textContent))"
                + ".observe(box, {childList: true, characterData: true, subtree: true});");
    }

    @SuppressWarnings("unchecked")
    static List<String> notices(Browser b) {
        return ((List<Object>) b.js("return window.seenNotices || []")).stream().map(String::valueOf).toList();
    }

    static String itemState(Browser b, String conf) {
        List<WebElement> items = b.driver().findElements(
                By.cssSelector("[data-testid='conf-item'][data-conf='" + conf + "']"));
        return items.isEmpty() ? null : items.get(0).getAttribute("data-state");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String startConference(Browser starter, String title) {
        starter.el("conf-title").sendKeys(title);
        starter.click("conf-start");
        await().atMost(WAIT).pollInterval(POLL).until(() -> starter.state().equals("in-conference")
                && !starter.all("conf-item").isEmpty());
        return (String) starter.js("const items = document.querySelectorAll(\"[data-testid='conf-item']\");"
                + "return items[items.length - 1].dataset.conf");
    }

    static void invite(Browser from, String user) {
        WebElement button = from.driver().findElement(
                By.cssSelector("[data-testid='conf-invite'][data-user='" + user + "']"));
        button.click();
    }

    static void awaitRinging(Browser b, String conf) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.el("conf-invitation").isDisplayed()
                && conf.equals(b.el("conf-invitation").getAttribute("data-conf")));
    }

    /** The first user starts a conference, invites the others, they all join; returns once every page plays. */
    static String conferenceOf(Map<String, Browser> in, String title) {
        List<String> names = List.copyOf(in.keySet());
        Browser starter = in.get(names.get(0));
        String conf = startConference(starter, title);
        for (String invitee : names.subList(1, names.size())) {
            invite(starter, invitee);
        }
        for (String invitee : names.subList(1, names.size())) {
            awaitRinging(in.get(invitee), conf);
            in.get(invitee).click("conf-join");
        }
        awaitMesh(in, WAIT);
        return conf;
    }

    static void leaveAll(Map<String, Browser> in) {
        for (Browser b : in.values()) {
            if ("in-conference".equals(b.state())) {
                b.click("conf-leave");
            }
        }
    }
}

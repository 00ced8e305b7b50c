package org.decwebrtc.gateway.testing;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.gateway.call.CallOutbox;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the call and conference machines send, kept for the test to read: signals to remote users, messages to
 * the tab, and timers, which run only when the test runs them.
 */
public final class RecordingOutbox implements CallOutbox {
    /** A signal and the remote user it went to. */
    public record Sent(String to, JsonObject signal) {
        /** "{@code to type [reason]}", the way the tests list what went out. */
        public String line() {
            return to + " " + signal.getString("type")
                    + (signal.containsKey("reason") ? " " + signal.getString("reason") : "");
        }
    }

    public final List<Sent> signals = new ArrayList<>();
    public final List<JsonObject> tab = new ArrayList<>();
    public final List<Runnable> timers = new ArrayList<>();

    @Override
    public void signal(String to, JsonObject signal) {
        assertThat(to).as("signal addressee").isNotNull();
        signals.add(new Sent(to, signal));
    }

    @Override
    public void tab(JsonObject message) {
        tab.add(message);
    }

    @Override
    public void after(long millis, Runnable action) {
        timers.add(action);
    }

    /** Every signal sent so far as {@link Sent#line()}. */
    public List<String> signalLines() {
        return signals.stream().map(Sent::line).toList();
    }
}

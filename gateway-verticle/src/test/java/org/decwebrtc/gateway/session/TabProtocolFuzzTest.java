package org.decwebrtc.gateway.session;

import org.decwebrtc.gateway.testing.RecordingOutbox;
import org.decwebrtc.gateway.testing.SettableClock;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TabMessages;
import org.decwebrtc.gateway.call.CallMachine;
import org.decwebrtc.gateway.conference.ConferenceMachine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any text a tab can send, frame by frame, into the gateway's tab protocol with its real call and conference
 * machines: each input is one tab session (opened, the frames, closed) against fresh machines. A line is one frame;
 * a line starting with {@code <} is instead a signal from the remote user "alice" arriving through gossip and one
 * starting with {@code !} a bounce of a signal to her, so the fuzzer reaches the ringing, in-call and conference
 * states the tab's messages act on. Time moves one second per line and pending timers fire at the end.
 *
 * <p>Frames are decoded as {@link TabSession} does. Then nothing may throw ({@link TabSession} would turn an
 * exception into a vague "bad message" error: for the fuzzer every exception is a finding), an error for the tab
 * is short text, and every message the node sends to the tab or the remote user is a JSON object with a string
 * {@code type}.
 */
class TabProtocolFuzzTest {
    private static final int MAX_FRAMES = 32;

    @FuzzTest(maxExecutions = 1_000_000)
    void anyFrames(byte[] input) {
        RecordingOutbox outbox = new RecordingOutbox();
        List<JsonObject> toTab = outbox.tab;
        List<Runnable> timers = outbox.timers;
        SettableClock clock = new SettableClock();
        CallMachine calls = new CallMachine("bob", outbox, clock);
        ConferenceMachine conferences = new ConferenceMachine("bob", outbox, clock,
                () -> "0123456789abcdef0123456789abcdef", () -> calls.state() != org.decwebrtc.gateway.call.CallState.IDLE);
        calls.busyWhile(conferences::busy);
        TabProtocol protocol = new TabProtocol("bob", calls, toTab::add,
                () -> Future.succeededFuture(new JsonObject().put("type", TabMessages.ToTab.ICE_SERVERS)),
                () -> Future.succeededFuture(new JsonObject().put("users", new io.vertx.core.json.JsonArray())),
                peer -> peer == null ? Future.failedFuture("no peer") : Future.succeededFuture(peer), conferences);

        protocol.opened();
        String text = new String(input, StandardCharsets.UTF_8);
        int frames = 0;
        for (String frame : text.split("\n", MAX_FRAMES + 1)) {
            if (frames++ == MAX_FRAMES) {
                break;
            }
            clock.advance(1000);
            if (frame.startsWith("<")) {
                JsonObject signal = decode(frame.substring(1));
                if (signal != null) {
                    // As the gateway's relays do: every signal to the call machine, conference ones to conferences.
                    calls.onSignal("alice", signal);
                    if (signal.getValue("type") instanceof String type && SignalTypes.CONFERENCE.contains(type)) {
                        conferences.onSignal("alice", signal);
                    }
                }
            } else if (frame.startsWith("!")) {
                JsonObject bounced = decode(frame.substring(1));
                calls.onUndeliverable("alice", "unreachable", bounced);
                conferences.onUndeliverable("alice", "unreachable",
                        bounced == null || !(bounced.getValue("type") instanceof String t) ? null : t);
            } else {
                JsonObject message = decode(frame);
                if (message != null && message.getValue("type") instanceof String) {
                    String problem = protocol.message(message);
                    if (problem != null) {
                        assertThat(problem).as("error for the tab").isNotBlank().hasSizeLessThan(1200);
                    }
                }
            }
        }
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
        protocol.closed();
        for (JsonObject message : toTab) {
            assertThat(message.getValue("type")).as("a message to the tab: %s", message).isInstanceOf(String.class);
            message.encode();
        }
        for (RecordingOutbox.Sent sent : outbox.signals) {
            JsonObject signal = sent.signal();
            assertThat(signal.getValue("type")).as("a signal to the remote user: %s", signal).isInstanceOf(String.class);
            signal.encode();
        }
    }

    /** A frame as {@link TabSession} decodes it: a JSON object, or nothing. */
    private static JsonObject decode(String frame) {
        try {
            return new JsonObject(frame);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }
}

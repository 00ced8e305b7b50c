package org.decwebrtc.gateway.call;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallMachineTest {
    private final List<String> signals = new ArrayList<>();
    private final List<JsonObject> tab = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private CallMachine bob;

    @BeforeEach
    void setUp() {
        bob = new CallMachine("bob", new CallOutbox() {
            @Override
            public void signal(String to, JsonObject signal) {
                signals.add(to + " " + signal.getString("type")
                        + (signal.containsKey("reason") ? " " + signal.getString("reason") : ""));
            }

            @Override
            public void tab(JsonObject message) {
                tab.add(message);
            }

            @Override
            public void after(long millis, Runnable action) {
                timers.add(action);
            }
        }, Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC));
    }

    private JsonObject lastState() {
        return tab.stream().filter(m -> "call-state".equals(m.getString("type"))).reduce((x, y) -> y).orElseThrow();
    }

    private static JsonObject signal(String type) {
        return new JsonObject().put("type", type);
    }

    @Test
    void withoutATabTheNodeRejectsForItsUser() {
        bob.onSignal("alice", signal("call-request"));
        assertThat(signals).containsExactly("alice reject no one is at bob's screen");
        assertThat(bob.state()).isEqualTo(CallState.IDLE);
    }

    @Test
    void calleeRingsAcceptsAndRelaysMedia() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        assertThat(lastState().getString("state")).isEqualTo("ringing");
        assertThat(lastState().getString("with")).isEqualTo("alice");
        assertThat(bob.accept()).isNull();
        assertThat(bob.toJson().getString("state")).isEqualTo("in-call");
        assertThat(bob.toJson().getString("since")).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(bob.relayFromTab("offer", new JsonObject().put("sdp", "v=0"))).isNull();
        bob.onSignal("alice", signal("answer").put("sdp", "v=0"));
        bob.onSignal("mallory", signal("candidate").put("candidate", new JsonObject()));
        assertThat(signals).containsExactly("alice accept", "alice offer");
        assertThat(tab).filteredOn(m -> "answer".equals(m.getString("type"))).singleElement()
                .satisfies(m -> assertThat(m.getString("from")).isEqualTo("alice"));
        assertThat(tab).noneMatch(m -> "candidate".equals(m.getString("type")));
    }

    @Test
    void busyWhileInACall() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        bob.accept();
        bob.onSignal("carol", signal("call-request"));
        assertThat(signals).containsExactly("alice accept", "carol reject busy");
        assertThat(bob.with()).isEqualTo("alice");
        assertThat(tab.get(tab.size() - 1).getString("message")).contains("missed call from carol");
    }

    @Test
    void callerHearsWhyTheCallWasRefused() {
        bob.tabOpened();
        assertThat(bob.call("alice")).isNull();
        assertThat(lastState().getString("state")).isEqualTo("calling");
        bob.onSignal("alice", signal("reject").put("reason", "rejected"));
        assertThat(lastState().getString("state")).isEqualTo("idle");
        assertThat(lastState().getString("notice")).isEqualTo("alice rejected the call");

        bob.call("alice");
        bob.onSignal("alice", signal("reject").put("reason", "no one is at alice's screen"));
        assertThat(lastState().getString("notice")).isEqualTo("no one is at alice's screen");

        bob.call("alice");
        bob.onSignal("alice", signal("reject").put("reason", "busy"));
        assertThat(lastState().getString("notice")).isEqualTo("alice is busy in another call");
    }

    @Test
    void closingTheTabEndsTheCallForThePeer() {
        bob.tabOpened();
        bob.call("alice");
        bob.onSignal("alice", signal("accept"));
        assertThat(bob.state()).isEqualTo(CallState.IN_CALL);
        bob.tabClosed();
        assertThat(signals).containsExactly("alice call-request", "alice leave bob closed the page");
        assertThat(bob.state()).isEqualTo(CallState.IDLE);
        assertThat(bob.toJson().getValue("with")).isNull();
    }

    @Test
    void unreachableOrUnansweredCallsEnd() {
        bob.tabOpened();
        bob.call("alice");
        bob.onSendFailed("alice", "unknown user: alice", "call-request");
        assertThat(lastState().getString("notice")).isEqualTo("cannot reach alice: unknown user: alice");
        bob.onUndeliverable("alice", "unknown user: alice", "call-request"); // reported twice: no effect
        assertThat(tab.stream().filter(m -> m.containsKey("notice")).count()).isEqualTo(1);

        bob.call("alice");
        timers.get(timers.size() - 1).run();
        assertThat(lastState().getString("notice")).isEqualTo("alice did not answer");
        assertThat(signals).endsWith("alice leave no answer");
        timers.get(0).run(); // an older call's timer must not end anything
        assertThat(bob.state()).isEqualTo(CallState.IDLE);
    }

    @Test
    void refusesNonsenseFromTheTab() {
        bob.tabOpened();
        assertThat(bob.call("bob")).contains("yourself");
        assertThat(bob.accept()).contains("no call");
        assertThat(bob.relayFromTab("offer", new JsonObject())).contains("no call");
        bob.call("alice");
        assertThat(bob.call("carol")).contains("hang up first");
        assertThat(bob.relayFromTab("call-request", new JsonObject())).contains("not a media signal");
    }

    @Test
    void ringingCallCancelledByTheCaller() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        bob.onSignal("alice", signal("leave").put("reason", "no answer"));
        assertThat(lastState().getString("state")).isEqualTo("idle");
        assertThat(lastState().getString("notice")).isEqualTo("missed call from alice");
    }

    @Test
    void whenBothCallAtOnceTheSmallerNamesCallRings() {
        bob.tabOpened();
        bob.call("alice");
        bob.onSignal("alice", signal("call-request")); // "alice" < "bob": alice's call wins
        assertThat(bob.state()).isEqualTo(CallState.RINGING);
        assertThat(bob.with()).isEqualTo("alice");

        bob.reject(null);
        bob.call("carol");
        bob.onSignal("carol", signal("call-request")); // "bob" < "carol": bob's own call stands
        assertThat(bob.state()).isEqualTo(CallState.CALLING);
        assertThat(signals).doesNotContain("carol reject busy");
    }

    @Test
    void aLostCandidateIsReportedButDoesNotEndTheCall() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        bob.accept();
        bob.onUndeliverable("alice", "hop limit reached", "candidate");
        assertThat(bob.state()).isEqualTo(CallState.IN_CALL);
        assertThat(tab.get(tab.size() - 1).getString("message")).isEqualTo("a candidate for alice was lost: hop limit reached");
        bob.onUndeliverable("alice", "unknown user: alice", "accept");
        assertThat(bob.state()).isEqualTo(CallState.IDLE);
    }
}

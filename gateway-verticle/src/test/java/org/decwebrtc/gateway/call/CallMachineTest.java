package org.decwebrtc.gateway.call;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.gateway.testing.RecordingOutbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallMachineTest {
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final List<JsonObject> tab = outbox.tab;
    private final List<Runnable> timers = outbox.timers;
    private CallMachine bob;

    @BeforeEach
    void setUp() {
        bob = new CallMachine("bob", outbox, Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC));
    }

    private JsonObject lastState() {
        return tab.stream().filter(m -> "call-state".equals(m.getString("type"))).reduce((x, y) -> y).orElseThrow();
    }

    /** The id of the call alice places to bob in these tests. */
    private static final String ALICE_CALL = "0123456789abcdef0123456789abcdef";

    private static JsonObject signal(String type) {
        return new JsonObject().put("type", type).put("call", ALICE_CALL);
    }

    /** A signal of the call bob placed. */
    private JsonObject reply(String type) {
        return new JsonObject().put("type", type).put("call", bob.callId());
    }

    @Test
    void withoutATabTheNodeRejectsForItsUser() {
        bob.onSignal("alice", signal("call-request"));
        assertThat(outbox.signalLines()).containsExactly("alice reject no one is at bob's screen");
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
        assertThat(bob.relayFromTab("offer", new JsonObject().put("sdp", "v=0"), ALICE_CALL)).isNull();
        bob.onSignal("alice", signal("answer").put("sdp", "v=0"));
        bob.onSignal("mallory", signal("candidate").put("candidate", new JsonObject()));
        assertThat(outbox.signalLines()).containsExactly("alice accept", "alice offer");
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
        assertThat(outbox.signalLines()).containsExactly("alice accept", "carol reject busy");
        assertThat(bob.with()).isEqualTo("alice");
        assertThat(tab.get(tab.size() - 1).getString("message")).contains("missed call from carol");
    }

    @Test
    void callerHearsWhyTheCallWasRefused() {
        bob.tabOpened();
        assertThat(bob.call("alice")).isNull();
        assertThat(lastState().getString("state")).isEqualTo("calling");
        bob.onSignal("alice", reply("reject").put("reason", "rejected"));
        assertThat(lastState().getString("state")).isEqualTo("idle");
        assertThat(lastState().getString("notice")).isEqualTo("alice rejected the call");

        bob.call("alice");
        bob.onSignal("alice", reply("reject").put("reason", "no one is at alice's screen"));
        assertThat(lastState().getString("notice")).isEqualTo("alice: no one is at alice's screen");

        bob.call("alice");
        bob.onSignal("alice", reply("reject").put("reason", "busy"));
        assertThat(lastState().getString("notice")).isEqualTo("alice is busy in another call");
    }

    @Test
    void closingTheTabEndsTheCallForThePeer() {
        bob.tabOpened();
        bob.call("alice");
        bob.onSignal("alice", reply("accept"));
        assertThat(bob.state()).isEqualTo(CallState.IN_CALL);
        bob.tabClosed();
        assertThat(outbox.signalLines()).containsExactly("alice call-request", "alice leave bob closed the page");
        assertThat(bob.state()).isEqualTo(CallState.IDLE);
        assertThat(bob.toJson().getValue("with")).isNull();
    }

    @Test
    void unreachableOrUnansweredCallsEnd() {
        bob.tabOpened();
        bob.call("alice");
        JsonObject request = reply("call-request");
        bob.onSendFailed("alice", "unknown user: alice", request);
        assertThat(lastState().getString("notice")).isEqualTo("cannot reach alice: unknown user: alice");
        bob.onUndeliverable("alice", "unknown user: alice", request); // reported twice: no effect
        assertThat(tab.stream().filter(m -> m.containsKey("notice")).count()).isEqualTo(1);

        bob.call("alice");
        timers.get(timers.size() - 1).run();
        assertThat(lastState().getString("notice")).isEqualTo("alice did not answer");
        assertThat(outbox.signalLines()).endsWith("alice leave no answer");
        timers.get(0).run(); // an older call's timer must not end anything
        assertThat(bob.state()).isEqualTo(CallState.IDLE);
    }

    @Test
    void refusesNonsenseFromTheTab() {
        bob.tabOpened();
        assertThat(bob.call("bob")).contains("yourself");
        assertThat(bob.accept()).contains("no call");
        assertThat(bob.relayFromTab("offer", new JsonObject(), null)).contains("no call");
        bob.call("alice");
        assertThat(bob.call("carol")).contains("hang up first");
        assertThat(bob.relayFromTab("call-request", new JsonObject(), bob.callId())).contains("not a media signal");
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
        assertThat(bob.callId()).as("the surviving call is alice's").isEqualTo(ALICE_CALL);

        bob.reject(null);
        bob.call("carol");
        String own = bob.callId();
        bob.onSignal("carol", new JsonObject().put("type", "call-request").put("call", "ffffffffffffffffffffffffffffffff"));
        assertThat(bob.state()).isEqualTo(CallState.CALLING); // "bob" < "carol": bob's own call stands
        assertThat(bob.callId()).isEqualTo(own);
        assertThat(outbox.signalLines()).doesNotContain("carol reject busy");
    }

    @Test
    void aLostCandidateIsReportedButDoesNotEndTheCall() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        bob.accept();
        bob.onUndeliverable("alice", "hop limit reached", signal("candidate"));
        assertThat(bob.state()).isEqualTo(CallState.IN_CALL);
        assertThat(tab.get(tab.size() - 1).getString("message")).isEqualTo("a candidate for alice was lost: hop limit reached");
        bob.onUndeliverable("alice", "unknown user: alice", signal("accept"));
        assertThat(bob.state()).isEqualTo(CallState.IDLE);
    }

    @Test
    void anOfferFromACalleeWhoHasNotAcceptedNeverReachesTheCallersTab() {
        bob.tabOpened();
        bob.call("alice");
        bob.onSignal("alice", reply("offer").put("sdp", "v=0 early"));
        bob.onSignal("alice", reply("candidate").put("candidate", new JsonObject()));
        assertThat(bob.state()).isEqualTo(CallState.CALLING);
        assertThat(tab).noneMatch(m -> "offer".equals(m.getString("type")) || "candidate".equals(m.getString("type")));

        // A callee that then rejects never got its offer through.
        bob.onSignal("alice", reply("reject"));
        assertThat(tab).noneMatch(m -> "offer".equals(m.getString("type")));

        // Gossip may deliver a real callee's offer before its accept: it is held and shown after the accept.
        bob.call("alice");
        bob.onSignal("alice", reply("offer").put("sdp", "v=0 real"));
        assertThat(tab).noneMatch(m -> "offer".equals(m.getString("type")));
        bob.onSignal("alice", reply("accept"));
        int inCall = indexOf(m -> "call-state".equals(m.getString("type")) && "in-call".equals(m.getString("state")));
        int offer = indexOf(m -> "offer".equals(m.getString("type")));
        assertThat(offer).as("offer comes after the in-call state").isGreaterThan(inCall);
        assertThat(tab.get(offer).getString("sdp")).isEqualTo("v=0 real");
        assertThat(tab.get(offer).getString("call")).isEqualTo(bob.callId());
    }

    @Test
    void noMediaCrossesARingingCallInEitherDirection() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        bob.onSignal("alice", signal("answer").put("sdp", "v=0"));
        assertThat(tab).noneMatch(m -> "answer".equals(m.getString("type")));
        assertThat(bob.relayFromTab("offer", new JsonObject().put("sdp", "v=0"), ALICE_CALL))
                .contains("before the call is accepted");
        assertThat(outbox.signalLines()).containsExactly();
    }

    @Test
    void signalsOfAnotherCallAreDropped() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        bob.accept();
        String other = "ffffffffffffffffffffffffffffffff";
        bob.onSignal("alice", new JsonObject().put("type", "candidate").put("call", other).put("candidate", new JsonObject()));
        bob.onSignal("alice", new JsonObject().put("type", "leave").put("call", other));
        bob.onSignal("alice", new JsonObject().put("type", "leave")); // no id at all
        assertThat(bob.state()).isEqualTo(CallState.IN_CALL);
        assertThat(tab).noneMatch(m -> "candidate".equals(m.getString("type")));
        assertThat(bob.relayFromTab("candidate", new JsonObject().put("candidate", new JsonObject()), other))
                .contains("another call");
        assertThat(bob.relayFromTab("candidate", new JsonObject().put("candidate", new JsonObject()), null))
                .contains("another call");
        assertThat(outbox.signalLines()).containsExactly("alice accept");
    }

    @Test
    void aBounceForAnUnknownIdEndsNothingAndThrowsNothing() {
        bob.tabOpened();
        bob.onSignal("alice", signal("call-request"));
        bob.accept();
        // Gossip no longer remembers the bounced message: no signal at all.
        bob.onUndeliverable("alice", "no route to alice", null);
        // A bounce of an older call's accept, and one of a signal without a type.
        bob.onUndeliverable("alice", "no route to alice",
                new JsonObject().put("type", "accept").put("call", "ffffffffffffffffffffffffffffffff"));
        bob.onUndeliverable("alice", "no route to alice", new JsonObject().put("call", ALICE_CALL));
        bob.onUndeliverable(null, null, null);
        assertThat(bob.state()).isEqualTo(CallState.IN_CALL);
        assertThat(bob.with()).isEqualTo("alice");
    }

    @Test
    void remoteReasonsAndNamesAreShownSanitizedAndShort() {
        bob.tabOpened();
        String evil = "\u202Eevil\u200B\n" + "x".repeat(3000);
        bob.call("alice");
        bob.onSignal("alice", reply("reject").put("reason", evil));
        String notice = lastState().getString("notice");
        assertThat(notice).startsWith("alice: evil").doesNotContain("\u202E", "\u200B", "\n").hasSizeLessThan(200);

        bob.onSignal("m\u202Eallory", signal("call-request"));
        bob.onSignal("m\u202Eallory", signal("leave").put("reason", evil));
        assertThat(lastState().getString("notice")).isEqualTo("missed call from mallory");
    }

    private int indexOf(java.util.function.Predicate<JsonObject> match) {
        for (int i = 0; i < tab.size(); i++) {
            if (match.test(tab.get(i))) {
                return i;
            }
        }
        return -1;
    }
}

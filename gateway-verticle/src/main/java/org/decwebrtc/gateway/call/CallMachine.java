package org.decwebrtc.gateway.call;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TabMessages;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * The call state of one node, owned by its gateway rather than the tab, so that the node can answer for its user
 * when no tab is open (reject with "no one is at X's screen"), when the user is busy, or when the tab goes away
 * mid-call (send {@code leave}). Not thread-safe: the gateway calls it from its event loop only.
 */
public final class CallMachine {
    /** How long a call may ring before the caller gives up. */
    public static final long RING_TIMEOUT_MILLIS = 60_000;
    static final String REASON_REJECTED = "rejected";
    static final String REASON_BUSY = "busy";
    private static final Set<String> MEDIA_SIGNALS = Set.of(SignalTypes.OFFER, SignalTypes.ANSWER, SignalTypes.CANDIDATE);

    private final String self;
    private final CallOutbox out;
    private final Clock clock;
    private boolean tabOpen;
    private CallState state = CallState.IDLE;
    private String with;
    private Instant since;
    private long generation;

    public CallMachine(String self, CallOutbox out, Clock clock) {
        this.self = self;
        this.out = out;
        this.clock = clock;
    }

    public CallState state() {
        return state;
    }

    public String with() {
        return with;
    }

    /** {@code {state, with, since}} as shown by {@code /api/node}; {@code with}/{@code since} are null when idle. */
    public JsonObject toJson() {
        return new JsonObject().put("state", state.text()).put("with", with)
                .put("since", since == null ? null : since.toString());
    }

    // ---- the tab ---------------------------------------------------------------------------------------

    public void tabOpened() {
        tabOpen = true;
        out.tab(stateMessage(null));
    }

    /** The tab is gone: whatever call was going on ends, and the peer is told why. */
    public void tabClosed() {
        tabOpen = false;
        switch (state) {
            case CALLING -> out.signal(with, signal(SignalTypes.LEAVE).put("reason", "the caller closed the page"));
            case RINGING -> out.signal(with, signal(SignalTypes.REJECT).put("reason", TabMessages.noOneAtScreen(self)));
            case IN_CALL -> out.signal(with, signal(SignalTypes.LEAVE).put("reason", self + " closed the page"));
            default -> {
            }
        }
        moveTo(CallState.IDLE, null, null);
    }

    /** The user clicked a user's call button. Returns an error for the user, or null when calling started. */
    public String call(String to) {
        if (to == null || to.isBlank()) {
            return "whom to call is missing";
        }
        if (to.equals(self)) {
            return "you cannot call yourself";
        }
        if (state != CallState.IDLE) {
            return "already " + state.text() + (with == null ? "" : " with " + with) + "; hang up first";
        }
        moveTo(CallState.CALLING, to, null);
        long ringing = generation;
        out.signal(to, signal(SignalTypes.CALL_REQUEST));
        out.after(RING_TIMEOUT_MILLIS, () -> {
            if (generation == ringing && state == CallState.CALLING) {
                out.signal(with, signal(SignalTypes.LEAVE).put("reason", "no answer"));
                moveTo(CallState.IDLE, null, with + " did not answer");
            }
        });
        return null;
    }

    public String accept() {
        if (state != CallState.RINGING) {
            return "no call to accept";
        }
        out.signal(with, signal(SignalTypes.ACCEPT));
        moveTo(CallState.IN_CALL, with, null);
        return null;
    }

    public String reject(String reason) {
        if (state != CallState.RINGING) {
            return "no call to reject";
        }
        out.signal(with, signal(SignalTypes.REJECT).put("reason", reason == null || reason.isBlank() ? REASON_REJECTED : reason));
        moveTo(CallState.IDLE, null, null);
        return null;
    }

    /** Hang up, cancel a call being placed, or give up (camera denied, ICE failed); the tab's reason goes along. */
    public String leave(String reason) {
        if (state == CallState.IDLE) {
            return null;
        }
        if (state == CallState.RINGING) {
            return reject(reason);
        }
        JsonObject leave = signal(SignalTypes.LEAVE);
        if (reason != null && !reason.isBlank()) {
            leave.put("reason", reason);
        }
        out.signal(with, leave);
        moveTo(CallState.IDLE, null, reason == null || reason.isBlank() ? null : "call ended: " + reason);
        return null;
    }

    /** Offer, answer or candidate from the tab, forwarded to the call's peer. Returns an error or null. */
    public String relayFromTab(String type, JsonObject payload) {
        if (!MEDIA_SIGNALS.contains(type)) {
            return "not a media signal: " + type;
        }
        if (state == CallState.IDLE) {
            return "no call in progress";
        }
        out.signal(with, payload.copy().put("type", type));
        return null;
    }

    // ---- the network -----------------------------------------------------------------------------------

    public void onSignal(String from, JsonObject signal) {
        String type = signal == null ? null : signal.getString("type");
        if (from == null || type == null) {
            return;
        }
        if (SignalTypes.CALL_REQUEST.equals(type)) {
            onCallRequest(from);
            return;
        }
        if (state == CallState.IDLE || !from.equals(with)) {
            return; // late or stray signal of a call that is over
        }
        switch (type) {
            case SignalTypes.ACCEPT -> {
                if (state == CallState.CALLING) {
                    moveTo(CallState.IN_CALL, with, null);
                }
            }
            case SignalTypes.REJECT -> {
                if (state == CallState.CALLING) {
                    moveTo(CallState.IDLE, null, rejectNotice(from, signal.getString("reason")));
                }
            }
            case SignalTypes.LEAVE -> {
                String reason = signal.getString("reason");
                String notice = state == CallState.RINGING ? "missed call from " + from
                        : from + " ended the call" + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
                moveTo(CallState.IDLE, null, notice);
            }
            case SignalTypes.OFFER, SignalTypes.ANSWER, SignalTypes.CANDIDATE ->
                    out.tab(signal.copy().put("from", from));
            default -> {
            }
        }
    }

    private void onCallRequest(String from) {
        if (!tabOpen) {
            out.signal(from, signal(SignalTypes.REJECT).put("reason", TabMessages.noOneAtScreen(self)));
            return;
        }
        if (state == CallState.CALLING && from.equals(with) && self.compareTo(from) > 0) {
            // Both called each other at once. Both nodes apply the same rule, so exactly one call survives:
            // the one placed by the smaller name, which rings here.
            moveTo(CallState.RINGING, from, null);
            return;
        }
        if (state != CallState.IDLE) {
            if (!from.equals(with)) {
                out.signal(from, signal(SignalTypes.REJECT).put("reason", REASON_BUSY));
                out.tab(notice("missed call from " + from + " (you were busy)"));
            }
            return; // a repeated request of the call already under way, or the losing side of a glare
        }
        moveTo(CallState.RINGING, from, null);
    }

    /**
     * A signal of ours could not reach {@code to}. A call that cannot even be placed or accepted is over; a lost
     * offer, answer or candidate is only reported, because media may already flow directly and ICE decides then.
     */
    public void onUndeliverable(String to, String reason, String signalType) {
        if (state == CallState.IDLE || to == null || !to.equals(with)) {
            return;
        }
        if (MEDIA_SIGNALS.contains(signalType)) {
            out.tab(notice("a " + signalType + " for " + to + " was lost: " + reason));
        } else {
            moveTo(CallState.IDLE, null, "cannot reach " + to + ": " + reason);
        }
    }

    public void onSendFailed(String to, String message, String signalType) {
        onUndeliverable(to, message, signalType);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static String rejectNotice(String from, String reason) {
        if (reason == null || reason.isBlank() || REASON_REJECTED.equals(reason)) {
            return from + " rejected the call";
        }
        if (REASON_BUSY.equals(reason)) {
            return from + " is busy in another call";
        }
        return reason;
    }

    private void moveTo(CallState next, String peer, String notice) {
        CallState previous = state;
        state = next;
        with = peer;
        if (next == CallState.IDLE) {
            since = null;
        } else if (next != previous) {
            since = clock.instant();
        }
        generation++;
        out.tab(stateMessage(notice));
    }

    private JsonObject stateMessage(String notice) {
        JsonObject message = toJson().put("type", TabMessages.ToTab.CALL_STATE);
        if (notice != null) {
            message.put("notice", notice);
        }
        return message;
    }

    private static JsonObject notice(String text) {
        return new JsonObject().put("type", TabMessages.ToTab.NOTICE).put("message", text);
    }

    private static JsonObject signal(String type) {
        return new JsonObject().put("type", type);
    }
}

package org.decwebrtc.gateway.call;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TabMessages;
import org.decwebrtc.gateway.text.DisplayText;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The call state of one node, owned by its gateway rather than the tab, so that the node can answer for its user
 * when no tab is open (reject with "no one is at X's screen"), when the user is busy, or when the tab goes away
 * mid-call (send {@code leave}). Not thread-safe: the gateway calls it from its event loop only.
 *
 * <p>Every call has an id chosen by the caller's node; every signal of the call carries it, and a signal, bounce
 * or tab message for another id is dropped. Media signals (offer, answer, candidates) cross only an accepted call,
 * in both directions: a callee's node that sends an offer before its user accepted reaches nobody's camera.
 */
public final class CallMachine {
    /** How long a call may ring before the caller gives up. */
    public static final long RING_TIMEOUT_MILLIS = 60_000;
    /** The signal field naming the call a signal belongs to. */
    public static final String CALL_ID = "call";
    static final String REASON_REJECTED = "rejected";
    static final String REASON_BUSY = "busy";
    /** Media signals that arrive while the remote user's accept is still on its way; a real offer has a few dozen. */
    static final int MAX_EARLY_SIGNALS = 256;
    private static final Set<String> MEDIA_SIGNALS = Set.of(SignalTypes.OFFER, SignalTypes.ANSWER, SignalTypes.CANDIDATE);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String self;
    private final CallOutbox out;
    private final Clock clock;
    private boolean tabOpen;
    private CallState state = CallState.IDLE;
    private String with;
    private String callId;
    private Instant since;
    private long generation;
    /** While calling: media signals that came before the accept (gossip may reorder), delivered after it. */
    private final List<JsonObject> early = new ArrayList<>();
    private java.util.function.BooleanSupplier busyElsewhere = () -> false;

    public CallMachine(String self, CallOutbox out, Clock clock) {
        this.self = self;
        this.out = out;
        this.clock = clock;
    }

    /** While this says yes (the user is in a conference) calls are answered "busy" and none can be placed. */
    public void busyWhile(java.util.function.BooleanSupplier busyElsewhere) {
        this.busyElsewhere = busyElsewhere;
    }

    public CallState state() {
        return state;
    }

    public String with() {
        return with;
    }

    /** The current call's id, or null when idle. */
    public String callId() {
        return callId;
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

    /** The tab is gone: whatever call was going on ends, and the remote user is told why. */
    public void tabClosed() {
        tabOpen = false;
        switch (state) {
            case CALLING -> out.signal(with, signal(SignalTypes.LEAVE).put("reason", "the caller closed the page"));
            case RINGING -> out.signal(with, signal(SignalTypes.REJECT).put("reason", TabMessages.noOneAtScreen(self)));
            case IN_CALL -> out.signal(with, signal(SignalTypes.LEAVE).put("reason", self + " closed the page"));
            default -> {
            }
        }
        moveTo(CallState.IDLE, null, null, null);
    }

    /** The user clicked a user's call button. Returns an error for the user, or null when calling started. */
    public String call(String to) {
        if (to == null || to.isBlank()) {
            return "whom to call is missing";
        }
        if (to.equals(self)) {
            return "you cannot call yourself";
        }
        if (state == CallState.IDLE && busyElsewhere.getAsBoolean()) {
            return "leave the conference first";
        }
        if (state != CallState.IDLE) {
            return "already " + state.text() + (with == null ? "" : " with " + DisplayText.name(with)) + "; hang up first";
        }
        moveTo(CallState.CALLING, to, newId(), null);
        long ringing = generation;
        out.signal(to, signal(SignalTypes.CALL_REQUEST));
        out.after(RING_TIMEOUT_MILLIS, () -> {
            if (generation == ringing && state == CallState.CALLING) {
                out.signal(with, signal(SignalTypes.LEAVE).put("reason", "no answer"));
                moveTo(CallState.IDLE, null, null, DisplayText.name(with) + " did not answer");
            }
        });
        return null;
    }

    public String accept() {
        if (state != CallState.RINGING) {
            return "no call to accept";
        }
        out.signal(with, signal(SignalTypes.ACCEPT));
        moveTo(CallState.IN_CALL, with, callId, null);
        return null;
    }

    public String reject(String reason) {
        if (state != CallState.RINGING) {
            return "no call to reject";
        }
        out.signal(with, signal(SignalTypes.REJECT).put("reason", reason == null || reason.isBlank() ? REASON_REJECTED : reason));
        moveTo(CallState.IDLE, null, null, null);
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
        moveTo(CallState.IDLE, null, null, reason == null || reason.isBlank() ? null : "call ended: " + reason);
        return null;
    }

    /**
     * Offer, answer or candidate from the tab, forwarded to the remote user of the current call once it is
     * accepted. {@code call} is the id the tab was given with the call state. Returns an error or null.
     */
    public String relayFromTab(String type, JsonObject payload, String call) {
        if (!MEDIA_SIGNALS.contains(type)) {
            return "not a media signal: " + type;
        }
        if (state == CallState.IDLE) {
            return "no call in progress";
        }
        if (call == null || !call.equals(callId)) {
            return "'" + type + "' belongs to another call; the current one is " + callId;
        }
        if (state != CallState.IN_CALL) {
            return "no media before the call is accepted";
        }
        out.signal(with, payload.copy().put("type", type).put(CALL_ID, callId));
        return null;
    }

    // ---- the network -----------------------------------------------------------------------------------

    public void onSignal(String from, JsonObject signal) {
        String type = signal == null ? null : signal.getValue("type") instanceof String t ? t : null;
        if (from == null || type == null) {
            return;
        }
        Object id = signal.getValue(CALL_ID);
        if (!(id instanceof String call) || !ID.matcher(call).matches()) {
            return; // not part of any call this node could have
        }
        if (SignalTypes.CALL_REQUEST.equals(type)) {
            onCallRequest(from, call);
            return;
        }
        if (state == CallState.IDLE || !from.equals(with) || !call.equals(callId)) {
            return; // late or stray signal of a call that is over, or of another call
        }
        switch (type) {
            case SignalTypes.ACCEPT -> {
                if (state == CallState.CALLING) {
                    List<JsonObject> held = List.copyOf(early);
                    moveTo(CallState.IN_CALL, with, callId, null);
                    held.forEach(out::tab);
                }
            }
            case SignalTypes.REJECT -> {
                if (state == CallState.CALLING) {
                    moveTo(CallState.IDLE, null, null, rejectNotice(from, text(signal, "reason")));
                }
            }
            case SignalTypes.LEAVE -> {
                String reason = DisplayText.reason(text(signal, "reason"));
                String name = DisplayText.name(from);
                String notice = state == CallState.RINGING ? "missed call from " + name
                        : name + " ended the call" + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
                moveTo(CallState.IDLE, null, null, notice);
            }
            case SignalTypes.OFFER, SignalTypes.ANSWER, SignalTypes.CANDIDATE -> onMedia(from, signal);
            default -> {
            }
        }
    }

    private void onMedia(String from, JsonObject signal) {
        JsonObject toTab = signal.copy().put("from", from);
        if (state == CallState.IN_CALL) {
            out.tab(toTab);
        } else if (state == CallState.CALLING && early.size() < MAX_EARLY_SIGNALS) {
            early.add(toTab); // the remote user's accept may still be on its way: held until it comes, never shown before
        }
        // Ringing: the caller sends media only after our accept; anything earlier is dropped.
    }

    private void onCallRequest(String from, String call) {
        if (!tabOpen) {
            out.signal(from, new JsonObject().put("type", SignalTypes.REJECT).put(CALL_ID, call)
                    .put("reason", TabMessages.noOneAtScreen(self)));
            return;
        }
        if (state == CallState.CALLING && from.equals(with) && self.compareTo(from) > 0) {
            // Both called each other at once. Both nodes apply the same rule, so exactly one call survives:
            // the one placed by the smaller name, which rings here.
            moveTo(CallState.RINGING, from, call, null);
            return;
        }
        if (state != CallState.IDLE || busyElsewhere.getAsBoolean()) {
            if (!from.equals(with)) {
                out.signal(from, new JsonObject().put("type", SignalTypes.REJECT).put(CALL_ID, call)
                        .put("reason", REASON_BUSY));
                out.tab(notice("missed call from " + DisplayText.name(from) + " (you were busy)"));
            }
            return; // a repeated request of the call already under way, or the losing side of a glare
        }
        moveTo(CallState.RINGING, from, call, null);
    }

    /**
     * A signal of ours could not reach {@code to}. A call that cannot even be placed or accepted is over; a lost
     * offer, answer or candidate is only reported, because media may already flow directly and ICE decides then.
     * A bounce that names no signal (gossip no longer remembers it) or a signal of another call changes nothing.
     */
    public void onUndeliverable(String to, String reason, JsonObject bounced) {
        if (state == CallState.IDLE || to == null || !to.equals(with) || bounced == null
                || !(bounced.getValue(CALL_ID) instanceof String call) || !call.equals(callId)
                || !(bounced.getValue("type") instanceof String type)) {
            return;
        }
        String why = DisplayText.reason(reason == null ? "unknown reason" : reason);
        if (MEDIA_SIGNALS.contains(type)) {
            out.tab(notice("a " + type + " for " + DisplayText.name(to) + " was lost: " + why));
        } else {
            moveTo(CallState.IDLE, null, null, "cannot reach " + DisplayText.name(to) + ": " + why);
        }
    }

    public void onSendFailed(String to, String message, JsonObject signal) {
        onUndeliverable(to, message, signal);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static String rejectNotice(String from, String reason) {
        String name = DisplayText.name(from);
        if (reason == null || reason.isBlank() || REASON_REJECTED.equals(reason)) {
            return name + " rejected the call";
        }
        if (REASON_BUSY.equals(reason)) {
            return name + " is busy in another call";
        }
        return name + ": " + DisplayText.reason(reason);
    }

    private void moveTo(CallState next, String remoteUser, String id, String notice) {
        CallState previous = state;
        state = next;
        with = remoteUser;
        callId = id;
        if (next != CallState.CALLING) {
            early.clear();
        }
        if (next == CallState.IDLE) {
            since = null;
        } else if (next != previous) {
            since = clock.instant();
        }
        generation++;
        out.tab(stateMessage(notice));
    }

    private JsonObject stateMessage(String notice) {
        JsonObject message = toJson().put("type", TabMessages.ToTab.CALL_STATE).put(CALL_ID, callId);
        if (notice != null) {
            message.put("notice", notice);
        }
        return message;
    }

    private static JsonObject notice(String text) {
        return new JsonObject().put("type", TabMessages.ToTab.NOTICE).put("message", text);
    }

    private JsonObject signal(String type) {
        return new JsonObject().put("type", type).put(CALL_ID, callId);
    }

    private static String text(JsonObject json, String key) {
        return json.getValue(key) instanceof String s ? s : null;
    }

    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

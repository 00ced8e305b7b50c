package org.decwebrtc.api;

/**
 * The WebSocket protocol between the browser tab and its gateway ({@code wss://<gui>/ws}): JSON text messages,
 * each with a {@code type} field. The frontend's js/signaling.js uses the same strings.
 *
 * <p>Tab → gateway:
 * <ul>
 *   <li>{@value #CALL} {@code {to}} — start calling a user.</li>
 *   <li>{@value #ACCEPT}, {@value #REJECT} {@code {reason?}} — answer the ringing call.</li>
 *   <li>{@value #LEAVE} {@code {reason?}} — hang up, cancel a call, or give up (no camera, ICE failed).</li>
 *   <li>{@value #OFFER} / {@value #ANSWER} {@code {sdp}}, {@value #CANDIDATE} {@code {candidate}} — relayed to the
 *       peer of the current call.</li>
 *   <li>{@value #ICE_SERVERS} {@code {}} — ask for fresh {@code iceServers}.</li>
 *   <li>{@value #ADD_PEER} {@code {peer:"ip:port"}} — add a direct gossip peer.</li>
 *   <li>{@value #PING} {@code {}} — liveness; answered with {@value #PONG}.</li>
 * </ul>
 * <p>Gateway → tab:
 * <ul>
 *   <li>{@value #HELLO} {@code {name}} — first message of an accepted tab.</li>
 *   <li>{@value #ALREADY_OPEN} {@code {message}} — a second tab; the socket is closed right after.</li>
 *   <li>{@value #DIRECTORY} {@code {name, peers, users}} — on connect and on every change.</li>
 *   <li>{@value #CALL_STATE} {@code {state, with, since, notice?}} — state is one of {@link #STATES}; a call that
 *       ends carries the {@code notice} to show (who rejected, who hung up, who is unreachable).</li>
 *   <li>{@value #OFFER} / {@value #ANSWER} / {@value #CANDIDATE} {@code {from, ...}} — from the call's peer.</li>
 *   <li>{@value #ICE_SERVERS} {@code {iceServers, turn}} — {@code turn} says whether TURN entries are present.</li>
 *   <li>{@value #PEER_ADDED} {@code {peer}}, {@value #NOTICE} {@code {message}}, {@value #ERROR} {@code {message}}.</li>
 * </ul>
 */
public final class UiMessages {
    private UiMessages() {
    }

    public static final String PATH = "/ws";
    /** Larger text messages are answered with {@value #ERROR}; the socket stays open. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;

    public static final String CALL = "call";
    public static final String ACCEPT = "accept";
    public static final String REJECT = "reject";
    public static final String LEAVE = "leave";
    public static final String OFFER = "offer";
    public static final String ANSWER = "answer";
    public static final String CANDIDATE = "candidate";
    public static final String ICE_SERVERS = "ice-servers";
    public static final String ADD_PEER = "add-peer";
    public static final String PING = "ping";

    public static final String HELLO = "hello";
    public static final String ALREADY_OPEN = "already-open";
    public static final String DIRECTORY = "directory";
    public static final String CALL_STATE = "call-state";
    public static final String PEER_ADDED = "peer-added";
    public static final String NOTICE = "notice";
    public static final String ERROR = "error";
    public static final String PONG = "pong";

    public static final String STATE_IDLE = "idle";
    public static final String STATE_CALLING = "calling";
    public static final String STATE_RINGING = "ringing";
    public static final String STATE_IN_CALL = "in-call";
    public static final java.util.List<String> STATES = java.util.List.of(STATE_IDLE, STATE_CALLING, STATE_RINGING,
            STATE_IN_CALL);

    /** The reason a node gives callers while its user has no tab open. */
    public static String noOneAtScreen(String name) {
        return "no one is at " + name + "'s screen";
    }
}

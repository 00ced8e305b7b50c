package org.decwebrtc.api;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket protocol between the browser tab and its gateway ({@code wss://<gui>/ws}): JSON text messages,
 * each with a {@code type}. Fields of every message: docs/PROTOCOLS.md.
 *
 * <p>The browser's side of these names is {@code frontend/js/protocol.js}: its {@code FROM_TAB}, {@code TO_TAB}
 * and {@code CALL_STATES} hold exactly the constants of {@link FromTab}, {@link ToTab} and {@link CallStates}
 * (same constant name, same value), which gateway-verticle's {@code TabProtocolContractTest} checks. Adding a
 * message is one constant here, the same line in protocol.js and a row in docs/PROTOCOLS.md.
 *
 * <p>This is a different protocol from the call signals between nodes ({@link SignalTypes}). Where a tab message
 * stands for the signal of the same meaning (the user accepts, rejects or leaves; SDP and ICE candidates that the
 * gateway forwards unchanged), it is defined as that signal's constant, so the name lives in one place.
 */
public final class TabMessages {
    private TabMessages() {
    }

    /** The WebSocket's path on the gateway. */
    public static final String PATH = "/ws";
    /** Larger text messages are answered with {@link ToTab#ERROR}; the socket stays open. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;

    /** Message types the tab sends to its gateway. */
    public static final class FromTab {
        private FromTab() {
        }

        /** {@code {to}}: start calling a user. */
        public static final String CALL = "call";
        /** {@code {call?}}: accept the ringing call. Every call message may name its call ({@code call}, the id
         *  from {@link ToTab#CALL_STATE}); one naming another call is refused. */
        public static final String ACCEPT = SignalTypes.ACCEPT;
        /** {@code {reason?, call?}}: reject the ringing call. */
        public static final String REJECT = SignalTypes.REJECT;
        /** {@code {reason?, call?}}: hang up, cancel a call being placed, or give up (no camera, ICE failed). */
        public static final String LEAVE = SignalTypes.LEAVE;
        /** {@code {sdp, call}}: forwarded to the remote user of the current call, once it is accepted. */
        public static final String OFFER = SignalTypes.OFFER;
        /** {@code {sdp, call}}: forwarded to the remote user of the current call, once it is accepted. */
        public static final String ANSWER = SignalTypes.ANSWER;
        /** {@code {candidate, call}}: forwarded to the remote user of the current call, once it is accepted. */
        public static final String CANDIDATE = SignalTypes.CANDIDATE;
        /** {@code {}}: ask for fresh {@code iceServers}. */
        public static final String ICE_SERVERS = "ice-servers";
        /** {@code {peer:"ip:port"}}: add a gossip neighbour. */
        public static final String ADD_PEER = "add-peer";
        /** {@code {}}: liveness; answered with {@link ToTab#PONG}. */
        public static final String PING = "ping";
        /** {@code {title?}}: start a conference and be its first member. */
        public static final String CONF_START = "conf-start";
        /** {@code {conf, user}}: invite a user into the conference the tab is in; the invitee's page rings. */
        public static final String CONF_INVITE = SignalTypes.CONF_INVITE;
        /** {@code {conf}}: join a conference one was invited to, or re-enter it while it is active. */
        public static final String CONF_JOIN = SignalTypes.CONF_JOIN;
        /** {@code {conf}}: decline an invitation. */
        public static final String CONF_DECLINE = SignalTypes.CONF_DECLINE;
        /** {@code {conf}}: leave the conference; the last one out terminates it. */
        public static final String CONF_LEAVE = SignalTypes.CONF_LEAVE;
        /** {@code {conf, user, leg, sdp}}: one leg of the mesh, relayed only to a current member. */
        public static final String CONF_OFFER = SignalTypes.CONF_OFFER;
        /** {@code {conf, user, leg, sdp}}: one leg of the mesh, relayed only to a current member. */
        public static final String CONF_ANSWER = SignalTypes.CONF_ANSWER;
        /** {@code {conf, user, leg, candidate}}: one leg of the mesh, relayed only to a current member. */
        public static final String CONF_CANDIDATE = SignalTypes.CONF_CANDIDATE;
        /** {@code {conf, user}}: the page lost its leg to that member (its browser or node is gone). */
        public static final String CONF_DROP = "conf-drop";
        /**
         * {@code {conf, connected:[user…]}}: each second, the members whose leg is connected now; media flowing from a
         * member proves it alive, so the node does not take it off the roster for a silence or a bounce of gossip.
         */
        public static final String CONF_LEGS = "conf-legs";
        /** {@code {name}}: the user compared the safety number with this user; mark its key verified. */
        public static final String VERIFY = "verify";
        /** {@code {name}}: the user accepts the new key this known name now comes with. */
        public static final String ACCEPT_KEY = "accept-key";
    }

    /** Message types the gateway sends to its tab. */
    public static final class ToTab {
        private ToTab() {
        }

        /** {@code {name}}: first message of an accepted tab. */
        public static final String HELLO = "hello";
        /** {@code {message}}: a second tab; the socket is closed right after. */
        public static final String ALREADY_OPEN = "already-open";
        /** {@code {name, peers, users, fingerprint}} ({@link Directory}): on connect and on every change; each user
         *  also has {@code safetyNumber}, {@code verified} and {@code keyChanged}. */
        public static final String DIRECTORY = "directory";
        /** {@code {state, with, since, call, notice?}}: state is one of {@link CallStates}; {@code call} is the
         *  call's id (null when idle), which the tab's call messages repeat. */
        public static final String CALL_STATE = "call-state";
        /** {@code {from, call, sdp}}: from the remote user of the current call, only once it is accepted. */
        public static final String OFFER = SignalTypes.OFFER;
        /** {@code {from, call, sdp}}: from the remote user of the current call, only once it is accepted. */
        public static final String ANSWER = SignalTypes.ANSWER;
        /** {@code {from, call, candidate}}: from the remote user of the current call, only once it is accepted. */
        public static final String CANDIDATE = SignalTypes.CANDIDATE;
        /** {@code {iceServers, turn}}: {@code turn} says whether TURN entries are present. */
        public static final String ICE_SERVERS = FromTab.ICE_SERVERS;
        /** {@code {peer, message}}: the answer to {@link FromTab#ADD_PEER}. */
        public static final String PEER_ADDED = "peer-added";
        /** {@code {message}}: something the user should read. */
        public static final String NOTICE = "notice";
        /** {@code {message}}: a message of the tab was refused. */
        public static final String ERROR = "error";
        /** {@code {}}: the answer to {@link FromTab#PING}. */
        public static final String PONG = "pong";
        /**
         * {@code {current, conferences:[{conf, title, starter, state, members, invited, joined, ringing}]}}: every
         * conference this user was invited to, on connect and on every change; {@code state} is one of
         * {@link ConferenceStates}; {@code current} is the id of the one the user is in, or null.
         */
        public static final String CONF_LIST = "conf-list";
        /** {@code {conf, from, leg, sdp}}: from a member of the current conference. */
        public static final String CONF_OFFER = SignalTypes.CONF_OFFER;
        /** {@code {conf, from, leg, sdp}}: from a member of the current conference. */
        public static final String CONF_ANSWER = SignalTypes.CONF_ANSWER;
        /** {@code {conf, from, leg, candidate}}: from a member of the current conference. */
        public static final String CONF_CANDIDATE = SignalTypes.CONF_CANDIDATE;
    }

    /**
     * The {@code state} of a conference in {@link ToTab#CONF_LIST}: started (only the starter is in), active (a
     * second one joined, until the last one leaves), terminated (everyone left).
     */
    public static final class ConferenceStates {
        private ConferenceStates() {
        }

        public static final String STARTED = "started";
        public static final String ACTIVE = "active";
        public static final String TERMINATED = "terminated";
    }

    /** What the page's call-state shows while its user is in a conference (the node's call state stays idle). */
    public static final String IN_CONFERENCE = "in-conference";

    /** The {@code state} values of {@link ToTab#CALL_STATE} (and of {@code /api/node}'s {@code call.state}). */
    public static final class CallStates {
        private CallStates() {
        }

        public static final String IDLE = "idle";
        public static final String CALLING = "calling";
        public static final String RINGING = "ringing";
        public static final String IN_CALL = "in-call";
    }

    /** Every call state, in the order of a call. */
    public static final List<String> STATES = List.of(CallStates.IDLE, CallStates.CALLING, CallStates.RINGING,
            CallStates.IN_CALL);

    /** The reason a node gives callers while its user has no tab open. */
    public static String noOneAtScreen(String name) {
        return "no one is at " + name + "'s screen";
    }

    /**
     * The public string constants of one of the holders above, constant name → value, in declaration order: what
     * the contract test compares with protocol.js and what docs list.
     */
    public static Map<String, String> constants(Class<?> holder) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Field field : holder.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)
                    && field.getType() == String.class) {
                try {
                    names.put(field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }
}

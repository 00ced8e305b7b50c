package org.decwebrtc.api;

import java.util.Set;

/**
 * The {@code type} values of the signals one node sends another in private gossip messages: call signaling
 * between two gateways and the TURN credential exchange between a gateway and a relay ({@link TurnCredentialGrant}).
 * The browser tab's protocol with its own gateway is {@link TabMessages}; it reuses these names where a tab message
 * stands for the signal of the same meaning.
 */
public final class SignalTypes {
    private SignalTypes() {
    }

    public static final String CALL_REQUEST = "call-request";
    public static final String ACCEPT = "accept";
    public static final String REJECT = "reject";
    public static final String LEAVE = "leave";
    public static final String OFFER = "offer";
    public static final String ANSWER = "answer";
    public static final String CANDIDATE = "candidate";
    /** Free-form text between nodes; used by tests and diagnostics. */
    public static final String TEXT = "text";
    public static final String TURN_CREDENTIAL_REQUEST = "turn-credential-request";
    public static final String TURN_CREDENTIAL_GRANT = "turn-credential-grant";


    // Conferences: every signal carries {@code conf}, the conference id; see the gateway's ConferenceMachine.
    /** Member → invitee: {@code {conf, title, starter, state, members, invited}}; the invitee's page rings. */
    public static final String CONF_INVITE = "conf-invite";
    /** Joiner → every user it believes is in: {@code {conf}}. Members answer welcome or full; others stay silent. */
    public static final String CONF_JOIN = "conf-join";
    /** Member → joiner: the member took the joiner in; carries the member's roster like an invite. */
    public static final String CONF_WELCOME = "conf-welcome";
    /** Member → joiner: six are in already. */
    public static final String CONF_FULL = "conf-full";
    public static final String CONF_DECLINE = "conf-decline";
    public static final String CONF_LEAVE = "conf-leave";
    /** Member → invited users who are not in: the state and roster for their conference list. */
    public static final String CONF_STATUS = "conf-status";
    /** Member → member, every second: still here. */
    public static final String CONF_PING = "conf-ping";
    /** Media signals of one leg of the mesh: {@code {conf, sdp}} or {@code {conf, candidate}}. */
    public static final String CONF_OFFER = "conf-offer";
    public static final String CONF_ANSWER = "conf-answer";
    public static final String CONF_CANDIDATE = "conf-candidate";

    public static final Set<String> CONFERENCE = Set.of(CONF_INVITE, CONF_JOIN, CONF_WELCOME, CONF_FULL, CONF_DECLINE,
            CONF_LEAVE, CONF_STATUS, CONF_PING, CONF_OFFER, CONF_ANSWER, CONF_CANDIDATE);

    public static final Set<String> ALL = java.util.stream.Stream.concat(Set.of(CALL_REQUEST, ACCEPT, REJECT, LEAVE,
                    OFFER, ANSWER, CANDIDATE, TEXT, TURN_CREDENTIAL_REQUEST, TURN_CREDENTIAL_GRANT).stream(),
            CONFERENCE.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
}

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

    public static final Set<String> ALL = Set.of(CALL_REQUEST, ACCEPT, REJECT, LEAVE, OFFER, ANSWER, CANDIDATE, TEXT,
            TURN_CREDENTIAL_REQUEST, TURN_CREDENTIAL_GRANT);
}

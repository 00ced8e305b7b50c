package org.decwebrtc.gateway.call;

import org.decwebrtc.api.TabMessages;

/** Where this node's user is in a call; {@link #text()} is what the UI and {@code /api/node} show. */
public enum CallState {
    IDLE(TabMessages.CallStates.IDLE),
    CALLING(TabMessages.CallStates.CALLING),
    RINGING(TabMessages.CallStates.RINGING),
    IN_CALL(TabMessages.CallStates.IN_CALL);

    private final String text;

    CallState(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}

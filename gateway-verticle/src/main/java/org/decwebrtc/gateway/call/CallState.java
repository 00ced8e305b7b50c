package org.decwebrtc.gateway.call;

import org.decwebrtc.api.UiMessages;

/** Where this node's user is in a call; {@link #text()} is what the UI and {@code /api/node} show. */
public enum CallState {
    IDLE(UiMessages.STATE_IDLE),
    CALLING(UiMessages.STATE_CALLING),
    RINGING(UiMessages.STATE_RINGING),
    IN_CALL(UiMessages.STATE_IN_CALL);

    private final String text;

    CallState(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}

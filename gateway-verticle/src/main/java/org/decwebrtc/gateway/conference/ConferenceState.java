package org.decwebrtc.gateway.conference;

import org.decwebrtc.api.TabMessages;

/** Started: only the starter is in. Active: a second one joined, until the last one leaves. Terminated: over. */
public enum ConferenceState {
    STARTED(TabMessages.ConferenceStates.STARTED),
    ACTIVE(TabMessages.ConferenceStates.ACTIVE),
    TERMINATED(TabMessages.ConferenceStates.TERMINATED);

    private final String text;

    ConferenceState(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    static ConferenceState fromText(String text) {
        for (ConferenceState s : values()) {
            if (s.text.equals(text)) {
                return s;
            }
        }
        return null;
    }
}

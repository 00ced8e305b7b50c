package org.decwebrtc.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TabMessagesTest {
    @Test
    void constantsListsEveryMessageTypeOfADirectionInOrder() {
        assertThat(TabMessages.constants(TabMessages.FromTab.class)).containsEntry("CALL", "call")
                .containsEntry("PING", "ping");
        assertThat(TabMessages.constants(TabMessages.CallStates.class).values())
                .containsExactlyElementsOf(TabMessages.STATES);
    }

    @Test
    void tabMessagesThatStandForASignalShareItsName() {
        assertThat(TabMessages.FromTab.ACCEPT).isSameAs(SignalTypes.ACCEPT);
        assertThat(TabMessages.ToTab.OFFER).isSameAs(SignalTypes.OFFER);
        assertThat(TabMessages.FromTab.CANDIDATE).isSameAs(TabMessages.ToTab.CANDIDATE);
    }
}

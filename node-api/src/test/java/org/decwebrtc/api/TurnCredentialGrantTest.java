package org.decwebrtc.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TurnCredentialGrantTest {
    private static final JsonObject TURN = new JsonObject()
            .put("urls", new JsonArray().add("turn:198.18.0.1:3478?transport=udp"))
            .put("username", "1900000000:alice").put("credential", "c2VjcmV0");

    @Test
    void aGrantCrossesTheWireUnchanged() {
        JsonObject signal = TurnCredentialGrant.granted(new JsonArray().add(TURN), 1_900_000_000L).toSignal();
        assertThat(signal.getString("type")).isEqualTo(SignalTypes.TURN_CREDENTIAL_GRANT);
        TurnCredentialGrant read = TurnCredentialGrant.fromSignal(new JsonObject(signal.encode()));
        assertThat(read.isRefusal()).isFalse();
        assertThat(read.expiresAt()).isEqualTo(1_900_000_000L);
        assertThat(read.iceServers()).containsExactly(TURN);
    }

    @Test
    void aRefusalCarriesItsReasonAndNoServers() {
        JsonObject signal = TurnCredentialGrant.refusal("relay1 does not relay for mallory").toSignal();
        assertThat(signal.fieldNames()).containsExactlyInAnyOrder("type", "refused");
        TurnCredentialGrant read = TurnCredentialGrant.fromSignal(signal);
        assertThat(read.isRefusal()).isTrue();
        assertThat(read.refused()).isEqualTo("relay1 does not relay for mallory");
        assertThat(read.iceServers()).isEmpty();
    }

    @Test
    void entriesABrowserCannotUseAndFieldsOfTheWrongTypeAreDropped() {
        JsonObject hostile = new JsonObject().put("type", SignalTypes.TURN_CREDENTIAL_GRANT)
                .put("iceServers", new JsonArray().add("turn:evil").add(42)
                        .add(new JsonObject().put("urls", "turn:198.18.0.9:3478"))
                        .add(new JsonObject().put("username", "u").put("credential", "p"))
                        .add(new JsonObject().put("urls", "turn:198.18.0.9:3478").put("username", 7))
                        .add(TURN))
                .put("expiresAt", "tomorrow");
        TurnCredentialGrant read = TurnCredentialGrant.fromSignal(hostile);
        assertThat(read.iceServers()).containsExactly(TURN);
        assertThat(read.expiresAt()).isZero();
        assertThat(TurnCredentialGrant.fromSignal(new JsonObject().put("iceServers", "x").put("refused", 5)).isRefusal())
                .isFalse();
    }

    @Test
    void theRequestIsItsTypeAlone() {
        assertThat(TurnCredentialGrant.requestSignal())
                .isEqualTo(new JsonObject().put("type", SignalTypes.TURN_CREDENTIAL_REQUEST));
    }
}

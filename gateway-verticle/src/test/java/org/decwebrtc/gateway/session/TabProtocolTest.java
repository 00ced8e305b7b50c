package org.decwebrtc.gateway.session;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.TabMessages;
import org.decwebrtc.gateway.call.CallMachine;
import org.decwebrtc.gateway.call.CallOutbox;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway understands every message type the tab protocol defines, and names the ones it does not. */
class TabProtocolTest {
    private final List<JsonObject> toTab = new ArrayList<>();
    /** Signals and timers go nowhere; what the tab is told is kept. */
    private final CallOutbox outbox = new CallOutbox() {
        @Override
        public void signal(String to, JsonObject signal) {
        }

        @Override
        public void tab(JsonObject message) {
            toTab.add(message);
        }

        @Override
        public void after(long millis, Runnable action) {
        }
    };
    private final CallMachine machine = new CallMachine("bob", outbox, Clock.systemUTC());
    private final TabProtocol protocol = new TabProtocol("bob", machine, toTab::add,
            () -> Future.succeededFuture(new JsonObject().put("type", TabMessages.ToTab.ICE_SERVERS)),
            () -> Future.succeededFuture(new JsonObject().put("name", "bob")),
            peer -> Future.succeededFuture(peer),
            new org.decwebrtc.gateway.conference.ConferenceMachine("bob", outbox, Clock.systemUTC(), () -> "0123456789abcdef0123456789abcdef", () -> false));

    @Test
    void everyMessageTypeFromTheTabIsUnderstood() {
        protocol.opened();
        for (String type : TabMessages.constants(TabMessages.FromTab.class).values()) {
            String answer = protocol.message(new JsonObject().put("type", type));
            assertThat(String.valueOf(answer)).as(type).doesNotStartWith("unknown message type");
        }
    }

    @Test
    void conferenceMessagesOfTheWrongShapeGetAClearError() {
        protocol.opened();
        assertThat(protocol.message(new JsonObject().put("type", "conf-join"))).contains("needs 'conf'");
        assertThat(protocol.message(new JsonObject().put("type", "conf-offer").put("conf", "x").put("user", "a")))
                .contains("needs an 'sdp'");
        assertThat(protocol.message(new JsonObject().put("type", "conf-offer").put("conf", "x").put("user", "a")
                .put("sdp", "v=0").put("leg", "<script>"))).contains("'leg'");
        assertThat(protocol.message(new JsonObject().put("type", "conf-offer").put("conf", "x").put("user", "a")
                .put("sdp", "v=0").put("leg", "abc"))).contains("not in your conference");
        assertThat(protocol.message(new JsonObject().put("type", "conf-bogus").put("conf", "x")))
                .startsWith("unknown conference message");
    }

    @Test
    void anUnknownTypeIsNamedInTheError() {
        assertThat(protocol.message(new JsonObject().put("type", "dial"))).isEqualTo("unknown message type 'dial'");
    }

    @Test
    void aNewTabIsGreetedWithItsNameTheCallStateConferencesTheDirectoryAndIceServers() {
        protocol.opened();
        assertThat(toTab).extracting(m -> m.getString("type")).containsExactly(TabMessages.ToTab.HELLO,
                TabMessages.ToTab.CALL_STATE, TabMessages.ToTab.CONF_LIST, TabMessages.ToTab.DIRECTORY,
                TabMessages.ToTab.ICE_SERVERS);
        assertThat(toTab.get(0).getString("name")).isEqualTo("bob");
    }

    @Test
    void fieldsOfTheWrongTypeAreRefusedWithTheFieldNamed() {
        assertThat(protocol.message(new JsonObject().put("type", TabMessages.FromTab.CALL).put("to", 42)))
                .contains("'to'");
        assertThat(protocol.message(new JsonObject().put("type", TabMessages.FromTab.OFFER).put("sdp", new JsonObject())))
                .contains("'sdp'");
        assertThat(protocol.message(new JsonObject().put("type", TabMessages.FromTab.CANDIDATE).put("candidate", "x")))
                .contains("'candidate'");
        assertThat(machine.state().text()).isEqualTo(TabMessages.CallStates.IDLE);
    }

    @Test
    void mediaSignalsOutsideACallAreRefused() {
        assertThat(protocol.message(new JsonObject().put("type", TabMessages.FromTab.ANSWER).put("sdp", "v=0")))
                .isEqualTo("no call in progress");
    }

    @Test
    void aHugeUnknownTypeIsNotEchoedWhole() {
        String answer = protocol.message(new JsonObject().put("type", "x".repeat(100_000)));
        assertThat(answer).startsWith("unknown message type").hasSizeLessThan(100);
    }

    @Test
    void pingIsAnsweredWithPong() {
        assertThat(protocol.message(new JsonObject().put("type", TabMessages.FromTab.PING))).isNull();
        assertThat(toTab).extracting(m -> m.getString("type")).containsExactly(TabMessages.ToTab.PONG);
    }
}

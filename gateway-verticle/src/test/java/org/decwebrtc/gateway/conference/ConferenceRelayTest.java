package org.decwebrtc.gateway.conference;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TabMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signals from a remote user reach the conference machine through gossip: one without a type, or with a type that
 * is not a string, is ignored without an exception in the event-bus handler, and the next genuine invite still
 * arrives.
 */
class ConferenceRelayTest {
    private final Vertx vertx = Vertx.vertx();
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();
    private final List<JsonObject> toTab = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void signalsWithoutAStringTypeAreIgnoredAndTheNextInviteArrives() throws Exception {
        vertx.exceptionHandler(thrown::add);
        ConferenceRelay relay = new ConferenceRelay(vertx, "bob", toTab::add);
        ConferenceMachine machine = new ConferenceMachine("bob", relay, Clock.systemUTC(),
                () -> "0123456789abcdef0123456789abcdef", () -> false);
        relay.bind(machine);
        String conf = "fedcba9876543210fedcba9876543210";
        for (JsonObject signal : List.of(new JsonObject(), new JsonObject().put("type", 42),
                new JsonObject().put("type", new JsonObject()).put("conf", conf))) {
            vertx.eventBus().send(Addresses.signalReceived("bob"), new SignalEnvelope("alice", signal).toReceivedJson());
            vertx.eventBus().send(Addresses.signalUndeliverable("bob"), new JsonObject().put("to", "alice")
                    .put("reason", "unreachable").put("signal", signal));
        }
        vertx.eventBus().send(Addresses.signalReceived("bob"), new SignalEnvelope("alice", new JsonObject()
                .put("type", SignalTypes.CONF_INVITE).put("conf", conf).put("title", "team")
                .put("starter", "alice").put("members", new JsonArray().add("alice"))
                .put("invited", new JsonArray().add("bob"))).toReceivedJson());
        await().atMost(Duration.ofSeconds(30)).until(() -> toTab.stream()
                .anyMatch(m -> TabMessages.ToTab.CONF_LIST.equals(m.getString("type")) && m.encode().contains(conf)));
        assertThat(thrown).as("exceptions in the event-bus handlers").isEmpty();
    }
}

package org.decwebrtc.gateway.conference;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.Undeliverable;
import org.decwebrtc.gateway.call.CallOutbox;

import java.util.function.Consumer;

/** Connects the conference machine to gossip (conference signals both ways, bounces) and to the tab. */
public final class ConferenceRelay implements CallOutbox {
    private final Vertx vertx;
    private final String node;
    private final Consumer<JsonObject> toTab;
    private ConferenceMachine machine;

    public ConferenceRelay(Vertx vertx, String node, Consumer<JsonObject> toTab) {
        this.vertx = vertx;
        this.node = node;
        this.toTab = toTab;
    }

    public void bind(ConferenceMachine machine) {
        this.machine = machine;
        vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived(node), m -> {
            SignalEnvelope envelope = SignalEnvelope.fromReceivedJson(m.body());
            if (envelope.signal() != null && SignalTypes.CONFERENCE.contains(envelope.signal().getString("type"))) {
                machine.onSignal(envelope.peer(), envelope.signal());
            }
        });
        vertx.eventBus().<JsonObject>consumer(Addresses.signalUndeliverable(node), m -> {
            Undeliverable bounce = Undeliverable.fromJson(m.body());
            machine.onUndeliverable(bounce.to(), bounce.reason(), bounce.signal() == null ? null : bounce.signal().getString("type"));
        });
    }

    @Override
    public void signal(String to, JsonObject signal) {
        vertx.eventBus().<JsonObject>request(Addresses.signalSend(node), new SignalEnvelope(to, signal).toSendJson())
                .onFailure(e -> machine.onUndeliverable(to, e.getMessage(), signal.getString("type")));
    }

    @Override
    public void tab(JsonObject message) {
        toTab.accept(message);
    }

    @Override
    public void after(long millis, Runnable action) {
        vertx.setTimer(millis, id -> action.run());
    }
}

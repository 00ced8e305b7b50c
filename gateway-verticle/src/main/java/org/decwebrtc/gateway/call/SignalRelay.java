package org.decwebrtc.gateway.call;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.Undeliverable;

import java.util.function.Consumer;

/** Connects the call machine to gossip (signals both ways, undeliverable bounces) and to the tab. */
public final class SignalRelay implements CallOutbox {
    private final Vertx vertx;
    private final String node;
    private final Consumer<JsonObject> toTab;
    private CallMachine machine;

    public SignalRelay(Vertx vertx, String node, Consumer<JsonObject> toTab) {
        this.vertx = vertx;
        this.node = node;
        this.toTab = toTab;
    }

    /** Starts listening to gossip on behalf of {@code machine}. */
    public void bind(CallMachine machine) {
        this.machine = machine;
        vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived(node), m -> {
            SignalEnvelope envelope = SignalEnvelope.fromReceivedJson(m.body());
            machine.onSignal(envelope.peer(), envelope.signal());
        });
        vertx.eventBus().<JsonObject>consumer(Addresses.signalUndeliverable(node), m -> {
            Undeliverable bounce = Undeliverable.fromJson(m.body());
            machine.onUndeliverable(bounce.to(), bounce.reason(), bounce.signal());
        });
    }

    @Override
    public void signal(String to, JsonObject signal) {
        vertx.eventBus().<JsonObject>request(Addresses.signalSend(node), new SignalEnvelope(to, signal).toSendJson())
                .onFailure(e -> machine.onSendFailed(to, e.getMessage(), signal));
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

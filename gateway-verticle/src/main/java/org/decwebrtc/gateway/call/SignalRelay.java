package org.decwebrtc.gateway.call;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/** Connects the call machine to gossip (signals both ways, undeliverable bounces) and to the tab. */
public final class SignalRelay extends GossipRelay {
    private CallMachine machine;

    public SignalRelay(Vertx vertx, String node, Consumer<JsonObject> toTab) {
        super(vertx, node, toTab);
    }

    /** Starts listening to gossip on behalf of {@code machine}. */
    public void bind(CallMachine machine) {
        this.machine = machine;
        listen(machine::onSignal, bounce -> machine.onUndeliverable(bounce.to(), bounce.reason(), bounce.signal()));
    }

    @Override
    protected void sendFailed(String to, String reason, JsonObject signal) {
        machine.onSendFailed(to, reason, signal);
    }
}

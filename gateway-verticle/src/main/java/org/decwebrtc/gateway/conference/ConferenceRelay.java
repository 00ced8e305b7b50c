package org.decwebrtc.gateway.conference;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.gateway.call.GossipRelay;

import java.util.function.Consumer;

/** Connects the conference machine to gossip (conference signals both ways, bounces) and to the tab. */
public final class ConferenceRelay extends GossipRelay {
    private ConferenceMachine machine;

    public ConferenceRelay(Vertx vertx, String node, Consumer<JsonObject> toTab) {
        super(vertx, node, toTab);
    }

    /** Starts listening to gossip for conference signals on behalf of {@code machine}. */
    public void bind(ConferenceMachine machine) {
        this.machine = machine;
        listen((peer, signal) -> {
            // A remote user's signal may lack a type or carry a non-string one: not a conference signal then.
            String type = typeOf(signal);
            if (type != null && SignalTypes.CONFERENCE.contains(type)) {
                machine.onSignal(peer, signal);
            }
        }, bounce -> machine.onUndeliverable(bounce.to(), bounce.reason(), typeOf(bounce.signal())));
    }

    @Override
    protected void sendFailed(String to, String reason, JsonObject signal) {
        machine.onUndeliverable(to, reason, typeOf(signal));
    }

    private static String typeOf(JsonObject signal) {
        return signal != null && signal.getValue("type") instanceof String type ? type : null;
    }
}

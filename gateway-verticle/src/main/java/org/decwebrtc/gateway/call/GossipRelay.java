package org.decwebrtc.gateway.call;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.Undeliverable;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The event-bus plumbing a call or conference machine shares: signals from and to gossip, bounces, the tab
 * and timers. Subclasses decide which signals their machine sees and how a failed send is reported.
 */
public abstract class GossipRelay implements CallOutbox {
    private final Vertx vertx;
    private final String node;
    private final Consumer<JsonObject> toTab;

    protected GossipRelay(Vertx vertx, String node, Consumer<JsonObject> toTab) {
        this.vertx = vertx;
        this.node = node;
        this.toTab = toTab;
    }

    /** Listens to gossip: {@code onSignal} gets (remote user, signal), {@code onBounce} every undeliverable signal. */
    protected final void listen(BiConsumer<String, JsonObject> onSignal, Consumer<Undeliverable> onBounce) {
        vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived(node), m -> {
            SignalEnvelope envelope = SignalEnvelope.fromReceivedJson(m.body());
            onSignal.accept(envelope.peer(), envelope.signal());
        });
        vertx.eventBus().<JsonObject>consumer(Addresses.signalUndeliverable(node),
                m -> onBounce.accept(Undeliverable.fromJson(m.body())));
    }

    /** Called when gossip refuses to send {@code signal} to {@code to}. */
    protected abstract void sendFailed(String to, String reason, JsonObject signal);

    @Override
    public final void signal(String to, JsonObject signal) {
        vertx.eventBus().<JsonObject>request(Addresses.signalSend(node), new SignalEnvelope(to, signal).toSendJson())
                .onFailure(e -> sendFailed(to, e.getMessage(), signal));
    }

    @Override
    public final void tab(JsonObject message) {
        toTab.accept(message);
    }

    @Override
    public final void after(long millis, Runnable action) {
        vertx.setTimer(millis, id -> action.run());
    }
}

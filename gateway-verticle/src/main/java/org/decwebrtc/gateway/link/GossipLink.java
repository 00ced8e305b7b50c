package org.decwebrtc.gateway.link;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;

import java.util.function.Consumer;

/**
 * Watches the gateway's link to its gossip verticle, which may live in another JVM on a clustered event bus. When
 * the link breaks the user is told at once (calls can't be signaled), and when it comes back the UI gets the
 * directory again: the gateway reconnects on its own, with no restart.
 */
public final class GossipLink {
    static final long PROBE_MILLIS = 1000;

    private final Vertx vertx;
    private final String node;
    private boolean up = true;

    public GossipLink(Vertx vertx, String node) {
        this.vertx = vertx;
        this.node = node;
    }

    public boolean up() {
        return up;
    }

    /** @param onDown runs once per outage; @param onUp runs with the fresh directory when gossip answers again */
    public void start(Runnable onDown, Consumer<JsonObject> onUp) {
        vertx.setPeriodic(PROBE_MILLIS, id -> vertx.eventBus()
                .<JsonObject>request(Addresses.directoryGet(node), new JsonObject(),
                        new DeliveryOptions().setSendTimeout(PROBE_MILLIS))
                .onSuccess(reply -> {
                    if (!up) {
                        up = true;
                        onUp.accept(reply.body());
                    }
                })
                .onFailure(e -> {
                    if (up) {
                        up = false;
                        onDown.run();
                    }
                }));
    }
}

package org.decwebrtc.gateway.ice;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.IceServersRequest;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.TabMessages;

/** Asks this node's STUN/TURN verticle and gossip for what to put in the browser's {@code iceServers}. */
public final class IceServerSource {
    /** The TURN verticle answers in microseconds; a slow or absent one must not hold up the call. */
    static final long OWN_TIMEOUT_MILLIS = 1500;

    private final Vertx vertx;
    private final String node;
    private final java.util.function.Supplier<JsonArray> relayTurn;

    public IceServerSource(Vertx vertx, String node) {
        this(vertx, node, JsonArray::new);
    }

    /** @param relayTurn TURN entries with credentials granted by other nodes (see {@link RemoteTurnCredentials}) */
    public IceServerSource(Vertx vertx, String node, java.util.function.Supplier<JsonArray> relayTurn) {
        this.vertx = vertx;
        this.node = node;
        this.relayTurn = relayTurn;
    }

    /** {@code {type:"ice-servers", iceServers, turn}}; never fails, at worst the list is empty. */
    public Future<JsonObject> fetch() {
        Future<JsonObject> own = vertx.eventBus()
                .<JsonObject>request(Addresses.iceServers(node), new IceServersRequest(node).toJson(),
                        new DeliveryOptions().setSendTimeout(OWN_TIMEOUT_MILLIS))
                .map(m -> m.body())
                .otherwise((JsonObject) null);
        Future<Directory> directory = vertx.eventBus()
                .<JsonObject>request(Addresses.directoryGet(node), new JsonObject(),
                        new DeliveryOptions().setSendTimeout(OWN_TIMEOUT_MILLIS))
                .map(m -> Directory.fromJson(m.body()))
                .otherwise((Directory) null);
        return Future.join(own, directory).transform(x -> {
            JsonArray servers = IceServerAssembler.assemble(own.result(), relayTurn.get(), directory.result());
            return Future.succeededFuture(new JsonObject().put("type", TabMessages.ToTab.ICE_SERVERS)
                    .put("iceServers", servers).put("turn", IceServerAssembler.hasTurn(servers)));
        });
    }
}

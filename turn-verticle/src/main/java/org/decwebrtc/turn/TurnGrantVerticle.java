package org.decwebrtc.turn;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.IceServersRequest;
import org.decwebrtc.api.IceServers;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TurnCredentialGrant;
import org.decwebrtc.api.config.NodeConfig;

import java.util.logging.Logger;

/**
 * TURN without a central authority: other users' nodes ask this relay for credentials with a private gossip
 * message, and get short-lived REST credentials made with this relay's own secret (which never leaves it), or a
 * refusal when this relay does not serve them. Signed, encrypted gossip means the answer reaches only the asker.
 */
public final class TurnGrantVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(TurnGrantVerticle.class.getName());

    private String name;
    private ServedUsers served;

    @Override
    public Future<?> start() {
        NodeConfig node = NodeConfig.fromJson(config());
        name = node.name();
        served = ServedUsers.of(node.turn().serveUsers(), name);
        return vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived(name), m -> {
            SignalEnvelope envelope = SignalEnvelope.fromReceivedJson(m.body());
            if (envelope.signal() != null
                    && SignalTypes.TURN_CREDENTIAL_REQUEST.equals(envelope.signal().getString("type"))) {
                grant(envelope.peer());
            }
        }).completion();
    }

    private void grant(String user) {
        if (!served.test(user)) {
            LOG.info(() -> name + ": refused TURN credentials to " + user + " (not in -turnServeUsers)");
            reply(user, TurnCredentialGrant.refusal(name + " does not relay for " + user));
            return;
        }
        vertx.eventBus().<JsonObject>request(Addresses.iceServers(name), new IceServersRequest(user).toJson(),
                        new DeliveryOptions().setSendTimeout(2000))
                .onSuccess(answer -> {
                    JsonArray turnOnly = new JsonArray();
                    long expiresAt = Long.MAX_VALUE;
                    for (Object entry : IceServers.fromJson(answer.body()).servers()) {
                        if (entry instanceof JsonObject server && server.getString("username") != null) {
                            turnOnly.add(server);
                            expiresAt = Math.min(expiresAt, expiryOf(server.getString("username")));
                        }
                    }
                    reply(user, TurnCredentialGrant.granted(turnOnly, expiresAt));
                })
                .onFailure(e -> reply(user, TurnCredentialGrant.refusal(name + " has no TURN running: " + e.getMessage())));
    }

    /** REST usernames start with their unix expiry ({@code expiry:user}). */
    private static long expiryOf(String username) {
        int colon = username.indexOf(':');
        try {
            return colon > 0 ? Long.parseLong(username.substring(0, colon)) : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void reply(String user, TurnCredentialGrant grant) {
        vertx.eventBus().request(Addresses.signalSend(name), new SignalEnvelope(user, grant.toSignal()).toSendJson())
                .onFailure(e -> LOG.fine(() -> name + ": TURN grant to " + user + " not sent: " + e.getMessage()));
    }
}

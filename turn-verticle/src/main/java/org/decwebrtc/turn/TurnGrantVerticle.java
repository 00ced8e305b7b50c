package org.decwebrtc.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
import org.decwebrtc.api.TabMessages;
import org.decwebrtc.api.TurnCredentialGrant;
import org.decwebrtc.api.config.NodeConfig;

import java.util.List;
import java.util.logging.Logger;

/**
 * TURN without a central authority: other users' nodes ask this relay for credentials with a private gossip
 * message, and get short-lived REST credentials made with this relay's own secret (which never leaves it), or a
 * refusal when this relay does not serve them (see {@link ServedUsers}). Signed, encrypted gossip means the
 * answer reaches only the asker.
 *
 * <p>On a user's node ({@code known}) the gateway's call state decides: the remote user of a call this node's
 * user placed or accepted is served while the call lasts, and is sent credentials unasked when the call starts.
 * Requests are rate-limited per requester and the number of requesters holding credentials is capped, so a
 * flood of fresh gossip names cannot exhaust the relay.
 */
public final class TurnGrantVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(TurnGrantVerticle.class.getName());
    private static final long CALL_CHECK_MILLIS = 1000;
    private static final int BURST = 4;
    private static final int MAX_REQUESTERS = 1000;

    private String name;
    private ServedUsers served;
    private GrantLimiter limiter;
    private long callTimer = -1;
    private Counter granted;
    private Counter refused;
    private Counter rateLimited;
    private final List<io.micrometer.core.instrument.Meter> meters = new java.util.ArrayList<>();

    @Override
    public Future<?> start() {
        NodeConfig node = NodeConfig.fromJson(config());
        name = node.name();
        served = ServedUsers.of(vertx, node);
        long lifetimeMillis = node.turn().credentialLifetime() * 1000L;
        // Enough to renew a few times per lifetime (the gateway renews with a third left), not to hammer.
        limiter = new GrantLimiter(BURST, Math.max(1000, lifetimeMillis / 6), lifetimeMillis, MAX_REQUESTERS);
        MeterRegistry registry = TurnMetrics.nodeRegistry();
        Tags tags = Tags.of("node", name);
        granted = registry.counter("turn.grants", tags.and("outcome", "granted"));
        refused = registry.counter("turn.grants", tags.and("outcome", "refused"));
        rateLimited = registry.counter("turn.grants", tags.and("outcome", "rate-limited"));
        meters.addAll(List.of(granted, refused, rateLimited));
        if (served.mode() == ServedUsers.Mode.KNOWN) {
            callTimer = vertx.setPeriodic(CALL_CHECK_MILLIS, id -> checkCalls());
        }
        return vertx.eventBus().<JsonObject>consumer(Addresses.signalReceived(name), m -> {
            SignalEnvelope envelope = SignalEnvelope.fromReceivedJson(m.body());
            if (envelope.signal() != null
                    && SignalTypes.TURN_CREDENTIAL_REQUEST.equals(envelope.signal().getString("type"))
                    && envelope.peer() != null && !envelope.peer().isBlank()) {
                onRequest(envelope.peer());
            }
        }).completion();
    }

    private void onRequest(String user) {
        if (!limiter.admit(user, System.currentTimeMillis())) {
            rateLimited.increment();
            LOG.fine(() -> name + ": TURN credential request from " + user + " over its rate, dropped");
            return;
        }
        if (served.test(user)) {
            grant(user);
        } else if (served.mode() == ServedUsers.Mode.KNOWN) {
            // The call may have started since the last check: ask the gateway now rather than refuse a callee.
            checkCalls().onComplete(v -> {
                if (served.test(user)) {
                    grant(user);
                } else {
                    refuse(user, name + " relays only for its own calls");
                }
            });
        } else {
            refuse(user, name + " does not relay for " + user);
        }
    }

    /**
     * Syncs the remote users of current calls with the gateway: the remote user of a call this node's user placed
     * or is in gets served (and sent credentials at once); anyone else stops being served. An incoming call that
     * only rings does not count: calling someone must not earn a stranger relay credentials.
     */
    private Future<Void> checkCalls() {
        return vertx.eventBus().<JsonObject>request(Addresses.gatewayState(name), new JsonObject(),
                        new DeliveryOptions().setSendTimeout(2000))
                .map(reply -> {
                    JsonObject call = reply.body().getJsonObject("call", new JsonObject());
                    String state = call.getString("state");
                    String with = call.getString("with");
                    boolean ours = with != null && (TabMessages.CallStates.CALLING.equals(state)
                            || TabMessages.CallStates.IN_CALL.equals(state));
                    for (String user : served.callUsers()) {
                        if (!ours || !user.equals(with)) {
                            served.callEnded(user);
                        }
                    }
                    if (ours && !served.callUsers().contains(with)) {
                        served.inCall(with);
                        grant(with);
                    }
                    return (Void) null;
                })
                .recover(e -> {
                    // No gateway (a node without a GUI, or it is restarting): no calls to serve.
                    served.callUsers().forEach(served::callEnded);
                    return Future.succeededFuture();
                });
    }

    private void grant(String user) {
        if (!limiter.mayHold(user, System.currentTimeMillis())) {
            refuse(user, name + " relays for as many users as it can right now");
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
                    granted.increment();
                    limiter.granted(user, System.currentTimeMillis());
                    reply(user, TurnCredentialGrant.granted(turnOnly, expiresAt));
                })
                .onFailure(e -> refuse(user, name + " has no TURN running: " + e.getMessage()));
    }

    private void refuse(String user, String reason) {
        refused.increment();
        LOG.info(() -> name + ": refused TURN credentials to " + user + " (" + reason + ")");
        reply(user, TurnCredentialGrant.refusal(reason));
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

    @Override
    public Future<?> stop() {
        if (callTimer >= 0) {
            vertx.cancelTimer(callTimer);
        }
        MeterRegistry registry = TurnMetrics.nodeRegistry();
        meters.forEach(registry::remove);
        return Future.succeededFuture();
    }
}

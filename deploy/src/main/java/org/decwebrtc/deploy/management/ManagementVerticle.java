package org.decwebrtc.deploy.management;

import org.decwebrtc.api.config.ManagementConfig;
import org.decwebrtc.api.config.NodeConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.TabMessages;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The operator's view of one JVM of a node: {@code GET /metrics} in Prometheus text format and {@code GET
 * /health}, on a listener of its own ({@code 127.0.0.1:9100} by default) that exists with or without the GUI.
 *
 * <p>It lives in the launcher module because only the launcher knows which verticles run in this JVM; in a split
 * deployment each JVM deploys one and exposes its own meters. The meters are the ones the verticles already
 * register with Micrometer's global registry (TURN allocations, relayed packets and bytes, refusals by code,
 * credential grants; gossip packets and bytes sent and received), read through a Prometheus registry joined to it; figures a verticle keeps as
 * state rather than meters (gossip neighbours and routes, open tabs, calls) are asked for over the event bus at
 * scrape time, so a verticle in another JVM of the node still answers.
 */
public final class ManagementVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(ManagementVerticle.class.getName());
    private static final long ASK_TIMEOUT_MILLIS = 1000;

    private ManagementConfig settings;
    private String node;
    private PrometheusMeterRegistry prometheus;
    private HttpServer server;
    private final List<Meter> meters = new ArrayList<>();
    private final AtomicLong neighbours = new AtomicLong();
    private final AtomicLong routes = new AtomicLong();
    private final AtomicLong tabs = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    @Override
    public Future<?> start() {
        NodeConfig config = NodeConfig.fromJson(config());
        settings = config.management();
        node = config.name();
        if (!settings.enabled()) {
            return Future.succeededFuture();
        }
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(prometheus);
        meters.add(Gauge.builder("decwebrtc.gossip.neighbours", neighbours, AtomicLong::get).tag("node", node).register(Metrics.globalRegistry));
        meters.add(Gauge.builder("decwebrtc.gossip.routes", routes, AtomicLong::get).tag("node", node).register(Metrics.globalRegistry));
        meters.add(Gauge.builder("decwebrtc.gateway.tabs.open", tabs, AtomicLong::get).tag("node", node).register(Metrics.globalRegistry));
        meters.add(Gauge.builder("decwebrtc.gateway.calls.active", calls, AtomicLong::get).tag("node", node).register(Metrics.globalRegistry));
        return vertx.createHttpServer().requestHandler(this::handle).listen(settings.port(), settings.bind())
                .onSuccess(s -> {
                    server = s;
                    LOG.info(node + ": metrics and health on http://" + settings.bind() + ":" + s.actualPort());
                })
                .recover(e -> {
                    // Another node of this machine may hold the port: the node runs on without its endpoints.
                    LOG.warning(node + ": no metrics listener on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** The port actually bound, or -1 when there is no listener. */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        if (!"GET".equals(request.method().name())) {
            request.response().setStatusCode(405).end();
            return;
        }
        switch (request.path()) {
            case "/metrics" -> refresh().onComplete(v -> request.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(prometheus.scrape()));
            case "/health" -> health().onComplete(h -> request.response()
                    .setStatusCode(h.result().getString("status").equals("up") ? 200 : 503)
                    .putHeader("content-type", "application/json").end(h.result().encode()));
            default -> request.response().setStatusCode(404).end();
        }
    }

    private <T> Future<T> ask(String address) {
        return vertx.eventBus().<T>request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MILLIS))
                .map(m -> m.body());
    }

    /** Updates the figures kept as verticle state; a verticle that does not answer leaves its last figures. */
    private Future<Void> refresh() {
        // Live neighbours (configured addresses that never answered are not neighbours) and routed users.
        Future<Void> gossip = this.<JsonObject>ask(Addresses.gossipStats(node)).map(json -> {
            neighbours.set(json.getLong("neighboursAlive", 0L));
            routes.set(json.getLong("reachable", 0L));
            return (Void) null;
        }).recover(e -> Future.succeededFuture());
        Future<Void> gateway = this.<JsonObject>ask(Addresses.gatewayState(node)).map(json -> {
            tabs.set(json.getBoolean("gui", false) ? 1 : 0);
            String state = json.getJsonObject("call", new JsonObject()).getString("state");
            calls.set(state != null && !TabMessages.CallStates.IDLE.equals(state) ? 1 : 0);
            return (Void) null;
        }).recover(e -> Future.succeededFuture());
        return Future.join(gossip, gateway).mapEmpty();
    }

    /** Up when the node's verticles answer on the event bus; each part reports whether it answered. */
    private Future<JsonObject> health() {
        Future<Boolean> gossip = answers(Addresses.gossipStats(node));
        Future<Boolean> turn = answers(Addresses.turnStats(node));
        Future<Boolean> gateway = answers(Addresses.gatewayState(node));
        return Future.join(gossip, turn, gateway).transform(v -> {
            boolean any = gossip.result() || turn.result() || gateway.result();
            return Future.succeededFuture(new JsonObject().put("status", any ? "up" : "down").put("node", node)
                    .put("gossip", gossip.result()).put("turn", turn.result()).put("gateway", gateway.result()));
        });
    }

    private Future<Boolean> answers(String address) {
        return ask(address).map(x -> true).recover(e -> Future.succeededFuture(false));
    }

    @Override
    public Future<?> stop() {
        meters.forEach(Metrics.globalRegistry::remove);
        if (prometheus != null) {
            Metrics.removeRegistry(prometheus);
            prometheus.close();
        }
        return server == null ? Future.succeededFuture() : server.close();
    }
}

package org.decwebrtc.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.NodeConfig;

import java.nio.file.Path;
import java.util.logging.Logger;

/** The node's HTTPS face: status API (and, with later slices, the UI and its WebSocket). */
public final class GatewayVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(GatewayVerticle.class.getName());

    private NodeConfig node;
    private HttpServer server;

    @Override
    public Future<?> start() {
        node = NodeConfig.fromJson(config());
        return vertx.executeBlocking(() -> SelfSignedCertificate.loadOrCreate(Path.of(node.dataDir()), node.name()))
                .compose(cert -> {
                    Router router = Router.router(vertx);
                    router.get("/api/node").handler(this::nodeStatus);
                    server = vertx.createHttpServer(new HttpServerOptions()
                                    .setSsl(true)
                                    .setKeyCertOptions(new PfxOptions().setPath(cert.keystore().toString())
                                            .setPassword(cert.password())))
                            .requestHandler(router);
                    return server.listen(node.guiPort(), node.guiBind());
                })
                .onSuccess(s -> LOG.info(() -> node.name() + ": GUI at https://" + node.guiBind() + ":" + s.actualPort()));
    }

    private void nodeStatus(RoutingContext ctx) {
        vertx.eventBus().<JsonObject>request(Addresses.directoryGet(node.name()), new JsonObject())
                .onSuccess(reply -> ctx.json(reply.body()))
                .onFailure(e -> ctx.response().setStatusCode(503)
                        .putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "gossip unavailable: " + e.getMessage()).encode()));
    }
}

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
import org.decwebrtc.api.PeerAddRequest;
import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.TabMessages;
import org.decwebrtc.api.config.NodeConfig;
import org.decwebrtc.api.tls.SelfSignedCertificate;
import org.decwebrtc.gateway.access.AccessGuard;
import org.decwebrtc.gateway.access.AccessToken;
import org.decwebrtc.gateway.access.HostAllowList;
import org.decwebrtc.gateway.call.CallMachine;
import org.decwebrtc.gateway.verify.ContactKeys;
import org.decwebrtc.gateway.verify.DirectoryView;
import org.decwebrtc.gateway.call.SignalRelay;
import org.decwebrtc.gateway.conference.ConferenceMachine;
import org.decwebrtc.gateway.conference.ConferenceRelay;
import org.decwebrtc.gateway.ice.IceServerSource;
import org.decwebrtc.gateway.ice.RemoteTurnCredentials;
import org.decwebrtc.gateway.link.GossipLink;
import org.decwebrtc.gateway.session.OriginCheck;
import org.decwebrtc.gateway.session.TabProtocol;
import org.decwebrtc.gateway.session.TabSession;
import org.decwebrtc.gateway.web.StaticFiles;

import java.nio.file.Path;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * The node's HTTPS face: the calling UI, its WebSocket ({@value TabMessages#PATH}) and the status API. Call state
 * lives here, not in the tab, so the node can speak for a user who has no tab open.
 */
public final class GatewayVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(GatewayVerticle.class.getName());
    /** Frames up to this size are accepted so an oversized message can be answered instead of killing the socket. */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private static final int FIRST_REQUEST_MILLIS = 3000;

    private final long tabIdleMillis;
    private NodeConfig node;
    private HttpServer server;
    private TabSession tab;
    private CallMachine calls;
    private AccessToken token;
    private ContactKeys keys;
    private DirectoryView view;
    private java.util.Optional<JsonObject> lastDirectory = java.util.Optional.empty();
    private String guiUrl;

    public GatewayVerticle() {
        this(TabSession.IDLE_MILLIS);
    }

    /** @param tabIdleMillis a tab silent this long (no frame, no pong) is closed */
    public GatewayVerticle(long tabIdleMillis) {
        this.tabIdleMillis = tabIdleMillis;
    }

    /** The link to open, token included, once started: {@code https://127.0.0.1:<port>/#k=<token>}. */
    public String guiUrl() {
        return guiUrl;
    }
    private ConferenceMachine conferences;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    @Override
    public Future<?> start() {
        node = NodeConfig.fromJson(config());
        SignalRelay relay = new SignalRelay(vertx, node.name(), m -> tab.send(m));
        calls = new CallMachine(node.name(), relay, Clock.systemUTC());
        relay.bind(calls);
        ConferenceRelay conferenceRelay = new ConferenceRelay(vertx, node.name(), m -> tab.send(m));
        conferences = new ConferenceMachine(node.name(), conferenceRelay, Clock.systemUTC(), GatewayVerticle::conferenceId,
                () -> calls.state() != org.decwebrtc.gateway.call.CallState.IDLE);
        conferenceRelay.bind(conferences);
        calls.busyWhile(conferences::busy);
        RemoteTurnCredentials relayTurn = new RemoteTurnCredentials(vertx, node.name(), System::currentTimeMillis);
        IceServerSource ice = new IceServerSource(vertx, node.name(), relayTurn::servers);
        // Fresh relay credentials go to the open tab at once, so a long call never holds expired ones.
        relayTurn.start(() -> ice.fetch().onSuccess(m -> tab.send(m)));
        keys = new ContactKeys(Path.of(node.dataDir()));
        view = new DirectoryView(keys);
        tab = new TabSession(vertx, new TabProtocol(node.name(), calls, m -> tab.send(m), ice::fetch, this::directory,
                this::addPeer, conferences, new TabProtocol.ContactActions() {
                    @Override
                    public String verify(String name) {
                        // (keys.verify returns null on success, so no Optional.map here)
                        return lastDirectory.isEmpty() ? "the directory is not known yet"
                                : keys.verify(name, fingerprintOf(lastDirectory.get(), name));
                    }

                    @Override
                    public String acceptKey(String name) {
                        JsonObject warning = lastDirectory.map(d -> warningFor(d, name)).orElse(null);
                        if (warning == null || !(warning.getValue("newFingerprint") instanceof String fresh)) {
                            return keys.acceptNewKey(name);
                        }
                        // Gossip holds the new key back until the user accepts it there too.
                        keys.accept(name, fresh);
                        vertx.eventBus().request(Addresses.keyAccept(node.name()),
                                        new JsonObject().put("name", name).put("fingerprint", fresh))
                                .onFailure(e -> tab.send(new JsonObject().put("type", TabMessages.ToTab.ERROR)
                                        .put("message", "could not accept the new key of " + name + ": " + e.getMessage())));
                        return null;
                    }
                }), tabIdleMillis);
        vertx.eventBus().<JsonObject>consumer(Addresses.directory(node.name()),
                m -> tab.send(view(m.body()).put("type", TabMessages.ToTab.DIRECTORY)));
        vertx.eventBus().<JsonObject>consumer(Addresses.gatewayState(node.name()), m -> m.reply(state()));
        // A pinned name claimed with another key: the tab learns at once, not with the next route change.
        vertx.eventBus().<JsonObject>consumer(Addresses.keyWarning(node.name()),
                m -> directory().onSuccess(d -> tab.send(d.copy().put("type", TabMessages.ToTab.DIRECTORY))));
        new GossipLink(vertx, node.name()).start(
                () -> tab.send(new JsonObject().put("type", TabMessages.ToTab.NOTICE).put("message",
                        "signaling unavailable: lost the link to this node's gossip service, reconnecting…")),
                directory -> {
                    tab.send(new JsonObject().put("type", TabMessages.ToTab.NOTICE).put("message", "signaling reconnected"));
                    tab.send(view(directory).put("type", TabMessages.ToTab.DIRECTORY));
                });

        token = AccessToken.random();
        AccessGuard guard = new AccessGuard(token, new HostAllowList(node.gateway().bind(), node.gateway().hosts()));
        return vertx.executeBlocking(() -> {
                    token.writeTo(Path.of(node.dataDir()));
                    return SelfSignedCertificate.loadOrCreate(Path.of(node.dataDir()), node.name());
                })
                .compose(cert -> {
                    Router router = Router.router(vertx);
                    guard.install(router, "/api/*", TabMessages.PATH);
                    router.get("/api/node").handler(this::nodeStatus);
                    router.get(TabMessages.PATH).handler(this::upgrade);
                    StaticFiles.install(router);
                    server = vertx.createHttpServer(new HttpServerOptions()
                                    .setSsl(true)
                                    .setKeyCertOptions(new PfxOptions().setPath(cert.keystore().toString())
                                            .setPassword(cert.password()))
                                    .setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
                                    .setMaxWebSocketMessageSize(MAX_FRAME_BYTES))
                            .requestHandler(router);
                    return server.listen(node.gateway().port(), node.gateway().bind());
                })
                .compose(s -> firstRequest(s.actualPort()).map(s))
                .onSuccess(s -> {
                    guiUrl = "https://" + linkHost() + ":" + s.actualPort() + "/#" + AccessToken.QUERY_PARAM + "="
                            + token.value();
                    LOG.info(() -> node.name() + ": GUI at " + guiUrl);
                });
    }

    /**
     * Vert.x builds the TLS context on the first connection, and the JVM loads the TLS, HTTP and static-file code
     * then too: measured, that made the user's first page load wait 300–400 ms. We make that first request
     * ourselves, before saying the GUI is up. It never fails the start: at worst the user's request pays instead.
     */
    /** The host for links and the first request: the bind address, or loopback when bound to every address. */
    private String linkHost() {
        String bind = node.gateway().bind();
        if (bind.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (bind.equals("::")) {
            return "[::1]";
        }
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private Future<Void> firstRequest(int port) {
        String host = linkHost().replace("[", "").replace("]", "");
        io.vertx.core.http.HttpClientAgent client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setSsl(true).setTrustAll(true).setVerifyHost(false).setConnectTimeout(FIRST_REQUEST_MILLIS));
        return client.request(new io.vertx.core.http.RequestOptions().setHost(host).setPort(port).setURI("/")
                        .setTimeout(FIRST_REQUEST_MILLIS))
                .compose(request -> request.send().compose(io.vertx.core.http.HttpClientResponse::body))
                .<Void>mapEmpty()
                .otherwise(e -> {
                    LOG.fine(() -> node.name() + ": first request to our own GUI failed: " + e);
                    return null;
                })
                .eventually(client::close);
    }

    private void upgrade(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (!OriginCheck.allowed(origin, ctx.request().getHeader("Host"))) {
            ctx.response().setStatusCode(403).putHeader("content-type", "text/plain")
                    .end("WebSocket refused: Origin " + (origin == null ? "missing" : origin)
                            + " is not this gateway\n");
            return;
        }
        ctx.request().toWebSocket()
                .onSuccess(tab::attach)
                .onFailure(e -> LOG.fine(() -> "WebSocket upgrade failed: " + e));
    }

    private JsonObject state() {
        return new JsonObject().put("gui", tab.isOpen()).put("call", calls.toJson())
                .put("conference", conferences.toJson());
    }

    /** 128 random bits: knowing a conference's id is no ticket in, but it should not be guessable either. */
    private static String conferenceId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return java.util.HexFormat.of().formatHex(id);
    }

    /** The directory as the user sees it: with safety numbers, verified marks and key changes. */
    private Future<JsonObject> directory() {
        return vertx.eventBus().<JsonObject>request(Addresses.directoryGet(node.name()), new JsonObject())
                .map(m -> view(m.body()));
    }

    private JsonObject view(JsonObject directory) {
        lastDirectory = java.util.Optional.of(directory);
        return view.enrich(directory);
    }

    /** Gossip's open key warning for {@code name}, or null. */
    private static JsonObject warningFor(JsonObject directory, String name) {
        if (directory.getValue("keyWarnings") instanceof io.vertx.core.json.JsonArray warnings) {
            for (Object o : warnings) {
                if (o instanceof JsonObject w && name.equals(w.getValue("name"))) {
                    return w;
                }
            }
        }
        return null;
    }

    /** The key a name has in the directory now, or null. */
    private static String fingerprintOf(JsonObject directory, String name) {
        for (Object o : directory.getJsonArray("users", new io.vertx.core.json.JsonArray())) {
            if (o instanceof JsonObject user && name.equals(user.getValue("name"))
                    && user.getValue("fingerprint") instanceof String f) {
                return f;
            }
        }
        return null;
    }

    private Future<String> addPeer(String text) {
        HostPort peer;
        try {
            peer = HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e.getMessage());
        }
        return vertx.eventBus().<JsonObject>request(Addresses.peersAdd(node.name()),
                        new PeerAddRequest(peer.toString()).toJson())
                .map(m -> {
                    String added = PeerAddRequest.fromJson(m.body()).peer();
                    return added == null ? peer.toString() : added;
                });
    }

    private void nodeStatus(RoutingContext ctx) {
        directory()
                .onSuccess(d -> ctx.json(d.copy().mergeIn(state())))
                .onFailure(e -> ctx.response().setStatusCode(503)
                        .putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "gossip unavailable: " + e.getMessage())
                                .mergeIn(state()).encode()));
    }
}

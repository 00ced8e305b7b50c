package org.decwebrtc.stun.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A server of our own on 127.0.0.1 and a free port, on its own Vert.x (native transport when there is one). */
final class LocalStunServer implements AutoCloseable {
    final Vertx vertx;
    final StunServer server;
    final InetSocketAddress address;

    private LocalStunServer(Vertx vertx, StunServer server) {
        this.vertx = vertx;
        this.server = server;
        this.address = new InetSocketAddress("127.0.0.1", server.port());
    }

    /** {@code configure} adds handlers and settings to a builder already bound to 127.0.0.1, port 0. */
    static LocalStunServer start(UnaryOperator<StunServer.Builder> configure) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        // Port 0 picks a free UDP port; its TCP twin may be taken by another process: then try another.
        for (int attempt = 1; ; attempt++) {
            try {
                StunServer server = configure.apply(StunServer.builder(vertx).bind("127.0.0.1").port(0))
                        .listen().await(10, TimeUnit.SECONDS);
                return new LocalStunServer(vertx, server);
            } catch (Exception e) {
                if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("in use")) {
                    vertx.close().await(5, TimeUnit.SECONDS);
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
    }
}

package org.decwebrtc.stun.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * STUN/TURN over TLS (RFC 8489 section 6.2.3, {@code turns:} URLs): a TLS listener on its own port whose decrypted
 * connections go to the STUN server's TCP connection handler. It lets browsers on networks that pass only TLS
 * (or only port 443) still reach a relay.
 *
 * @param port     TLS port; 0 picks a free one
 * @param keyCert  the certificate and key
 * @param optional when the port is taken, fall back to a free port instead of failing (a default port that a
 *                 second node on the same machine already holds)
 */
public record TlsListener(int port, KeyCertOptions keyCert, boolean optional) {
    private static final Logger LOG = Logger.getLogger(TlsListener.class.getName());

    public TlsListener {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TLS port out of range: " + port);
        }
        if (keyCert == null) {
            throw new IllegalArgumentException("TLS needs a certificate");
        }
    }

    Future<NetServer> listen(Vertx vertx, String host, int idleTimeoutSeconds, Handler<NetSocket> connections) {
        return bind(vertx, host, port, idleTimeoutSeconds, connections).recover(e -> {
            if (!optional || port == 0) {
                return Future.failedFuture(new IllegalStateException("cannot listen for TLS on " + host + ":" + port
                        + ": " + e.getMessage(), e));
            }
            LOG.warning("TLS port " + port + " unavailable (" + e.getMessage() + "), using a free port instead");
            return bind(vertx, host, 0, idleTimeoutSeconds, connections);
        });
    }

    private Future<NetServer> bind(Vertx vertx, String host, int wanted, int idleTimeoutSeconds,
                                   Handler<NetSocket> connections) {
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(wanted).setTcpNoDelay(true)
                .setSsl(true).setKeyCertOptions(keyCert)
                // A client that opens the socket and never finishes the handshake holds a descriptor only this long.
                .setSslHandshakeTimeout(10).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
        if (idleTimeoutSeconds > 0) {
            options.setIdleTimeout(idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
        }
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(connections);
        return server.listen();
    }
}

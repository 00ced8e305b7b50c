package org.decwebrtc.gateway;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The first HTTPS connection to a fresh JVM took 400 ms, nearly all of it loading and interpreting the JDK's
 * TLS and EC code, so the user's first page load waited on it. While the rest of the node starts, a background
 * thread runs one TLS 1.3 handshake between two in-memory engines, with a throwaway certificate of the same kind
 * as the gateway's (EC P-256, made by BouncyCastle, which warms the first start's certificate making too). The
 * gateway's own first request ({@code GatewayVerticle#firstRequest}) then finds most of the code loaded.
 */
public final class TlsWarmUp {
    private static final Logger LOG = Logger.getLogger(TlsWarmUp.class.getName());

    private TlsWarmUp() {
    }

    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Starts the warm-up on a daemon thread and returns at once, the first time it is called in this JVM (the
     * code stays warm after that); failures only cost the speed-up.
     */
    public static void startOnce() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(TlsWarmUp::handshakeQuietly, "tls-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void handshakeQuietly() {
        try {
            // Netty looks for BouncyCastle (which we ship for certificates) when Vert.x builds the server's TLS
            // context on the first connection, and instantiating its provider loads some 700 classes; do it here.
            io.netty.handler.ssl.util.BouncyCastleUtil.isBcPkixAvailable();
            handshake();
        } catch (Exception e) {
            LOG.log(Level.FINE, "TLS warm-up failed", e);
        }
    }

    /** One complete handshake between a server engine and a client engine, over in-memory buffers. */
    static void handshake() throws Exception {
        char[] pass = "warm-up".toCharArray();
        KeyStore store = SelfSignedCertificate.create("warm-up", "warm-up");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, pass);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, new TrustManager[]{new AcceptAll()}, null);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = clientContext.createSSLEngine("127.0.0.1", 443);
        client.setUseClientMode(true);

        int packet = Math.max(server.getSession().getPacketBufferSize(), client.getSession().getPacketBufferSize());
        int app = Math.max(server.getSession().getApplicationBufferSize(), client.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(packet);
        ByteBuffer toClient = ByteBuffer.allocate(packet);
        ByteBuffer scratch = ByteBuffer.allocate(app);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 200 && !(done(client) && done(server)); step++) {
            advance(client, empty, toServer, toClient, scratch);
            advance(server, empty, toClient, toServer, scratch);
        }
        if (!(done(client) && done(server))) {
            throw new SSLException("warm-up handshake did not finish");
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** Lets {@code engine} write what it has to say into {@code out} and read what the other side wrote in {@code in}. */
    private static void advance(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer scratch)
            throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            case NEED_WRAP -> engine.wrap(empty, out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                scratch.clear();
                engine.unwrap(in, scratch);
                in.compact();
            }
            default -> {
            }
        }
    }

    /** Only ever trusts the throwaway certificate of this in-memory handshake. */
    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

package org.decwebrtc.stun.testing;

import org.decwebrtc.stun.message.StunMessage;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.DataInputStream;
import java.io.InputStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/** A STUN-over-TLS client for tests of the transport: frames STUN messages on a TLS stream (RFC 8489 §6.2.2). */
public final class TlsTestClient {
    private TlsTestClient() {
    }

    /**
     * A TLS socket to 127.0.0.1:port that trusts any certificate: browsers check the node's certificate, these
     * tests are about the transport, so they accept the node's self-signed one.
     */
    public static SSLSocket trustingSocket(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** One STUN message off a stream: the 20-byte header says how long the rest is. */
    public static StunMessage readFrame(InputStream stream) throws Exception {
        DataInputStream in = new DataInputStream(stream);
        byte[] header = new byte[20];
        in.readFully(header);
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        byte[] whole = new byte[20 + length];
        System.arraycopy(header, 0, whole, 0, 20);
        in.readFully(whole, 20, length);
        return StunMessage.decode(whole);
    }
}

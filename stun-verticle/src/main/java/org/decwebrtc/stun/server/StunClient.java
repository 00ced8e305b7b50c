package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import org.decwebrtc.stun.message.StunMessage;

import java.net.InetSocketAddress;

/**
 * The client end of one 5-tuple: where a message came from and how to answer it on the same UDP socket or TCP
 * connection. A TURN server keeps it to push Data indications and ChannelData later; sending is safe from any
 * thread. Sends are fire-and-forget, as datagrams are: failures are counted and logged, never thrown.
 */
public interface StunClient {
    FiveTuple fiveTuple();

    default ClientTransport transport() {
        return fiveTuple().transport();
    }

    default InetSocketAddress remote() {
        return fiveTuple().remote();
    }

    default InetSocketAddress local() {
        return fiveTuple().local();
    }

    /** Sends bytes that are already one complete STUN message or framed ChannelData; takes ownership of buf. */
    void send(ByteBuf buf);

    /** Encodes and sends; {@code key} signs MESSAGE-INTEGRITY attributes, may be null. */
    void send(StunMessage message, byte[] key);

    /**
     * Sends one STUN message its caller has encoded itself (the Binding success, written without the builder);
     * counted like {@link #send(StunMessage, byte[])}. The array is not kept.
     */
    void sendEncoded(byte[] message);

    /** Sends ChannelData (RFC 8656 §12.4), padded to a multiple of 4 on TCP as §12.5 requires. */
    void sendChannelData(int channel, Buffer payload);

    /** False once a TCP connection has closed; always true for UDP. */
    boolean isOpen();

    /**
     * Tells a TCP connection it now carries long-lived state (a TURN allocation), so the short first-use idle
     * timeout no longer applies; nothing for UDP.
     */
    default void markInUse() {
    }

    /** Closes a TCP connection; nothing for UDP. */
    void close();
}

package org.decwebrtc.turn.alloc;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.server.StunClient;

import java.net.InetSocketAddress;

/**
 * The relayed transport address of an allocation: what the server needs of it to relay and to clean up, so the
 * allocation logic does not depend on how the socket is made (UDP socket today, tested with fakes).
 */
public interface Relay {
    int port();

    /** The client this relay forwards peer data to. */
    StunClient client();

    /** Sends a datagram to a peer; takes ownership of {@code payload}. */
    void send(ByteBuf payload, InetSocketAddress peer);

    /**
     * Frees the socket; called exactly once when the allocation ends. {@code onClosed} runs once the socket is
     * really closed, so its port goes back to the pool only when it can be bound again.
     */
    void close(Runnable onClosed);
}

package org.decwebrtc.turn.alloc;

/** The relayed transport address of an allocation, as far as the bookkeeping needs to know it. */
public interface Relay {
    int port();

    /**
     * Frees the socket; called exactly once when the allocation ends. {@code onClosed} runs once the socket is
     * really closed, so its port goes back to the pool only when it can be bound again.
     */
    void close(Runnable onClosed);
}

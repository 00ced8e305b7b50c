package org.decwebrtc.stun.server;

import java.net.InetSocketAddress;

/** Client address, server address and transport: the key of a TURN allocation (RFC 8656 §2). */
public record FiveTuple(ClientTransport transport, InetSocketAddress remote, InetSocketAddress local) {
    @Override
    public String toString() {
        return transport + " " + remote + " -> " + local;
    }
}

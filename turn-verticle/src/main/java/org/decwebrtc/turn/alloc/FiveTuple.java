package org.decwebrtc.turn.alloc;

import java.net.InetSocketAddress;

/** Client address, server address and transport: what identifies an allocation (RFC 8656 §2). */
public record FiveTuple(InetSocketAddress client, InetSocketAddress server, Transport transport) {
    public enum Transport { UDP, TCP }

    @Override
    public String toString() {
        return transport + " " + client + "->" + server;
    }
}

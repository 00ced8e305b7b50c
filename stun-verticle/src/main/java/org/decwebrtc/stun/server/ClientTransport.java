package org.decwebrtc.stun.server;

/** How a client reached the server; TURN's REQUESTED-TRANSPORT and 5-tuples need to tell them apart. */
public enum ClientTransport {
    UDP, TCP
}

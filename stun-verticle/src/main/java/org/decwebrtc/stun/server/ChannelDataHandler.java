package org.decwebrtc.stun.server;

import io.vertx.core.buffer.Buffer;

/** Receives TURN ChannelData (RFC 8656 §12): channel number 0x4000-0x4FFF and the application data. */
@FunctionalInterface
public interface ChannelDataHandler {
    void handle(int channel, Buffer data, StunPeer peer);
}

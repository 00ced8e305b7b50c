package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBuf;

/**
 * Receives TURN ChannelData (RFC 8656 §12): channel number 0x4000-0x4FFF and the application data.
 *
 * <p>{@code data} is a view into the received datagram or TCP frame, not a copy: a relay forwards it without
 * touching the bytes. It is valid only during the call; a handler that keeps or sends it must
 * {@link ByteBuf#retain() retain} it (and hand that reference on), one that needs the bytes later copies them.
 */
@FunctionalInterface
public interface ChannelDataHandler {
    void handle(int channel, ByteBuf data, StunClient client);
}

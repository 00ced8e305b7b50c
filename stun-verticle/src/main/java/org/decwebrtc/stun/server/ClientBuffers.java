package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Helpers shared by the UDP and TCP clients. */
final class ClientBuffers {
    private ClientBuffers() {
    }

    /** Copies a Vert.x buffer into a Netty one without an intermediate byte[] and without moving its indices. */
    static void writePayload(ByteBuf out, Buffer payload) {
        if (payload instanceof BufferInternal internal) {
            ByteBuf src = internal.getByteBuf();
            out.writeBytes(src, src.readerIndex(), src.readableBytes());
        } else {
            out.writeBytes(payload.getBytes());
        }
    }
}

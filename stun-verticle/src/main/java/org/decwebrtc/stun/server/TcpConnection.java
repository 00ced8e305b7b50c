package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.decwebrtc.stun.message.PacketKind;
import org.decwebrtc.stun.message.StunMessage;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * One TCP client. STUN over TCP has no framing of its own: a STUN message is 20 bytes + its length field, and
 * RFC 8656 §12.5 ChannelData is 4 bytes + its length rounded up to 4. Anything else on the stream means we lost
 * the frame boundary for good, so the connection is closed. A frame left incomplete longer than the stall
 * timeout closes it too, so a client that sends half a message cannot pin a buffer forever. At most one frame
 * (64 KiB + header) is ever buffered.
 */
final class TcpConnection implements StunClient {
    private final Vertx vertx;
    private final NetSocket socket;
    private final Dispatcher dispatcher;
    private final FiveTuple fiveTuple;
    private final long stallTimeoutMs;
    private final Consumer<StunClient> closeHandler;
    private Buffer pending = Buffer.buffer();
    private long stallTimer = -1;
    private boolean open = true;

    TcpConnection(Vertx vertx, NetSocket socket, Dispatcher dispatcher, long stallTimeoutMs,
                  Consumer<StunClient> closeHandler) {
        this.vertx = vertx;
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.stallTimeoutMs = stallTimeoutMs;
        this.closeHandler = closeHandler;
        this.fiveTuple = new FiveTuple(ClientTransport.TCP, inet(socket.remoteAddress()), inet(socket.localAddress()));
        socket.handler(this::onData);
        socket.closeHandler(v -> onClose());
        socket.exceptionHandler(e -> socket.close());
    }

    private static InetSocketAddress inet(SocketAddress address) {
        try {
            // hostAddress() is a literal, so this parses and never touches DNS.
            return new InetSocketAddress(InetAddress.getByName(address.hostAddress()), address.port());
        } catch (UnknownHostException e) {
            return InetSocketAddress.createUnresolved(address.hostAddress(), address.port());
        }
    }

    private void onData(Buffer data) {
        pending = pending.length() == 0 ? data : pending.appendBuffer(data);
        int offset = 0;
        while (open) {
            int available = pending.length() - offset;
            if (available < 4) {
                break;
            }
            int frameLength = frameLength(pending, offset);
            if (frameLength < 0) {
                dispatcher.metrics.tcpGarbage.increment();
                close();
                return;
            }
            if (available < frameLength) {
                break;
            }
            dispatcher.metrics.tcpFrames.increment();
            ByteBuf frame = ((BufferInternal) pending).getByteBuf().slice(offset, frameLength);
            dispatcher.dispatch(frame, this);
            offset += frameLength;
        }
        pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
        armStallTimer();
    }

    /** Length of the frame starting at offset, or -1 if the bytes cannot start a frame. */
    private int frameLength(Buffer buf, int offset) {
        int first = buf.getUnsignedByte(offset);
        int length = buf.getUnsignedShort(offset + 2);
        PacketKind kind = PacketKind.of(first);
        if (kind == PacketKind.STUN) {
            return length % 4 == 0 ? StunMessage.HEADER_LENGTH + length : -1;
        }
        if (dispatcher.acceptsChannelData() && dispatcher.isChannelData(first)) {
            return 4 + ((length + 3) & ~3);
        }
        return -1;
    }

    private void armStallTimer() {
        if (stallTimer >= 0) {
            vertx.cancelTimer(stallTimer);
            stallTimer = -1;
        }
        if (open && pending.length() > 0 && stallTimeoutMs > 0) {
            stallTimer = vertx.setTimer(stallTimeoutMs, id -> {
                stallTimer = -1;
                dispatcher.metrics.tcpStalled.increment();
                close();
            });
        }
    }

    private void onClose() {
        open = false;
        pending = Buffer.buffer();
        if (stallTimer >= 0) {
            vertx.cancelTimer(stallTimer);
            stallTimer = -1;
        }
        if (closeHandler != null) {
            closeHandler.accept(this);
        }
    }

    @Override
    public FiveTuple fiveTuple() {
        return fiveTuple;
    }

    @Override
    public void send(ByteBuf buf) {
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            write(Buffer.buffer(bytes));
        } finally {
            buf.release();
        }
    }

    @Override
    public void send(StunMessage message, byte[] key) {
        ByteBuf buf = Unpooled.buffer(128);
        message.encode(buf, key);
        dispatcher.metrics.countSent(message);
        write(BufferInternal.buffer(buf));
    }

    @Override
    public void sendChannelData(int channel, Buffer payload) {
        int length = payload.length();
        ByteBuf buf = Unpooled.buffer(4 + length + 3);
        buf.writeShort(channel).writeShort(length);
        ClientBuffers.writePayload(buf, payload);
        buf.writeZero((4 - length % 4) % 4);
        write(BufferInternal.buffer(buf));
    }

    private void write(Buffer buffer) {
        if (!open) {
            dispatcher.metrics.sendFailures.increment();
            return;
        }
        socket.write(buffer).onFailure(e -> dispatcher.metrics.sendFailures.increment());
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "tcp:" + fiveTuple.remote();
    }
}

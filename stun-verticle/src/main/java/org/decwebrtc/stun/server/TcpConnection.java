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
 * the frame boundary for good, so the connection is closed. At most one frame (64 KiB + header) is ever buffered.
 *
 * <p>Two clocks keep a slot from being held for free. Each frame has a deadline set when its first byte arrives
 * and never moved by later bytes of the same frame, so trickling one byte at a time does not keep a half frame
 * alive. Until a handler declares the connection in use ({@link #markInUse}, TURN does on a successful Allocate)
 * it must also deliver a complete frame within the first-use timeout, or it is closed as idle.
 */
final class TcpConnection implements StunClient {
    private final Vertx vertx;
    private final NetSocket socket;
    private final Dispatcher dispatcher;
    private final FiveTuple fiveTuple;
    private final long stallTimeoutMs;
    private final long firstUseTimeoutMs;
    private final Consumer<StunClient> closeHandler;
    private Buffer pending = Buffer.buffer();
    private long frameTimer = -1;
    private long idleTimer = -1;
    private boolean inUse;
    private boolean open = true;

    TcpConnection(Vertx vertx, NetSocket socket, Dispatcher dispatcher, long stallTimeoutMs,
                  Consumer<StunClient> closeHandler) {
        this(vertx, socket, dispatcher, stallTimeoutMs, 0, closeHandler);
    }

    /** {@code firstUseTimeoutMs}: how long the connection may go without a complete frame until in use (0: no limit). */
    TcpConnection(Vertx vertx, NetSocket socket, Dispatcher dispatcher, long stallTimeoutMs, long firstUseTimeoutMs,
                  Consumer<StunClient> closeHandler) {
        this.vertx = vertx;
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.stallTimeoutMs = stallTimeoutMs;
        this.firstUseTimeoutMs = firstUseTimeoutMs;
        this.closeHandler = closeHandler;
        this.fiveTuple = new FiveTuple(ClientTransport.TCP, inet(socket.remoteAddress()), inet(socket.localAddress()));
        socket.handler(this::onData);
        socket.closeHandler(v -> onClose());
        socket.exceptionHandler(e -> socket.close());
        armIdleTimer();
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
        int frames = 0;
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
            frames++;
            dispatcher.dispatch(frame, this);
            offset += frameLength;
        }
        pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
        if (frames > 0) {
            // A new frame (or none) is pending now: its own deadline starts with its first byte.
            cancelFrameTimer();
            armIdleTimer();
        }
        if (open && pending.length() > 0 && frameTimer < 0 && stallTimeoutMs > 0) {
            frameTimer = vertx.setTimer(stallTimeoutMs, id -> {
                frameTimer = -1;
                dispatcher.metrics.tcpStalled.increment();
                close();
            });
        }
    }

    private void cancelFrameTimer() {
        if (frameTimer >= 0) {
            vertx.cancelTimer(frameTimer);
            frameTimer = -1;
        }
    }

    /** Until in use, each complete frame restarts the first-use clock; bytes without a frame do not. */
    private void armIdleTimer() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
        if (open && !inUse && firstUseTimeoutMs > 0) {
            idleTimer = vertx.setTimer(firstUseTimeoutMs, id -> {
                idleTimer = -1;
                dispatcher.metrics.tcpIdle.increment();
                close();
            });
        }
    }

    @Override
    public void markInUse() {
        inUse = true;
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
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

    private void onClose() {
        open = false;
        pending = Buffer.buffer();
        cancelFrameTimer();
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
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
    public void sendEncoded(byte[] message) {
        dispatcher.metrics.countSent(message);
        write(Buffer.buffer(message));
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

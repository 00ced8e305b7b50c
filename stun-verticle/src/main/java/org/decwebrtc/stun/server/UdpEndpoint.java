package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;

import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One UDP socket of the server, a Netty handler on a Vert.x event loop. We sit on Netty rather than Vert.x's
 * DatagramSocket because the latter copies each datagram, resolves the destination host string on every send
 * and flushes every reply; here replies produced while reading a batch of datagrams go out with one flush.
 * Handlers still run inside a Vert.x context (entered once per read batch), so they can use timers and the
 * event bus as usual.
 */
final class UdpEndpoint extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(UdpEndpoint.class.getName());

    private final ContextInternal context;
    private final Dispatcher dispatcher;
    private Channel channel;
    /** The native socket under an epoll channel, for {@link #sendNow}; null on other transports. */
    private io.netty.channel.unix.Socket socket;
    private InetSocketAddress local;
    private boolean reading;
    private boolean flushPending;
    /** The context that was current before this read batch entered ours, restored when the batch ends. */
    private ContextInternal outside;

    UdpEndpoint(ContextInternal context, Dispatcher dispatcher) {
        this.context = context;
        this.dispatcher = dispatcher;
    }

    ContextInternal context() {
        return context;
    }

    StunMetrics metrics() {
        return dispatcher.metrics;
    }

    /** Whether an unauthenticated error reply may go to {@code recipient} (counted when it may not). */
    boolean mayReplyWithError(InetSocketAddress recipient) {
        if (dispatcher.errorReplies.tryAcquire(recipient.getAddress(), System.nanoTime())) {
            return true;
        }
        dispatcher.metrics.errorRepliesSuppressed.increment();
        return false;
    }

    Channel channel() {
        return channel;
    }

    InetSocketAddress local() {
        return local;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        local = (InetSocketAddress) channel.localAddress();
        if (channel instanceof io.netty.channel.epoll.EpollDatagramChannel epoll
                && epoll.fd() instanceof io.netty.channel.unix.Socket native_) {
            socket = native_;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!reading) {
                // Handlers run inside our Vert.x context; entering it once per read batch rather than once per
                // datagram (ContextInternal.emit) saves a thread-local swap per packet.
                reading = true;
                outside = context.beginDispatch();
            }
            dispatcher.metrics.udpPackets.increment();
            dispatcher.dispatch(packet.content(), new UdpClient(this, packet.sender()));
        } catch (RuntimeException e) {
            // The dispatcher already contains handler failures; anything else concerns this datagram only.
            LOG.log(Level.WARNING, "UDP datagram from " + packet.sender() + " failed", e);
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading) {
            reading = false;
            ContextInternal previous = outside;
            outside = null;
            context.endDispatch(previous);
        }
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP errors (ICMP unreachable, ENOBUFS under load) concern one datagram, never the socket.
        dispatcher.metrics.sendFailures.increment();
        LOG.log(Level.FINE, "UDP error on " + local, cause);
    }

    /**
     * Replies made while reading a batch are flushed once at the end of the batch. A datagram sent from elsewhere,
     * on our event loop or another one (a TURN relay handing peer data to its client), leaves at once with
     * {@link #sendNow}: a sendto on a UDP socket is safe from any thread, so no task is handed to our loop.
     */
    void send(ByteBuf buf, InetSocketAddress recipient) {
        if (channel.eventLoop().inEventLoop() && reading) {
            channel.write(new DatagramPacket(buf, recipient), channel.voidPromise());
            flushPending = true;
            return;
        }
        if (socket != null && buf.hasMemoryAddress()) {
            sendNow(buf, recipient);
            return;
        }
        channel.writeAndFlush(new DatagramPacket(buf, recipient), channel.voidPromise());
    }

    /**
     * One sendto straight from the buffer, past Netty's pipeline and outbound queue (with nothing queued, they
     * would only add a queue entry, a flush and a copy of the bookkeeping). A full socket buffer drops the
     * datagram and counts it, as the kernel itself would for UDP.
     */
    private void sendNow(ByteBuf buf, InetSocketAddress recipient) {
        try {
            if (socket.sendToAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex(),
                    recipient.getAddress(), recipient.getPort()) <= 0) {
                dispatcher.metrics.sendFailures.increment();
            }
        } catch (java.io.IOException e) {
            dispatcher.metrics.sendFailures.increment();
            LOG.log(Level.FINE, "UDP send to " + recipient + " failed", e);
        } finally {
            buf.release();
        }
    }
}

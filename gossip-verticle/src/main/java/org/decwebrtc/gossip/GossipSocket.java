package org.decwebrtc.gossip;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The UDP socket of one gossip node: a Netty channel on the node's own event loop. Vert.x's DatagramSocket costs
 * more per datagram than the datagram itself on a quiet node: asked for a large kernel receive buffer it also reads
 * every datagram into a heap buffer that large (a megabyte allocated and zeroed per keepalive), it resolves the
 * destination host string and makes a promise for every send, and it flushes each datagram on its own. Here a
 * datagram is read into a pooled buffer the size of the largest datagram we accept, and the datagrams written
 * during one task of the event loop (keepalives to every neighbour, a flood) leave with one flush (one sendmmsg
 * system call on native epoll). Handlers run inside the node's Vert.x context, so timers and the event bus work
 * as usual. Owned by the node's event loop.
 */
final class GossipSocket extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(GossipSocket.class.getName());

    /** Receives one datagram: its bytes and its source address. */
    interface Receiver {
        void onDatagram(byte[] data, InetSocketAddress sender);
    }

    private final ContextInternal context;
    private final Handler<DatagramPacket> dispatch;
    private Channel channel;
    private boolean flushScheduled;
    private final Runnable flush = this::flush;

    private GossipSocket(ContextInternal context, Receiver receiver) {
        this.context = context;
        this.dispatch = packet -> receiver.onDatagram(ByteBufUtil.getBytes(packet.content()), packet.sender());
    }

    /**
     * Binds a socket on the event loop of the calling verticle's context. {@code maxDatagram}: larger datagrams are
     * cut short (and then fail to parse); {@code kernelBuffer}: SO_RCVBUF, to ride out bursts of records.
     */
    static Future<GossipSocket> bind(VertxInternal vertx, String host, int port, int maxDatagram, int kernelBuffer,
                                     Receiver receiver) {
        ContextInternal context = vertx.getOrCreateContext();
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return Future.failedFuture(new IllegalArgumentException("cannot resolve gossip bind address " + host));
        }
        GossipSocket socket = new GossipSocket(context, receiver);
        InternetProtocolFamily family = address instanceof Inet6Address ? InternetProtocolFamily.IPv6
                : InternetProtocolFamily.IPv4;
        Bootstrap bootstrap = new Bootstrap()
                .group(context.nettyEventLoop())
                .channelFactory(() -> {
                    DatagramChannel channel = vertx.transport().datagramChannel(family);
                    channel.config().setAllocator(PooledByteBufAllocator.DEFAULT)
                            .setRecvByteBufAllocator(new FixedRecvByteBufAllocator(maxDatagram));
                    channel.config().setOption(ChannelOption.SO_RCVBUF, kernelBuffer);
                    return channel;
                })
                .handler(socket);
        Promise<GossipSocket> bound = context.promise();
        ChannelFuture future = bootstrap.bind(new InetSocketAddress(address, port));
        future.addListener(f -> {
            if (f.isSuccess()) {
                socket.channel = future.channel();
                bound.complete(socket);
            } else {
                bound.fail(f.cause());
            }
        });
        return bound.future();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Queues a datagram; everything queued during the current task of the event loop leaves with one flush. UDP
     * gives no delivery report: a datagram the kernel refuses is lost, as on the wire.
     */
    void send(byte[] bytes, InetSocketAddress to) {
        DatagramPacket packet = new DatagramPacket(Unpooled.wrappedBuffer(bytes), to);
        if (!channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(packet, channel.voidPromise());
            return;
        }
        channel.write(packet, channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        channel.flush();
    }

    Future<Void> close() {
        if (channel == null) {
            return Future.succeededFuture();
        }
        Promise<Void> closed = context.promise();
        channel.flush(); // a Leave written just before must go out, not be dropped with the channel
        channel.close().addListener(f -> closed.complete());
        return closed.future();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            context.emit(packet, dispatch);
        } finally {
            packet.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP errors (ICMP unreachable, ENOBUFS under load) concern one datagram, never the socket.
        LOG.log(Level.FINE, "gossip UDP error on " + channel.localAddress(), cause);
    }
}

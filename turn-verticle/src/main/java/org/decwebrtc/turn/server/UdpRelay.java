package org.decwebrtc.turn.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.buffer.ByteBuf;
import io.vertx.core.spi.transport.Transport;
import org.decwebrtc.stun.server.StunClient;
import org.decwebrtc.stun.server.UdpTuning;
import org.decwebrtc.turn.alloc.Allocation;
import org.decwebrtc.turn.alloc.Relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * The relayed transport address of one allocation: a UDP socket straight on Netty, so a relayed datagram costs
 * one read and one write with no copy in between. Peer datagrams go to the server's handler, which decides
 * (permission, channel, bandwidth) what reaches the client. The socket may live on another event loop than its
 * client (see {@link TurnShards#relayHost}): datagrams to peers then leave with a direct {@code sendto} on its
 * descriptor from the client's loop (safe from any thread on a UDP socket), so neither direction hops loops.
 */
public final class UdpRelay extends SimpleChannelInboundHandler<DatagramPacket> implements Relay {
    private final int port;
    private final StunClient client;
    private final BiConsumer<UdpRelay, DatagramPacket> onPeerData;
    private Channel channel;
    /** The native socket under an epoll channel, for sends from another loop; null on other transports. */
    private io.netty.channel.unix.Socket socket;
    /** Set on the client's loop once the allocation exists, read on this socket's loop. */
    private volatile Allocation allocation;
    private Runnable released = () -> { };
    private boolean flushScheduled;
    private final Runnable flush = () -> {
        flushScheduled = false;
        channel.flush();
    };
    private static final int RECEIVE_BUFFER = 1 << 20;

    private UdpRelay(int port, StunClient client, BiConsumer<UdpRelay, DatagramPacket> onPeerData) {
        super(false);
        this.port = port;
        this.client = client;
        this.onPeerData = onPeerData;
    }

    /** Binds {@code ip:port} on {@code loop}; the future fails if the port is taken by someone else. */
    public static ChannelFuture open(Transport transport, EventLoop loop, InetAddress ip, int port, StunClient client,
                                     BiConsumer<UdpRelay, DatagramPacket> onPeerData, java.util.function.Consumer<UdpRelay> bound) {
        UdpRelay relay = new UdpRelay(port, client, onPeerData);
        return new Bootstrap().group(loop).channelFactory(() -> {
                    io.netty.channel.socket.DatagramChannel ch = UdpTuning.newChannel(transport, ip.getAddress().length != 4);
                    // Room for a burst of media while the loop is busy elsewhere; costs nothing while empty.
                    ch.config().setReceiveBufferSize(RECEIVE_BUFFER);
                    ch.config().setSendBufferSize(RECEIVE_BUFFER);
                    UdpTuning.apply(ch); // a burst of datagrams per recvmmsg, as on the STUN/TURN port
                    return ch;
                }).handler(relay)
                .bind(new InetSocketAddress(ip, port))
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        relay.channel = f.channel();
                        if (f.channel() instanceof io.netty.channel.epoll.EpollDatagramChannel epoll
                                && epoll.fd() instanceof io.netty.channel.unix.Socket native_) {
                            relay.socket = native_;
                        }
                        bound.accept(relay);
                    }
                });
    }

    void attach(Allocation allocation) {
        this.allocation = allocation;
    }

    /** Runs once when the relay is closed (the load it put on its loop is gone). */
    void onRelease(Runnable released) {
        this.released = released;
    }

    public Allocation allocation() {
        return allocation;
    }

    @Override
    public StunClient client() {
        return client;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public int port() {
        return port;
    }

    /**
     * Sends to a peer; takes ownership of {@code payload}. On the socket's own event loop the datagram is queued
     * and one flush per loop iteration sends the whole burst (sendmmsg with native epoll) instead of a syscall
     * each. From another loop (the client's) it leaves at once with one sendto, with no task handed over.
     */
    @Override
    public void send(ByteBuf payload, InetSocketAddress peer) {
        if (!channel.eventLoop().inEventLoop()) {
            if (socket != null && payload.hasMemoryAddress()) {
                sendNow(payload, peer);
            } else {
                channel.writeAndFlush(new DatagramPacket(payload, peer), channel.voidPromise());
            }
            return;
        }
        channel.write(new DatagramPacket(payload, peer), channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flush);
        }
    }

    /**
     * The client's loop closes the relay only after taking the allocation out of its table, and sends only to
     * relays of allocations in it, so no send can reach a descriptor that was closed (and maybe reused).
     */
    private void sendNow(ByteBuf payload, InetSocketAddress peer) {
        try {
            socket.sendToAddress(payload.memoryAddress(), payload.readerIndex(), payload.writerIndex(),
                    peer.getAddress(), peer.getPort());
        } catch (java.io.IOException e) {
            // A full socket buffer or an ICMP error drops this datagram, as the kernel would for UDP.
        } finally {
            payload.release();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        try {
            if (allocation != null) {
                onPeerData.accept(this, packet);
            }
        } finally {
            packet.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP errors from peers concern one datagram, never the relay.
    }

    @Override
    public void close(Runnable onClosed) {
        Runnable r = released;
        released = () -> { };
        r.run();
        if (channel == null) {
            onClosed.run();
            return;
        }
        channel.close().addListener(f -> onClosed.run());
    }


    public boolean isOpen() {
        return channel != null && channel.isOpen();
    }
}

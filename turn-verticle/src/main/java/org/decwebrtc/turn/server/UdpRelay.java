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
 * The relayed transport address of one allocation: a UDP socket on the TURN event loop, straight on Netty so a
 * relayed datagram costs one read and one write with no copy in between. Peer datagrams go to the server's
 * handler, which decides (permission, channel, bandwidth) what reaches the client.
 */
public final class UdpRelay extends SimpleChannelInboundHandler<DatagramPacket> implements Relay {
    private final int port;
    private final StunClient client;
    private final BiConsumer<UdpRelay, DatagramPacket> onPeerData;
    private Channel channel;
    private Allocation allocation;
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
                        bound.accept(relay);
                    }
                });
    }

    void attach(Allocation allocation) {
        this.allocation = allocation;
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
     * Sends to a peer; takes ownership of {@code payload}. On the event loop the datagram is queued and one
     * flush per loop iteration sends the whole burst (sendmmsg with native epoll) instead of a syscall each.
     */
    @Override
    public void send(ByteBuf payload, InetSocketAddress peer) {
        DatagramPacket packet = new DatagramPacket(payload, peer);
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

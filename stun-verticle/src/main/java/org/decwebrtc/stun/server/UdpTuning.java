package org.decwebrtc.stun.server;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketProtocolFamily;
import io.vertx.core.spi.transport.Transport;

/**
 * Batches datagram reads on native epoll: with a maximum payload size set, Netty reads up to
 * {@link #BATCH} datagrams per recvmmsg system call into one buffer instead of one recvmsg per datagram.
 * Replies are batched on the way out too: written during a read batch, flushed once (sendmmsg). TURN relay
 * sockets are opened and tuned the same way.
 */
public final class UdpTuning {
    /**
     * Receive slice per datagram. Anything WebRTC sends over UDP fits (browsers keep packets near 1200 bytes,
     * paths have a 1500-byte MTU); a bigger datagram arrives cut short and is dropped as malformed.
     */
    static final int MAX_DATAGRAM = 2048;
    /**
     * Datagrams per recvmmsg. The batch buffer (MAX_DATAGRAM × BATCH = 32 KiB) stays within the largest size
     * class of Netty's adaptive pool; a bigger one (we had 128 KiB) is allocated unpooled and zeroed on every
     * read when the heap is small, which profiling showed as a tenth of the event loop's user time.
     */
    static final int BATCH = 16;
    /** Datagrams read per wake-up before replies are flushed and other channels get their turn. */
    static final int MAX_PER_READ = 256;

    private UdpTuning() {
    }

    /**
     * Vert.x's epoll transport ignores the address family and opens IPv6 sockets, through which IPv4 traffic
     * takes the v4-mapped path of the kernel on every packet; an IPv4 bind gets a plain IPv4 socket here.
     */
    public static DatagramChannel newChannel(Transport transport, boolean ipv6) {
        if (transport.getClass().getSimpleName().equals("EpollTransport") && Epoll.isAvailable()) {
            return new EpollDatagramChannel(ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        }
        return transport.datagramChannel(ipv6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    }

    public static void apply(DatagramChannel channel) {
        if (channel instanceof EpollDatagramChannel) {
            channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
            channel.config().setRecvByteBufAllocator(new BatchReadAllocator(MAX_DATAGRAM * BATCH, MAX_PER_READ));
        }
    }
}

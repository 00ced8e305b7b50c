package org.decwebrtc.stun.server;

import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;

/**
 * Batches datagram reads on native epoll: with a maximum payload size set, Netty reads up to
 * {@link #BATCH} datagrams per recvmmsg system call into one buffer instead of one recvmsg per datagram.
 * Replies are batched on the way out too: written during a read batch, flushed once (sendmmsg).
 */
final class UdpTuning {
    /** Larger than any STUN/ChannelData datagram we accept on a path with a 1500-byte MTU. */
    static final int MAX_DATAGRAM = 2048;
    static final int BATCH = 32;

    private UdpTuning() {
    }

    static void apply(DatagramChannel channel) {
        if (channel instanceof EpollDatagramChannel) {
            channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
            channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM * BATCH));
        }
    }
}

package org.decwebrtc.stun.server;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Read buffers for batched datagram reads (recvmmsg) that stop reading once a batch comes back short. Netty's
 * own allocators keep calling recvmmsg until the socket answers EAGAIN, which costs every wake-up one more
 * system call (two, with the getsockopt Netty makes before each recvmmsg) before the replies written during the
 * batch are flushed. A short batch means the socket was drained a moment ago; Netty 4.2 registers datagram
 * channels level-triggered, so anything that arrived since wakes the loop again.
 */
final class BatchReadAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
    private final int bufferSize;

    /** {@code bufferSize} bytes per read (datagram size × batch), at most {@code maxMessagesPerRead} per wake-up. */
    BatchReadAllocator(int bufferSize, int maxMessagesPerRead) {
        super(maxMessagesPerRead);
        this.bufferSize = bufferSize;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public int guess() {
                return bufferSize;
            }

            @Override
            public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
                return lastBytesRead() >= attemptedBytesRead() && super.continueReading(maybeMoreDataSupplier);
            }
        };
    }
}

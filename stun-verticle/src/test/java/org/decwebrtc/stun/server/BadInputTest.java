package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.decwebrtc.stun.message.Fingerprint;
import org.decwebrtc.stun.message.MessageIntegrity;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.Software;
import org.decwebrtc.stun.message.StunKeys;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.Username;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 100,000 random, truncated and bit-flipped datagrams, a TCP stream of garbage and a TCP client that stalls
 * half-way through a message: every bad datagram is counted as dropped, none is answered, valid requests keep
 * being answered throughout, and neither heap nor pooled direct memory grows.
 */
class BadInputTest {
    private static final int DATAGRAMS = 100_000;
    private static final int BATCH = 100;
    @RegisterExtension
    static final StunServerPerClass local =
            new StunServerPerClass(b -> b.binding("decwebrtc").udpSockets(2).tcpStallTimeoutMs(1000));

    @Test
    void survivesGarbageAndKeepsAnswering() throws Exception {
        Random random = new Random(42);
        byte[] valid = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                .add(new Username("alice:bob")).add(new Software("fuzzer"))
                .add(MessageIntegrity.compute()).add(Fingerprint.compute()).build()
                .encode(StunKeys.shortTerm("secret"));
        try (StunTestClient attacker = new StunTestClient(local.address());
             StunTestClient honest = new StunTestClient(local.address())) {
            for (int i = 0; i < 200; i++) { // warm up the server's code paths and pools
                honest.exchange(StunTestClient.binding());
            }
            long heapBefore = usedHeapAfterGc();
            long directBefore = pooledDirect();
            long droppedBefore = local.server().metrics().dropped();
            long requestsBefore = (long) local.server().metrics().requests.count();
            long responsesBefore = (long) (local.server().metrics().responses.count()
                    + local.server().metrics().errorResponses.count());
            long indicationsBefore = (long) local.server().metrics().indications.count();
            long packetsBefore = (long) local.server().metrics().udpPackets.count();

            int sent = 0;
            while (sent < DATAGRAMS) {
                for (int i = 0; i < BATCH; i++, sent++) {
                    attacker.send(garbage(random, valid, sent % 3));
                }
                // Pace on what the server has read, so the kernel never drops and every datagram is accounted.
                long target = packetsBefore + sent;
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(10, TimeUnit.SECONDS)
                        .alias("server read datagram " + target)
                        .until(() -> (long) local.server().metrics().udpPackets.count() >= target);
                if (sent % 10_000 == 0) {
                    assertThat(honest.exchange(StunTestClient.binding()).messageClass())
                            .isEqualTo(MessageType.SUCCESS);
                }
            }
            long honestCount = DATAGRAMS / 10_000;
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    local.server().metrics().udpPackets.count() >= packetsBefore + DATAGRAMS + honestCount);
            // A flipped bit can turn a request into a different well-formed message (an indication, a
            // request with another comprehension-optional attribute): those are handled as STUN, all else dropped.
            long dropped = local.server().metrics().dropped() - droppedBefore;
            long wellFormedRequests = (long) local.server().metrics().requests.count() - requestsBefore - honestCount;
            long indications = (long) local.server().metrics().indications.count() - indicationsBefore;
            assertThat(dropped + wellFormedRequests + indications).as("every datagram accounted for")
                    .isEqualTo(DATAGRAMS);
            assertThat(dropped).isGreaterThan(DATAGRAMS * 98L / 100);
            long answers = (long) (local.server().metrics().responses.count() + local.server().metrics().errorResponses.count())
                    - responsesBefore - honestCount;
            assertThat(answers).as("only the well-formed requests are answered").isEqualTo(wellFormedRequests);
            // (the client's receive buffer may overflow with these; what arrives shows their size)
            for (byte[] reply; (reply = attacker.receive(200)) != null; ) {
                assertThat(reply.length).as("no reply larger than a Binding response").isLessThanOrEqualTo(68);
            }

            tcpGarbageAndStall(random);
            assertThat(honest.exchange(StunTestClient.binding()).messageClass()).isEqualTo(MessageType.SUCCESS);

            long heapAfter = usedHeapAfterGc();
            long directAfter = pooledDirect();
            System.out.printf("bad input: %d datagrams, %d dropped, %d well-formed by chance; heap after GC %d KiB -> %d KiB; "
                            + "allocator direct %d KiB -> %d KiB; %s%n", DATAGRAMS, dropped, wellFormedRequests + indications,
                    heapBefore / 1024,
                    heapAfter / 1024, directBefore / 1024, directAfter / 1024, local.server().metrics().toJson());
            assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(8L << 20);
            assertThat(directAfter - directBefore).as("allocator direct memory growth").isLessThan(8L << 20);
        }
    }

    /** 0: random bytes; 1: a valid message cut short; 2: a valid message with one bit flipped. */
    private static byte[] garbage(Random random, byte[] valid, int kind) {
        return switch (kind) {
            case 0 -> {
                byte[] b = new byte[1 + random.nextInt(600)]; // Netty does not surface empty datagrams
                random.nextBytes(b);
                yield b;
            }
            case 1 -> Arrays.copyOf(valid, random.nextInt(valid.length));
            default -> {
                byte[] b = valid.clone();
                int bit = random.nextInt(b.length * 8);
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                yield b;
            }
        };
    }

    private static void tcpGarbageAndStall(Random random) throws Exception {
        try (Socket garbage = new Socket(local.address().getAddress(), local.address().getPort());
             Socket stalled = new Socket(local.address().getAddress(), local.address().getPort());
             Socket honest = new Socket(local.address().getAddress(), local.address().getPort())) {
            garbage.setSoTimeout(15_000);
            stalled.setSoTimeout(15_000);
            honest.setSoTimeout(15_000);
            byte[] junk = new byte[64 * 1024];
            random.nextBytes(junk);
            junk[0] = (byte) 0xFF; // not a frame start: no frame boundary to recover
            try {
                garbage.getOutputStream().write(junk);
            } catch (java.io.IOException closedUnderUs) {
                // the server may close before we finish writing: that is the point
            }
            byte[] request = StunTestClient.binding().encode(null);
            stalled.getOutputStream().write(request, 0, request.length / 2);

            honest.getOutputStream().write(request);
            StunMessage response = StunServerTest.readTcp(honest.getInputStream());
            assertThat(response.messageClass()).isEqualTo(MessageType.SUCCESS);

            assertThat(readToEnd(garbage.getInputStream())).as("garbage connection closed").isTrue();
            assertThat(readToEnd(stalled.getInputStream())).as("stalled connection closed").isTrue();
        }
    }

    private static boolean readToEnd(InputStream in) {
        try {
            while (in.read() >= 0) {
                // discard
            }
            return true;
        } catch (java.io.IOException reset) {
            return true; // RST after unread data is also a close
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Direct memory held by the allocator the UDP sockets read into and encode replies with. */
    private static long pooledDirect() {
        ByteBufAllocator alloc = local.server().udpAllocator();
        assertThat(alloc).isInstanceOf(ByteBufAllocatorMetricProvider.class);
        return ((ByteBufAllocatorMetricProvider) alloc).metric().usedDirectMemory();
    }
}

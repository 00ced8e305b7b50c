package org.decwebrtc.stun.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.decwebrtc.stun.message.AddressAttribute;
import org.decwebrtc.stun.message.Fingerprint;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.Software;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.stack.StunStack;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;

/**
 * Not a test: the codec half of the Binding hot path (decode a request, build the response, encode it), ours vs
 * ice4j's message classes, in ns and allocated bytes per request on one thread. Run by bench/stun/codec.sh.
 */
public final class CodecBench {
    private static final int ROUNDS = 5;
    private static final int N = 500_000;
    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        InetSocketAddress client = new InetSocketAddress("192.0.2.1", 32853);
        byte[] request = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                .add(Fingerprint.compute()).build().encode(null);
        Software software = new Software("decwebrtc");
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        StunStack stack = new StunStack();
        TransportAddress iceClient = new TransportAddress(client, org.ice4j.Transport.UDP);

        Runnable ours = () -> {
            try {
                StunMessage m = StunMessage.decode(request);
                StunMessage r = m.respond(MessageType.SUCCESS).add(XorAddressAttribute.mapped(client))
                        .add(AddressAttribute.mapped(client)).add(software).add(Fingerprint.compute()).build();
                ByteBuf out = r.encode(alloc, null);
                sink = out;
                out.release();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Runnable ice4j = () -> {
            try {
                Request m = (Request) Message.decode(request, 0, request.length);
                Response r = MessageFactory.createBindingResponse(m, iceClient);
                r.putAttribute(AttributeFactory.createSoftwareAttribute("decwebrtc".getBytes()));
                r.putAttribute(AttributeFactory.createFingerprintAttribute());
                r.setTransactionID(m.getTransactionID());
                sink = r.encode(stack);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // A bad datagram: a request whose attribute overruns the message (attackers send these for free).
        byte[] bad = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST).add(software).build().encode(null);
        bad[23] = 100;
        Runnable oursBad = () -> {
            try {
                StunMessage.decode(bad);
                throw new IllegalStateException("decoded garbage");
            } catch (org.decwebrtc.stun.message.StunParseException expected) {
                sink = expected;
            }
        };
        Runnable ice4jBad = () -> {
            try {
                Message.decode(bad, 0, bad.length);
                throw new IllegalStateException("decoded garbage");
            } catch (org.ice4j.StunException expected) {
                sink = expected;
            }
        };
        for (int round = 1; round <= ROUNDS; round++) {
            report("round " + round + " binding ours ", ours);
            report("round " + round + " binding ice4j", ice4j);
            report("round " + round + " garbage ours ", oursBad);
            report("round " + round + " garbage ice4j", ice4jBad);
        }
        stack.shutDown();
        System.exit(0);
    }

    private static void report(String label, Runnable op) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long bytes0 = threads.getThreadAllocatedBytes(id);
        long t0 = System.nanoTime();
        for (int i = 0; i < N; i++) {
            op.run();
        }
        long t1 = System.nanoTime();
        long bytes1 = threads.getThreadAllocatedBytes(id);
        System.out.printf("%s: %6.0f ns/request  %6d bytes allocated/request%n", label, (t1 - t0) / (double) N,
                (bytes1 - bytes0) / N);
    }
}

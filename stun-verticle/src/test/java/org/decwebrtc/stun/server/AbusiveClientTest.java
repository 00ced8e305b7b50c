package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that try to hold server resources for free or to use the server as an amplifier: each is refused
 * by a limit, and the limit is counted where an operator sees it.
 */
class AbusiveClientTest {

    /** A frame's deadline starts with its first byte; a byte every 2 s does not push it back. */
    @Test
    void oneBytePerTwoSecondsIsClosedAtTheFrameDeadline() throws Exception {
        try (LocalStunServer local = LocalStunServer.start(b -> b.binding("decwebrtc")
                .tcpStallTimeoutMs(5_000).tcpFirstUseTimeoutMs(0));
             Socket trickle = new Socket(local.address.getAddress(), local.address.getPort())) {
            byte[] request = StunTestClient.binding().encode(null);
            trickle.setSoTimeout(2_000);
            int sent = 0;
            boolean closed = false;
            // 19 bytes never complete the 20-byte header; a deadline that re-armed on every byte would never fire.
            while (sent < request.length - 1 && !closed) {
                try {
                    trickle.getOutputStream().write(request[sent]);
                    trickle.getOutputStream().flush();
                    sent++;
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                closed = closedWithin(trickle.getInputStream());
            }
            System.out.println("trickling client closed after " + sent + " bytes (one per 2 s)");
            assertThat(closed).as("closed before the 19th byte").isTrue();
            assertThat(local.server.metrics().toJson().getLong("tcpClosedStalled")).isEqualTo(1);
        }
    }

    /** Reads for the socket timeout; true if the server closed the connection meanwhile. */
    private static boolean closedWithin(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedUnlessAHandlerMarksItInUse() throws Exception {
        org.decwebrtc.stun.server.BindingHandler binding = new BindingHandler(null);
        try (LocalStunServer local = LocalStunServer.start(b -> b.tcpFirstUseTimeoutMs(1_000)
                .onRequest(MessageType.BINDING, (m, client) -> {
                    client.markInUse();
                    binding.handle(m, client);
                }));
             Socket silent = new Socket(local.address.getAddress(), local.address.getPort());
             Socket used = new Socket(local.address.getAddress(), local.address.getPort())) {
            silent.setSoTimeout(30_000);
            used.setSoTimeout(30_000);
            assertThat(bindingOver(used)).isTrue();
            assertThat(silent.getInputStream().read()).as("silent connection closed").isEqualTo(-1);
            assertThat(local.server.metrics().toJson().getLong("tcpClosedIdle")).isEqualTo(1);
            // Well past the first-use timeout, the connection in use still answers.
            Thread.sleep(2_500);
            assertThat(bindingOver(used)).as("connection in use still open").isTrue();
        }
    }

    @Test
    void connectionsFromOneAddressBeyondItsShareAreClosed() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (LocalStunServer local = LocalStunServer.start(b -> b.binding("decwebrtc").maxTcpConnectionsPerAddress(5))) {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket(local.address.getAddress(), local.address.getPort());
                s.setSoTimeout(10_000);
                sockets.add(s);
            }
            int answered = 0;
            int closed = 0;
            for (Socket s : sockets) {
                if (bindingOver(s)) {
                    answered++;
                } else {
                    closed++;
                }
            }
            assertThat(answered).isEqualTo(5);
            assertThat(closed).isEqualTo(3);
            assertThat(local.server.metrics().toJson().getLong("tcpRefusedPerAddress")).isEqualTo(3);
            // A closed connection gives its slot back.
            sockets.get(0).close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                try (Socket s = new Socket(local.address.getAddress(), local.address.getPort())) {
                    s.setSoTimeout(10_000);
                    return bindingOver(s);
                }
            });
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** True if a Binding request over {@code s} is answered, false if the server closed it instead. */
    private static boolean bindingOver(Socket s) throws IOException {
        try {
            s.getOutputStream().write(StunTestClient.binding().encode(null));
            byte[] header = s.getInputStream().readNBytes(20);
            if (header.length < 20) {
                return false;
            }
            int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            s.getInputStream().readNBytes(length);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * 1,000 requests that draw an unauthenticated error (an unknown method) from one UDP socket within a second:
     * the replies stop at the per-prefix budget instead of answering each one.
     */
    @Test
    void unauthenticatedErrorRepliesAreRateLimitedPerSource() throws Exception {
        try (LocalStunServer local = LocalStunServer.start(b -> b.binding("decwebrtc").errorReplyLimit(50, 25));
             StunTestClient client = new StunTestClient(local.address)) {
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                client.send(StunMessage.builder(MessageType.ALLOCATE, MessageType.REQUEST).build().encode(null));
                if (i % 100 == 99) {
                    Thread.sleep(100);
                }
            }
            int replies = 0;
            while (client.receive(1_000) != null) {
                replies++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long suppressed = local.server.metrics().toJson().getLong("errorRepliesSuppressed");
            System.out.printf("1000 unauthenticated requests in %.2f s: %d error replies, %d suppressed%n",
                    seconds, replies, suppressed);
            // The budget is 50 at once plus 25 per second the whole exchange took, however slow the machine.
            assertThat(replies).isPositive().isLessThanOrEqualTo(50 + (int) Math.ceil(25 * seconds));
            assertThat(suppressed).isEqualTo(1000 - replies);
            // A Binding request (a success, not an error) is still answered.
            assertThat(client.exchange(StunTestClient.binding()).messageClass()).isEqualTo(MessageType.SUCCESS);
        }
    }
}

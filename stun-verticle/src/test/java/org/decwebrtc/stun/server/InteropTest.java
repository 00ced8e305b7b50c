package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.MessageType;
import org.ice4j.StunMessageEvent;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.SoftwareAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;
import org.ice4j.stunclient.BlockingRequestSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Independent clients against our server: coturn's turnutils_stunclient (must be installed: CI installs the
 * coturn package, so a missing tool fails the test rather than skipping it) and ice4j over UDP and TCP.
 */
class InteropTest {
    static final Path STUNCLIENT = Path.of("/usr/bin/turnutils_stunclient");
    private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: ([0-9.]+):(\\d+)");

    private static LocalStunServer local;
    private static StunServer server;
    private static final List<InetSocketAddress> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        BindingHandler binding = new BindingHandler("decwebrtc");
        local = LocalStunServer.start(b -> b.onRequest(MessageType.BINDING, (message, client) -> {
            seen.add(client.remote());
            binding.handle(message, client);
        }));
        server = local.server;
    }

    @AfterAll
    static void stop() throws Exception {
        local.close();
    }

    @Test
    void coturnStunclientReportsTheAddressTheServerSaw() throws Exception {
        String output = runStunclient("127.0.0.1", server.port());
        Matcher m = REFLEXIVE.matcher(output);
        assertThat(m.find()).as("turnutils_stunclient output:\n%s", output).isTrue();
        InetSocketAddress reported = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
        assertThat(reported.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(seen).as("server saw the client at the address it reported").contains(reported);
    }

    /** Runs the real coturn client; fails (never skips) if it is missing. */
    static String runStunclient(String host, int port) throws Exception {
        assertThat(Files.isExecutable(STUNCLIENT))
                .as("%s missing: install the coturn package (CI does)", STUNCLIENT).isTrue();
        Process p = new ProcessBuilder(STUNCLIENT.toString(), "-p", String.valueOf(port), host)
                .redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("turnutils_stunclient finished").isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void ice4jStunStackGetsBindingResponseOverUdp() throws Exception {
        StunStack stack = new StunStack();
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        org.ice4j.TransportAddress local = new org.ice4j.TransportAddress("127.0.0.1", socket.getLocalPort(),
                org.ice4j.Transport.UDP);
        try {
            stack.addSocket(new IceUdpSocketWrapper(socket));
            Request request = MessageFactory.createBindingRequest();
            StunMessageEvent event = new BlockingRequestSender(stack, local).sendRequestAndWaitForResponse(
                    request, new org.ice4j.TransportAddress("127.0.0.1", server.port(), org.ice4j.Transport.UDP));
            assertThat(event).as("ice4j got a response").isNotNull();
            Response response = (Response) event.getMessage();
            assertThat(response.isSuccessResponse()).isTrue();
            XorMappedAddressAttribute xor = (XorMappedAddressAttribute)
                    response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
            assertThat(xor.getAddress(response.getTransactionID())).isEqualTo(local);
        } finally {
            stack.shutDown();
            socket.close();
        }
    }

    /**
     * ice4j's StunStack over TCP. Its TCP socket reads ICE-TCP framing (RFC 4571 length prefix), which a STUN
     * server does not use; this socket reads RFC 8489 framing instead (20-byte header + length) and leaves
     * everything else — transactions, encoding, decoding, matching — to ice4j.
     */
    @Test
    void ice4jStunStackGetsBindingResponseOverTcp() throws Exception {
        StunStack stack = new StunStack();
        Socket plain = new Socket("127.0.0.1", server.port());
        org.ice4j.TransportAddress local = new org.ice4j.TransportAddress("127.0.0.1", plain.getLocalPort(),
                org.ice4j.Transport.TCP);
        org.ice4j.TransportAddress remote = new org.ice4j.TransportAddress("127.0.0.1", server.port(),
                org.ice4j.Transport.TCP);
        try {
            stack.addSocket(new org.ice4j.socket.IceTcpSocketWrapper(new Rfc8489Framing(plain)), remote);
            Request request = MessageFactory.createBindingRequest();
            StunMessageEvent event = new BlockingRequestSender(stack, local)
                    .sendRequestAndWaitForResponse(request, remote);
            assertThat(event).as("ice4j got a response over TCP").isNotNull();
            Response response = (Response) event.getMessage();
            assertThat(response.isSuccessResponse()).isTrue();
            XorMappedAddressAttribute xor = (XorMappedAddressAttribute)
                    response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
            assertThat(xor.getAddress(response.getTransactionID()).getPort()).isEqualTo(plain.getLocalPort());
        } finally {
            stack.shutDown();
            plain.close();
        }
    }

    /** A socket for ice4j that frames STUN over TCP as RFC 8489 does. */
    private static final class Rfc8489Framing extends org.ice4j.socket.DelegatingSocket {
        private final Socket socket;

        Rfc8489Framing(Socket socket) {
            super(socket);
            this.socket = socket;
        }

        @Override
        public void receive(java.net.DatagramPacket p) throws java.io.IOException {
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(20);
            if (header.length < 20) {
                throw new java.net.SocketException("closed");
            }
            int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            byte[] whole = java.util.Arrays.copyOf(header, 20 + length);
            System.arraycopy(in.readNBytes(length), 0, whole, 20, length);
            p.setData(whole, 0, whole.length);
            p.setAddress(socket.getInetAddress());
            p.setPort(socket.getPort());
        }
    }

    /** The same over TCP with ice4j's encoder and decoder on a plain socket (no ice4j transport at all). */
    @Test
    void ice4jMessagesGetBindingResponseOverTcp() throws Exception {
        StunStack stack = new StunStack();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            Request request = MessageFactory.createBindingRequest();
            request.setTransactionID(TransactionID.createNewTransactionID().getBytes());
            socket.getOutputStream().write(request.encode(stack));
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(20);
            int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            byte[] whole = new byte[20 + length];
            System.arraycopy(header, 0, whole, 0, 20);
            System.arraycopy(in.readNBytes(length), 0, whole, 20, length);
            Message response = Message.decode(whole, 0, whole.length);
            assertThat(response).isInstanceOf(Response.class);
            assertThat(((Response) response).isSuccessResponse()).isTrue();
            assertThat(response.getTransactionID()).isEqualTo(request.getTransactionID());
            XorMappedAddressAttribute xor = (XorMappedAddressAttribute)
                    response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
            assertThat(xor.getAddress(response.getTransactionID()).getPort()).isEqualTo(socket.getLocalPort());
            assertThat(new String(((SoftwareAttribute) response.getAttribute(Attribute.SOFTWARE)).getSoftware(),
                    StandardCharsets.UTF_8)).isEqualTo("decwebrtc");
        } finally {
            stack.shutDown();
        }
    }
}

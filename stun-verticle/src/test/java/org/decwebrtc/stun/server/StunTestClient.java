package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** A blocking UDP client for tests: send bytes, maybe get a message back. */
final class StunTestClient implements AutoCloseable {
    final DatagramSocket socket;
    private final InetSocketAddress server;

    StunTestClient(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
        socket.setSoTimeout(2000);
    }

    void send(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    /** The next datagram, or null if none arrives within {@code timeoutMs}. */
    byte[] receive(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        byte[] out = new byte[p.getLength()];
        System.arraycopy(buf, 0, out, 0, out.length);
        return out;
    }

    /** Sends and waits for the reply with the same transaction id (generous timeout: CI machines are busy). */
    StunMessage exchange(StunMessage request) throws Exception {
        send(request.encode(null));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            byte[] reply = receive(10_000);
            if (reply == null) {
                break;
            }
            StunMessage message = StunMessage.decode(reply);
            if (java.util.Arrays.equals(message.transactionId(), request.transactionId())) {
                return message;
            }
        }
        throw new AssertionError("no reply to " + request);
    }

    static StunMessage binding() {
        return StunMessage.builder(MessageType.BINDING, MessageType.REQUEST).build();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
    }
}

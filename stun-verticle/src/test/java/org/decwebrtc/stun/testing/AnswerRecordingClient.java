package org.decwebrtc.stun.testing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.StunParseException;
import org.decwebrtc.stun.server.ClientTransport;
import org.decwebrtc.stun.server.FiveTuple;
import org.decwebrtc.stun.server.StunClient;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP client that keeps every STUN answer the server gives it, re-decoded from its wire bytes (an answer the
 * server encodes but a client could not decode fails at once); raw and ChannelData sends are dropped. The fuzz
 * tests drive the server's handlers with it, no socket involved.
 */
public final class AnswerRecordingClient implements StunClient {
    private final FiveTuple tuple = new FiveTuple(ClientTransport.UDP, new InetSocketAddress("192.0.2.1", 40000),
            new InetSocketAddress("192.0.2.9", 3478));
    private final List<StunMessage> answers = new ArrayList<>();

    /** What the server answered since the last {@link #clear()}. */
    public List<StunMessage> answers() {
        return answers;
    }

    public void clear() {
        answers.clear();
    }

    @Override
    public FiveTuple fiveTuple() {
        return tuple;
    }

    @Override
    public void send(ByteBuf buf) {
        buf.release();
    }

    @Override
    public void send(StunMessage message, byte[] key) {
        try {
            answers.add(StunMessage.decode(message.encode(key)));
        } catch (StunParseException e) {
            throw new AssertionError("the server's own answer does not decode: " + message, e);
        }
    }

    @Override
    public void sendEncoded(byte[] message) {
        try {
            answers.add(StunMessage.decode(message));
        } catch (StunParseException e) {
            throw new AssertionError("the server's own answer does not decode", e);
        }
    }

    @Override
    public void sendChannelData(int channel, Buffer payload) {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}

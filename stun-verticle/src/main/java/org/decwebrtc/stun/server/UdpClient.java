package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import org.decwebrtc.stun.message.StunMessage;

import java.net.InetSocketAddress;

/** A client address seen on one of our UDP sockets; cheap, created per datagram. */
final class UdpClient implements StunClient {
    private final UdpEndpoint endpoint;
    private final InetSocketAddress remote;

    UdpClient(UdpEndpoint endpoint, InetSocketAddress remote) {
        this.endpoint = endpoint;
        this.remote = remote;
    }

    @Override
    public FiveTuple fiveTuple() {
        return new FiveTuple(ClientTransport.UDP, remote, endpoint.local());
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public InetSocketAddress local() {
        return endpoint.local();
    }

    @Override
    public ClientTransport transport() {
        return ClientTransport.UDP;
    }

    @Override
    public void send(ByteBuf buf) {
        endpoint.send(buf, remote);
    }

    @Override
    public void send(StunMessage message, byte[] key) {
        // An unsigned error may answer a spoofed source: rate-limited per prefix so we cannot be an amplifier.
        if (key == null && message.messageClass() == org.decwebrtc.stun.message.MessageType.ERROR
                && !endpoint.mayReplyWithError(remote)) {
            return;
        }
        ByteBuf buf = message.encode(endpoint.channel().alloc(), key);
        endpoint.metrics().countSent(message);
        endpoint.send(buf, remote);
    }

    @Override
    public void sendEncoded(byte[] message) {
        ByteBuf buf = endpoint.channel().alloc().ioBuffer(message.length).writeBytes(message);
        endpoint.metrics().countSent(message);
        endpoint.send(buf, remote);
    }

    @Override
    public void sendChannelData(int channel, Buffer payload) {
        ByteBuf buf = endpoint.channel().alloc().buffer(4 + payload.length());
        buf.writeShort(channel).writeShort(payload.length());
        ClientBuffers.writePayload(buf, payload);
        endpoint.send(buf, remote);
    }

    @Override
    public boolean isOpen() {
        return endpoint.channel().isOpen();
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "udp:" + remote;
    }
}

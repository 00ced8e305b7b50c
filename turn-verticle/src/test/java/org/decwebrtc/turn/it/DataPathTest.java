package org.decwebrtc.turn.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.turn.message.ChannelNumber;
import org.decwebrtc.turn.message.Data;
import org.decwebrtc.turn.message.EvenPort;
import org.decwebrtc.turn.message.Lifetime;
import org.decwebrtc.turn.message.ReservationToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decwebrtc.turn.it.TurnTestClient.errorCode;
import static org.decwebrtc.turn.it.TurnTestClient.relayed;

/** The relay itself: permissions gate both directions, Send/Data and ChannelData carry bytes intact, the cap holds. */
class DataPathTest {
    static TurnNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TurnNode.start(TurnNode.loopbackTurn().put("relayPorts", "44500-44599")
                .put("bandwidthBytesPerSecond", 10_000));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @Test
    void sendDataAndChannelDataCarryBytesBothWaysOnlyWithPermission() throws Exception {
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("u", "p");
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(300);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            InetSocketAddress relay = relayed(c.allocate());

            send(c, peerAddress, "before permission");
            assertThat(Datagrams.receive(peer)).as("no permission, nothing relayed").isNull();

            assertThat(errorCode(c.createPermission("127.0.0.1"))).isZero();
            send(c, peerAddress, "hello");
            DatagramPacket got = Datagrams.receive(peer);
            assertThat(text(got)).isEqualTo("hello");
            assertThat(got.getSocketAddress()).as("from the relayed address").isEqualTo(relay);

            reply(peer, relay, "world");
            StunMessage data = StunMessage.decode(receiveRaw(c.socket));
            assertThat(data.method()).isEqualTo(MessageType.DATA);
            assertThat(data.messageClass()).isEqualTo(MessageType.INDICATION);
            assertThat(((XorAddressAttribute) data.get(AttributeType.XOR_PEER_ADDRESS)).address()).isEqualTo(peerAddress);
            assertThat(new String(data.get(Data.class).value(), StandardCharsets.UTF_8)).isEqualTo("world");

            assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4001),
                    XorAddressAttribute.peer(peerAddress)))).isZero();
            reply(peer, relay, "via channel");
            byte[] frame = receiveRaw(c.socket);
            assertThat(frame[0] & 0xFF).isEqualTo(0x40);
            assertThat(frame[1] & 0xFF).isEqualTo(0x01);
            int length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
            assertThat(new String(frame, 4, length, StandardCharsets.UTF_8)).isEqualTo("via channel");

            byte[] payload = "to peer via channel".getBytes(StandardCharsets.UTF_8);
            c.socket.send(new DatagramPacket(Datagrams.channelData(0x4001, payload), 4 + payload.length,
                    new InetSocketAddress("127.0.0.1", node.port)));
            assertThat(text(Datagrams.receive(peer))).isEqualTo("to peer via channel");
            c.socket.send(new DatagramPacket(Datagrams.channelData(0x4002, payload), 4 + payload.length,
                    new InetSocketAddress("127.0.0.1", node.port)));
            assertThat(Datagrams.receive(peer)).as("unbound channel").isNull();
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    @Test
    void bandwidthCapDropsTheExcessAndCountsIt() throws Exception {
        long dropsBefore = node.stats().getLong("bandwidthDrops");
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("u", "p");
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(300);
            assertThat(errorCode(c.allocate())).isZero();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4000),
                    XorAddressAttribute.peer(peerAddress)))).isZero();
            byte[] payload = new byte[1000];
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                c.socket.send(new DatagramPacket(Datagrams.channelData(0x4000, payload), 1004,
                        new InetSocketAddress("127.0.0.1", node.port)));
            }
            int received = 0;
            long lastArrival = start;
            while (Datagrams.receive(peer) != null) {
                received++;
                lastArrival = System.nanoTime();
            }
            // 10,000 B/s with one second of burst: about ten 1,000-byte packets of the fifty get through at once,
            // plus one more per 100 ms the relay took over them (a loaded machine can stall it mid-burst).
            double seconds = (lastArrival - start) / 1e9;
            assertThat(received).isBetween(8, 11 + (int) Math.ceil(10 * seconds));
            assertThat(node.stats().getLong("bandwidthDrops") - dropsBefore).isEqualTo(50 - received);
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    @Test
    void evenPortWithReservationHandsTheNextPortToTheTokenHolder() throws Exception {
        try (TurnTestClient rtp = new TurnTestClient(node.port).credentials("u", "p");
             TurnTestClient rtcp = new TurnTestClient(node.port).credentials("u", "p")) {
            StunMessage first = rtp.allocate(new EvenPort(true));
            assertThat(errorCode(first)).isZero();
            int port = relayed(first).getPort();
            assertThat(port % 2).isZero();
            ReservationToken token = first.get(ReservationToken.class);
            assertThat(token).isNotNull();
            assertThat(errorCode(rtcp.allocate(token, new EvenPort(false)))).as("token with EVEN-PORT").isEqualTo(400);
            StunMessage second = rtcp.allocate(token);
            assertThat(errorCode(second)).isZero();
            assertThat(relayed(second).getPort()).isEqualTo(port + 1);
            try (TurnTestClient late = new TurnTestClient(node.port).credentials("u", "p")) {
                assertThat(errorCode(late.allocate(token))).as("a token is good once").isEqualTo(508);
            }
            assertThat(errorCode(rtp.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            assertThat(errorCode(rtcp.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    private static void send(TurnTestClient c, InetSocketAddress to, String text) throws Exception {
        byte[] bytes = StunMessage.builder(MessageType.SEND, MessageType.INDICATION)
                .add(XorAddressAttribute.peer(to)).add(new Data(text.getBytes(StandardCharsets.UTF_8))).build().encode(null);
        c.socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", node.port)));
    }

    private static void reply(DatagramSocket peer, InetSocketAddress relay, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(bytes, bytes.length, relay));
    }



    private static byte[] receiveRaw(DatagramSocket s) throws Exception {
        DatagramPacket p = Datagrams.receive(s);
        assertThat(p).as("a datagram for the client").isNotNull();
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private static String text(DatagramPacket p) {
        return p == null ? null : new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}

package org.decwebrtc.turn.it;

import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.turn.message.ChannelNumber;
import org.decwebrtc.turn.message.Lifetime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.decwebrtc.turn.it.TurnTestClient.errorCode;
import static org.decwebrtc.turn.it.TurnTestClient.relayed;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The port's two SO_REUSEPORT sockets on two event loops, as a node runs on native epoll: a new allocation's relay
 * socket goes to the less loaded loop, so a client and its relay often live on different loops. Relaying must then
 * carry every datagram intact both ways (the client's loop writes on the relay's socket and the relay's loop on
 * the client's), and ending allocations on the client's loop while their peers keep sending to the relay's loop
 * must leave no allocation, port or load behind.
 */
class CrossLoopRelayTest {
    private static final int CLIENTS = 8;
    static TurnNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TurnNode.start(TurnNode.loopbackTurn().put("relayPorts", "44700-44799"),
                new JsonObject().put("stun", new JsonObject().put("port", 0).put("udpSockets", 2)),
                new VertxOptions().setPreferNativeTransport(true));
        assumeTrue(node.vertx.isNativeTransportEnabled(), "SO_REUSEPORT needs the native transport");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void relaysGoToTheLessLoadedLoopAndCarryEveryDatagramBothWays() throws Exception {
        List<TurnTestClient> clients = new ArrayList<>();
        List<DatagramSocket> peers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                TurnTestClient c = new TurnTestClient(node.port).credentials("u", "p");
                clients.add(c);
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                peer.setSoTimeout(5000);
                peers.add(peer);
                assertThat(errorCode(c.allocate())).isZero();
                assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4000),
                        XorAddressAttribute.peer((InetSocketAddress) peer.getLocalSocketAddress())))).isZero();
            }
            JsonObject stats = node.stats();
            assertThat(stats.getInteger("eventLoops")).isEqualTo(2);
            List<Integer> loads = loads(stats);
            System.out.println("loop loads with " + CLIENTS + " allocations: " + loads);
            // Each allocation counts once on its client's loop and once where its relay lives.
            assertThat(loads.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * CLIENTS);
            assertThat(loads.stream().mapToInt(Integer::intValue).max().getAsInt()
                    - loads.stream().mapToInt(Integer::intValue).min().getAsInt())
                    .as("allocated one after another, the loops stay within one of each other").isLessThanOrEqualTo(1);

            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int n = i;
                done.add(pool.submit(() -> pingPong(n, clients.get(n), peers.get(n), 200)));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
            for (TurnTestClient c : clients) {
                assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            }
            awaitNothingLeft();
        } finally {
            pool.shutdownNow();
            clients.forEach(TurnTestClient::close);
            peers.forEach(DatagramSocket::close);
        }
    }

    @Test
    void endingAllocationsWhilePeersFloodTheirRelaysLeavesNothingBehind() throws Exception {
        List<TurnTestClient> clients = new ArrayList<>();
        List<DatagramSocket> peers = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<InetSocketAddress> relays = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                TurnTestClient c = new TurnTestClient(node.port).credentials("u", "p");
                clients.add(c);
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                peers.add(peer);
                relays.add(relayed(c.allocate()));
                assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4000),
                        XorAddressAttribute.peer((InetSocketAddress) peer.getLocalSocketAddress())))).isZero();
            }
            List<Future<?>> floods = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                DatagramSocket peer = peers.get(i);
                InetSocketAddress relay = relays.get(i);
                floods.add(pool.submit(() -> {
                    byte[] payload = new byte[200];
                    while (flooding.get()) {
                        peer.send(new DatagramPacket(payload, payload.length, relay));
                        if (sent.incrementAndGet() % 50 == 0) {
                            Thread.sleep(1); // busy relays, without starving the test's own threads
                        }
                    }
                    return null;
                }));
            }
            await().atMost(30, TimeUnit.SECONDS).until(() -> sent.get() > 10_000);
            // Refresh 0 is handled on each client's loop while its relay's loop is busy reading the flood.
            for (TurnTestClient c : clients) {
                // 437 if the answer drowned in the flood and the retransmission found the allocation already gone.
                assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isIn(0, 437);
            }
            awaitNothingLeft();
            // The relays are closed: nothing the peers still send reaches the clients any more.
            for (TurnTestClient c : clients) {
                drain(c.socket);
            }
            for (TurnTestClient c : clients) {
                c.socket.setSoTimeout(300);
                assertThat(Datagrams.receive(c.socket)).as("datagram after the allocation ended").isNull();
            }
            flooding.set(false);
            for (Future<?> f : floods) {
                f.get(10, TimeUnit.SECONDS);
            }
            System.out.println("peer datagrams sent while allocations ended: " + sent.get());

            // The node still relays afterwards.
            try (TurnTestClient c = new TurnTestClient(node.port).credentials("u", "p");
                 DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                peer.setSoTimeout(5000);
                assertThat(errorCode(c.allocate())).isZero();
                assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4000),
                        XorAddressAttribute.peer((InetSocketAddress) peer.getLocalSocketAddress())))).isZero();
                assertThat(pingPong(0, c, peer, 20)).isEqualTo(20);
                assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            }
            awaitNothingLeft();
        } finally {
            flooding.set(false);
            pool.shutdownNow();
            clients.forEach(TurnTestClient::close);
            peers.forEach(DatagramSocket::close);
        }
    }

    /** {@code rounds} round trips client → peer → client, each payload checked; returns how many came back right. */
    private static int pingPong(int n, TurnTestClient c, DatagramSocket peer, int rounds) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", node.port);
        c.socket.setSoTimeout(5000);
        int ok = 0;
        for (int r = 0; r < rounds; r++) {
            byte[] out = ("client " + n + " round " + r).getBytes(StandardCharsets.UTF_8);
            c.socket.send(new DatagramPacket(Datagrams.channelData(0x4000, out), 4 + out.length, server));
            DatagramPacket atPeer = Datagrams.receive(peer);
            assertThat(atPeer).as("client %d round %d at the peer", n, r).isNotNull();
            assertThat(new String(atPeer.getData(), 0, atPeer.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("client " + n + " round " + r);
            byte[] back = ("peer " + n + " round " + r).getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(back, back.length, atPeer.getSocketAddress()));
            DatagramPacket atClient = Datagrams.receive(c.socket);
            assertThat(atClient).as("peer %d round %d at the client", n, r).isNotNull();
            byte[] frame = atClient.getData();
            int length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
            assertThat(((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF)).isEqualTo(0x4000);
            assertThat(new String(frame, 4, length, StandardCharsets.UTF_8)).isEqualTo("peer " + n + " round " + r);
            ok++;
        }
        return ok;
    }

    private static void awaitNothingLeft() {
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonObject s = node.stats();
            assertThat(s.getLong("activeAllocations")).isZero();
            assertThat(s.getLong("relayPortsInUse")).isZero();
            assertThat(loads(s)).allMatch(l -> l == 0);
        });
    }

    private static List<Integer> loads(JsonObject stats) {
        JsonArray a = stats.getJsonArray("loopLoads");
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.getInteger(i));
        }
        return out;
    }

    private static void drain(DatagramSocket s) throws Exception {
        s.setSoTimeout(200);
        while (Datagrams.receive(s) != null) {
            // what the relay sent before it closed
        }
    }


}

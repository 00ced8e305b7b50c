package org.decwebrtc.turn.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.turn.message.ChannelNumber;
import org.decwebrtc.turn.message.Data;
import org.decwebrtc.turn.message.EvenPort;
import org.decwebrtc.turn.message.Lifetime;
import org.decwebrtc.turn.message.RequestedTransport;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decwebrtc.turn.it.TurnTestClient.errorCode;
import static org.decwebrtc.turn.it.TurnTestClient.relayed;

/** Malicious clients against a TURN node with default limits: each is stopped by a limit an operator can see. */
class TurnLimitsTest {

    /** {@code n} distinct public peer addresses from 198.18.0.0/15, starting at index {@code from}. */
    private static StunAttribute[] peers(int from, int n) throws Exception {
        StunAttribute[] out = new StunAttribute[n];
        for (int i = 0; i < n; i++) {
            int k = from + i;
            InetAddress ip = InetAddress.getByAddress(new byte[]{(byte) 198, (byte) (18 + (k >> 16)), (byte) (k >> 8), (byte) k});
            out[i] = XorAddressAttribute.peer(new InetSocketAddress(ip, 9));
        }
        return out;
    }

    @Test
    void twentyCreatePermissionsOf500PeersEndInARefusalWithTheCountAtItsCap() throws Exception {
        try (TurnNode node = TurnNode.start(new JsonObject().put("users", new JsonArray().add("u:p"))
                .put("relayPorts", "44000-44009"));
             TurnTestClient c = new TurnTestClient(node.port).credentials("u", "p")) {
            assertThat(errorCode(c.allocate())).isZero();
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                codes.add(errorCode(c.call(MessageType.CREATE_PERMISSION, peers(i * 500, 500))));
            }
            System.out.println("20 x 500-peer CreatePermission: " + codes + ", permissions " + node.stats().getLong("permissions"));
            assertThat(codes.subList(0, 2)).containsOnly(0);
            assertThat(codes.subList(2, 20)).containsOnly(508);
            assertThat(node.stats().getLong("permissions")).isEqualTo(1000);
            assertThat(node.stats().getJsonObject("refusals").getLong("508")).isEqualTo(18);
            // Refreshing permissions already installed adds none, so it is still allowed at the cap.
            assertThat(errorCode(c.call(MessageType.CREATE_PERMISSION, peers(0, 500)))).isZero();
            // One request may not carry more than 500 addresses at all.
            assertThat(errorCode(c.call(MessageType.CREATE_PERMISSION, peers(0, 501)))).isEqualTo(403);
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            assertThat(node.stats().getLong("permissions")).as("freed with the allocation").isZero();
        }
    }

    @Test
    void evenPortReservationsCountAgainstTheUserQuota() throws Exception {
        try (TurnNode node = TurnNode.start(new JsonObject().put("users", new JsonArray().add("u:p"))
                .put("relayPorts", "44100-44199"))) {
            int perUser = 20; // the default
            List<Integer> codes = new ArrayList<>();
            for (int cycle = 0; cycle < 25; cycle++) {
                try (TurnTestClient c = new TurnTestClient(node.port).credentials("u", "p")) {
                    int code = errorCode(c.allocate(new EvenPort(true)));
                    codes.add(code);
                    JsonObject stats = node.stats();
                    assertThat(stats.getInteger("activeAllocations") + stats.getInteger("pendingReservations"))
                            .as("allocations + reservations after cycle %d", cycle).isLessThanOrEqualTo(perUser);
                    if (code == 0) {
                        assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
                    }
                }
            }
            System.out.println("25 EVEN-PORT cycles: " + codes + ", reservations held " + node.stats().getInteger("pendingReservations"));
            assertThat(codes).containsOnly(0, 486).contains(486);
            assertThat(node.stats().getInteger("pendingReservations")).isLessThanOrEqualTo(perUser);
        }
    }

    @Test
    void aRedeemedReservationKeepsItsSlotForTheNewAllocation() throws Exception {
        try (TurnNode node = TurnNode.start(new JsonObject().put("users", new JsonArray().add("u:p"))
                .put("relayPorts", "44200-44299").put("maxAllocationsPerUser", 2));
             TurnTestClient rtp = new TurnTestClient(node.port).credentials("u", "p");
             TurnTestClient rtcp = new TurnTestClient(node.port).credentials("u", "p");
             TurnTestClient third = new TurnTestClient(node.port).credentials("u", "p")) {
            StunMessage first = rtp.allocate(new EvenPort(true));
            assertThat(errorCode(first)).isZero();
            long token = first.get(org.decwebrtc.turn.message.ReservationToken.class).token();
            assertThat(errorCode(third.allocate())).as("allocation + reservation fill a quota of 2").isEqualTo(486);
            StunMessage second = rtcp.allocate(new org.decwebrtc.turn.message.ReservationToken(token));
            assertThat(errorCode(second)).isZero();
            assertThat(relayed(second).getPort()).isEqualTo(relayed(first).getPort() + 1);
            assertThat(node.stats().getInteger("activeAllocations")).isEqualTo(2);
            assertThat(node.stats().getInteger("pendingReservations")).isZero();
            assertThat(errorCode(rtp.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            assertThat(errorCode(rtcp.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    @Test
    void theServersOwnServicesAreRefusedAsPeersButOtherAllocationsAreNot() throws Exception {
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn().put("relayPorts", "44300-44399"),
                new JsonObject().put("gossip", new JsonObject().put("port", 18443))
                        .put("gateway", new JsonObject().put("port", 18444)));
             TurnTestClient a = new TurnTestClient(node.port).credentials("u", "p");
             TurnTestClient b = new TurnTestClient(node.port).credentials("u", "p")) {
            StunMessage aAlloc = a.allocate();
            assertThat(errorCode(aAlloc)).isZero();
            StunMessage bAlloc = b.allocate();
            assertThat(errorCode(bAlloc)).isZero();
            InetSocketAddress stunPort = new InetSocketAddress("127.0.0.1", node.port);
            long before = node.stats().getLong("refusedPeers");
            assertThat(errorCode(a.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4001), XorAddressAttribute.peer(stunPort))))
                    .as("the TURN port itself").isEqualTo(403);
            for (int port : new int[]{18443, 18444}) {
                assertThat(errorCode(a.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4001),
                        XorAddressAttribute.peer(new InetSocketAddress("127.0.0.1", port))))).as("gossip and web port").isEqualTo(403);
            }
            assertThat(errorCode(a.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4001),
                    XorAddressAttribute.peer(relayed(aAlloc))))).as("its own relayed address").isEqualTo(403);
            // A Send indication to the TURN port is dropped (indications get no answer), and counted.
            assertThat(errorCode(a.createPermission("127.0.0.1"))).isZero();
            StunMessage send = StunMessage.builder(MessageType.SEND, MessageType.INDICATION)
                    .add(XorAddressAttribute.peer(stunPort)).add(new Data("hi".getBytes())).build();
            byte[] out = send.encode(null);
            a.socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", node.port)));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> node.stats().getLong("refusedPeers") - before == 5);
            // Two clients of the same relay talk through it: the other allocation's relayed address is a peer.
            assertThat(errorCode(a.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4002),
                    XorAddressAttribute.peer(relayed(bAlloc))))).isZero();
            assertThat(errorCode(a.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            assertThat(errorCode(b.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    /** A 20-byte Allocate draws a ~100-byte 401: from one source, only a bounded number of them. */
    @Test
    void aThousandUnauthenticatedAllocatesFromOneSocketGetABoundedNumberOfReplies() throws Exception {
        try (TurnNode node = TurnNode.start(new JsonObject().put("users", new JsonArray().add("u:p"))
                .put("relayPorts", "44400-44409"));
             TurnTestClient c = new TurnTestClient(node.port)) {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", node.port);
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                byte[] out = StunMessage.builder(MessageType.ALLOCATE, MessageType.REQUEST)
                        .add(new RequestedTransport(17)).build().encode(null);
                c.socket.send(new DatagramPacket(out, out.length, server));
                if (i % 100 == 99) {
                    Thread.sleep(100);
                }
            }
            int replies = 0;
            byte[] buf = new byte[2048];
            c.socket.setSoTimeout(1000);
            try {
                while (true) {
                    c.socket.receive(new DatagramPacket(buf, buf.length));
                    replies++;
                }
            } catch (java.net.SocketTimeoutException done) {
                // no more replies
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("1000 unauthenticated Allocates in %.2f s: %d replies%n", seconds, replies);
            // The default budget per source prefix: 100 at once, then 50 per second of the exchange.
            assertThat(replies).isPositive().isLessThanOrEqualTo(100 + (int) Math.ceil(50 * seconds));
            // A real client still gets through: it retransmits, and its credentials make the replies signed.
            try (TurnTestClient real = new TurnTestClient(node.port).credentials("u", "p")) {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                        .ignoreExceptions().until(() -> errorCode(real.allocate()) == 0);
            }
        }
    }

    /** Fresh names each have a per-user quota; from one client address they still stop at the address quota. */
    @Test
    void namesFromOneAddressShareItsQuota() throws Exception {
        try (TurnNode node = TurnNode.start(new JsonObject().put("users", new JsonArray().add("n1:p").add("n2:p").add("n3:p"))
                .put("relayPorts", "44600-44699").put("maxAllocationsPerUser", 2)
                .put("maxAllocationsPerAddress", 3))) {
            List<TurnTestClient> clients = new ArrayList<>();
            List<Integer> codes = new ArrayList<>();
            try {
                for (String user : new String[]{"n1", "n1", "n2", "n2", "n3"}) {
                    TurnTestClient c = new TurnTestClient(node.port).credentials(user, "p");
                    clients.add(c);
                    codes.add(errorCode(c.allocate()));
                }
                assertThat(codes).containsExactly(0, 0, 0, 486, 486);
                assertThat(errorCode(clients.get(0).call(MessageType.REFRESH, new Lifetime(0)))).isZero();
                assertThat(errorCode(clients.get(4).allocate())).as("a freed slot serves another name").isZero();
            } finally {
                clients.forEach(TurnTestClient::close);
            }
        }
    }
}

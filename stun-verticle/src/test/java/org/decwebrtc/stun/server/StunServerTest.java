package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.AddressAttribute;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.Fingerprint;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.RawAttribute;
import org.decwebrtc.stun.message.Software;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.UnknownAttributes;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a STUN client sees from our server: Binding, 420, silence for indications and garbage, TCP framing. */
class StunServerTest {
    @RegisterExtension
    static final StunServerPerClass local =
            new StunServerPerClass(b -> b.binding("decwebrtc").udpSockets(2).tcpStallTimeoutMs(500));

    @Test
    void bindingResponseCarriesMappedAddressesSoftwareAndFingerprintOnly() throws Exception {
        try (StunTestClient client = new StunTestClient(local.address())) {
            StunMessage request = StunTestClient.binding();
            StunMessage response = client.exchange(request);
            assertThat(response.messageClass()).isEqualTo(MessageType.SUCCESS);
            assertThat(response.method()).isEqualTo(MessageType.BINDING);
            assertThat(response.transactionId()).isEqualTo(request.transactionId());
            assertThat(response.get(XorAddressAttribute.class).address()).isEqualTo(client.localAddress());
            assertThat(response.get(AddressAttribute.class).address()).isEqualTo(client.localAddress());
            assertThat(response.get(Software.class).value()).isEqualTo("decwebrtc");
            assertThat(response.fingerprintValid()).isTrue();
            assertThat(response.attributes()).extracting(StunAttribute::type).containsExactly(
                    AttributeType.XOR_MAPPED_ADDRESS, AttributeType.MAPPED_ADDRESS, AttributeType.SOFTWARE,
                    AttributeType.FINGERPRINT);
            assertThat(response.encode(null)).hasSize(20 + 12 + 12 + 16 + 8);
        }
    }

    @Test
    void nativeTransportSpreadsUdpOverReusePortSockets() {
        assertThat(local.vertx().isNativeTransportEnabled()).isTrue();
        assertThat(local.server().udpSocketCount()).isEqualTo(2);
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420ListingIt() throws Exception {
        try (StunTestClient client = new StunTestClient(local.address())) {
            StunMessage request = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                    .add(new RawAttribute(0x7ABC, new byte[]{1, 2, 3}))
                    .add(new RawAttribute(0xC001, new byte[]{4})) // comprehension-optional: ignored
                    .add(Fingerprint.compute()).build();
            StunMessage response = client.exchange(request);
            assertThat(response.messageClass()).isEqualTo(MessageType.ERROR);
            assertThat(response.get(ErrorCode.class).code()).isEqualTo(420);
            assertThat(response.get(UnknownAttributes.class).types()).containsExactly(0x7ABC);
            assertThat(response.fingerprintValid()).isTrue();
        }
    }

    @Test
    void comprehensionOptionalUnknownAttributeIsIgnored() throws Exception {
        try (StunTestClient client = new StunTestClient(local.address())) {
            StunMessage response = client.exchange(StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                    .add(new RawAttribute(0xC001, new byte[]{4})).build());
            assertThat(response.messageClass()).isEqualTo(MessageType.SUCCESS);
        }
    }

    @Test
    void largeDatagramsUpToTheBatchSliceAreServedAndBiggerOnesDropped() throws Exception {
        try (StunTestClient client = new StunTestClient(local.address())) {
            StunMessage mtuSized = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                    .add(new RawAttribute(0xC0DE, new byte[1400])).build();
            assertThat(client.exchange(mtuSized).messageClass()).isEqualTo(MessageType.SUCCESS);
            long dropped = local.server().metrics().dropped();
            client.send(StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                    .add(new RawAttribute(0xC0DE, new byte[5000])).build().encode(null));
            assertThat(client.receive(300)).isNull();
            await().atMost(2, TimeUnit.SECONDS).until(() -> local.server().metrics().dropped() > dropped);
            assertThat(client.exchange(StunTestClient.binding()).messageClass()).isEqualTo(MessageType.SUCCESS);
        }
    }

    @Test
    void unknownMethodGets400() throws Exception {
        try (StunTestClient client = new StunTestClient(local.address())) {
            StunMessage response = client.exchange(StunMessage.builder(MessageType.ALLOCATE, MessageType.REQUEST)
                    .build());
            assertThat(response.messageClass()).isEqualTo(MessageType.ERROR);
            assertThat(response.get(ErrorCode.class).code()).isEqualTo(400);
        }
    }

    @Test
    void indicationsBadFingerprintsAndGarbageGetNoAnswerButAreCounted() throws Exception {
        try (StunTestClient client = new StunTestClient(local.address())) {
            double droppedBefore = local.server().metrics().dropped();
            client.send(StunMessage.builder(MessageType.BINDING, MessageType.INDICATION).build().encode(null));
            byte[] badFingerprint = StunMessage.builder(MessageType.BINDING, MessageType.REQUEST)
                    .add(Fingerprint.compute()).build().encode(null);
            badFingerprint[badFingerprint.length - 1] ^= 1;
            client.send(badFingerprint);
            client.send(new byte[]{0x00, 0x01, 0x00});                  // truncated header
            client.send("GET / HTTP/1.1\r\n\r\n".getBytes());           // not STUN
            client.send(new byte[]{0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4}); // ChannelData, no TURN here
            assertThat(client.receive(300)).isNull();
            await().atMost(2, TimeUnit.SECONDS).until(() -> local.server().metrics().dropped() >= droppedBefore + 4);
            assertThat(client.exchange(StunTestClient.binding()).messageClass()).isEqualTo(MessageType.SUCCESS);
        }
    }

    @Test
    void classicRfc3489RequestGetsMappedAddressAndItsCookieBack() throws Exception {
        try (StunTestClient client = new StunTestClient(local.address())) {
            byte[] request = new byte[20];
            request[1] = 0x01; // Binding request, length 0
            for (int i = 4; i < 20; i++) {
                request[i] = (byte) (i * 7);
            }
            client.send(request);
            StunMessage response = StunMessage.decode(client.receive(10_000));
            assertThat(response.hasMagicCookie()).isFalse();
            byte[] raw = response.encode(null);
            assertThat(Arrays.copyOfRange(raw, 4, 20)).isEqualTo(Arrays.copyOfRange(request, 4, 20));
            assertThat(response.attributes()).extracting(StunAttribute::type)
                    .containsExactly(AttributeType.MAPPED_ADDRESS, AttributeType.SOFTWARE);
            assertThat(response.get(AddressAttribute.class).address()).isEqualTo(client.localAddress());
        }
    }

    @Test
    void tcpFramesBackToBackAndSplitAcrossWrites() throws Exception {
        try (Socket socket = new Socket(local.address().getAddress(), local.address().getPort())) {
            socket.setSoTimeout(10_000);
            StunMessage a = StunTestClient.binding();
            StunMessage b = StunTestClient.binding();
            byte[] ab = concat(a.encode(null), b.encode(null));
            OutputStream out = socket.getOutputStream();
            out.write(ab, 0, 7);
            out.flush();
            Thread.sleep(50);
            out.write(ab, 7, ab.length - 7);
            out.flush();
            InputStream in = socket.getInputStream();
            for (StunMessage request : List.of(a, b)) {
                StunMessage response = readTcp(in);
                assertThat(response.transactionId()).isEqualTo(request.transactionId());
                assertThat(response.get(XorAddressAttribute.class).address())
                        .isEqualTo(socket.getLocalSocketAddress());
            }
        }
    }

    @Test
    void tcpGarbageAndStalledHalfMessagesCloseTheConnection() throws Exception {
        try (Socket garbage = new Socket(local.address().getAddress(), local.address().getPort());
             Socket stalled = new Socket(local.address().getAddress(), local.address().getPort())) {
            garbage.setSoTimeout(10_000);
            stalled.setSoTimeout(10_000);
            garbage.getOutputStream().write("garbage garbage garbage".getBytes());
            byte[] half = StunTestClient.binding().encode(null);
            stalled.getOutputStream().write(half, 0, 10);
            assertThat(garbage.getInputStream().read()).isEqualTo(-1);
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
            assertThat(local.server().metrics().toJson().getLong("tcpClosedGarbage")).isPositive();
            assertThat(local.server().metrics().toJson().getLong("tcpClosedStalled")).isPositive();
        }
    }

    @Test
    void tcpConnectionsBeyondTheCapAreClosedAndSlotsAreFreedOnClose() throws Exception {
        StunServer capped = StunServer.builder(local.vertx()).bind("127.0.0.1").port(0).binding(null).maxTcpConnections(1)
                .listen().await(10, TimeUnit.SECONDS);
        try {
            try (Socket first = new Socket("127.0.0.1", capped.port());
                 Socket second = new Socket("127.0.0.1", capped.port())) {
                second.setSoTimeout(10_000);
                assertThat(second.getInputStream().read()).as("second connection closed").isEqualTo(-1);
                first.setSoTimeout(10_000);
                first.getOutputStream().write(StunTestClient.binding().encode(null));
                assertThat(readTcp(first.getInputStream()).messageClass()).isEqualTo(MessageType.SUCCESS);
            }
            assertThat(capped.metrics().toJson().getLong("tcpRefused")).isEqualTo(1);
            await().atMost(5, TimeUnit.SECONDS).ignoreExceptions().untilAsserted(() -> {
                try (Socket again = new Socket("127.0.0.1", capped.port())) {
                    again.setSoTimeout(10_000);
                    again.getOutputStream().write(StunTestClient.binding().encode(null));
                    assertThat(readTcp(again.getInputStream()).messageClass()).isEqualTo(MessageType.SUCCESS);
                }
            });
        } finally {
            capped.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void ipv6LoopbackAndWildcardBothWork() throws Exception {
        StunServer v6 = StunServer.builder(local.vertx()).bind("0.0.0.0").port(0).binding(null).listen()
                .await(10, TimeUnit.SECONDS);
        try {
            // Where the host has no IPv6 the wildcard falls back to IPv4 only; that must still serve IPv4.
            for (String host : ipv6Available() ? List.of("::1", "127.0.0.1") : List.of("127.0.0.1")) {
                try (StunTestClient client = new StunTestClient(new InetSocketAddress(host, v6.port()))) {
                    StunMessage response = client.exchange(StunTestClient.binding());
                    assertThat(response.get(XorAddressAttribute.class).address()).isEqualTo(client.localAddress());
                }
            }
        } finally {
            v6.close().await(5, TimeUnit.SECONDS);
        }
    }

    private static boolean ipv6Available() {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress("::1", 0))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static StunMessage readTcp(InputStream in) throws Exception {
        byte[] header = in.readNBytes(20);
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        return StunMessage.decode(concat(header, in.readNBytes(length)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

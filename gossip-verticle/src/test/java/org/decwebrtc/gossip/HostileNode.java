package org.decwebrtc.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.decwebrtc.gossip.wire.Challenge;
import org.decwebrtc.gossip.wire.GossipPacket;
import org.decwebrtc.gossip.wire.Hello;
import org.decwebrtc.gossip.wire.Join;
import org.decwebrtc.gossip.wire.Keepalive;
import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.PrivateMessage;
import org.decwebrtc.gossip.wire.RecordBatch;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A gossip node with bad intent, for tests: a raw UDP socket on loopback, its own keys, and the wire format. It
 * can send anything, complete the handshake to become a neighbour, keep itself alive, sign records for any name
 * with its own key, and act as a relay that forwards, drops or replays private messages.
 */
final class HostileNode implements AutoCloseable {
    /** A datagram received, with the port it came from. */
    record Received(int fromPort, byte[] bytes, GossipPacket packet) {
    }

    /** X.509 (SubjectPublicKeyInfo) prefix of a raw 32-byte Ed25519 public key, as the JDK encodes it. */
    private static final byte[] ED25519_X509_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

    final String name;
    /** Signing with BouncyCastle's Ed25519: a flood of 100,000 signed records must not take minutes to make. */
    private final byte[] secret = new byte[32];
    private final byte[] publicKey;
    final KeyPair kex;
    private final DatagramSocket socket;
    private final Thread reader;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final Map<Integer, byte[]> tokens = new ConcurrentHashMap<>();
    private final ScheduledExecutorService keepalives = Executors.newSingleThreadScheduledExecutor();
    private volatile Predicate<Received> relay = r -> false;
    private final Map<Integer, Integer> recordFlooding = new ConcurrentHashMap<>();
    private long seq = System.currentTimeMillis();

    HostileNode(String name) throws IOException, GeneralSecurityException {
        this.name = name;
        new java.security.SecureRandom().nextBytes(secret);
        byte[] raw = new byte[32];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(secret, 0, raw, 0);
        this.publicKey = java.util.Arrays.copyOf(ED25519_X509_PREFIX, 44);
        System.arraycopy(raw, 0, publicKey, 12, 32);
        this.kex = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setReceiveBufferSize(1 << 20);
        this.reader = new Thread(this::read, "hostile-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    private void read() {
        byte[] buf = new byte[70_000];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            byte[] bytes = java.util.Arrays.copyOf(p.getData(), p.getLength());
            bytesReceived.addAndGet(bytes.length);
            GossipPacket packet;
            try {
                packet = GossipPacket.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                packet = null;
            }
            Received r = new Received(p.getPort(), bytes, packet);
            received.add(r);
            if (packet != null && packet.hasPrivateMessage()) {
                relay.test(r);
            }
            if (packet != null && packet.hasRecords() && packet.getRecords().getSync()
                    && packet.getRecords().getHaveCount() > 0) {
                // A greeting announces what the node holds: asked for, as a genuine node does, so that the
                // records come off the wire.
                send(GossipPacket.newBuilder().setGraft(org.decwebrtc.gossip.wire.Graft.newBuilder()
                        .addAllOrigins(packet.getRecords().getHaveList().stream()
                                .map(org.decwebrtc.gossip.wire.OriginSeq::getOrigin).limit(64).toList())).build(),
                        p.getPort());
            }
            Integer floodTo = recordFlooding.get(p.getPort());
            if (packet != null && packet.hasRecords() && floodTo != null) {
                send(bytes, floodTo);
            }
        }
    }

    long bytesReceived() {
        return bytesReceived.get();
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    void send(byte[] bytes, int port) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void send(GossipPacket packet, int port) {
        send(packet.toByteArray(), port);
    }

    Received await(Predicate<Received> what, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Received r : received) {
                if (what.test(r)) {
                    return r;
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return null;
    }

    byte[] sign(byte[] data) {
        byte[] signature = new byte[64];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(secret, 0, data, 0, data.length, signature, 0);
        return signature;
    }

    /** Our Ed25519 public key, X.509 encoded as on the wire. */
    byte[] publicKey() {
        return publicKey.clone();
    }

    /** A record for {@code origin} signed with this node's key. */
    LinkRecord record(String origin, long seq, List<String> neighbours) {
        LinkRecord unsigned = LinkRecord.newBuilder().setOrigin(origin).setSeq(seq)
                .setPublicKey(ByteString.copyFrom(publicKey))
                .setKexKey(ByteString.copyFrom(kex.getPublic().getEncoded())).addAllNeighbours(neighbours).build();
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(sign(SignedBytes.of(unsigned)))).build();
    }

    /** A record of {@code origin} under a key made for it alone (keys cost an attacker nothing). */
    static LinkRecord recordWithFreshKey(String origin, long seq, List<String> neighbours) {
        byte[] sk = new byte[32];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(sk);
        byte[] raw = new byte[32];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(sk, 0, raw, 0);
        byte[] pk = java.util.Arrays.copyOf(ED25519_X509_PREFIX, 44);
        System.arraycopy(raw, 0, pk, 12, 32);
        LinkRecord unsigned = LinkRecord.newBuilder().setOrigin(origin).setSeq(seq).setPublicKey(ByteString.copyFrom(pk))
                .addAllNeighbours(neighbours).build();
        byte[] data = SignedBytes.of(unsigned);
        byte[] signature = new byte[64];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(sk, 0, data, 0, data.length, signature, 0);
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
    }

    /** The token the node at {@code port} expects echoed (its cookie from our handshake), or null before one. */
    byte[] token(int port) {
        return tokens.get(port);
    }

    long nextSeq() {
        seq = Math.max(seq + 1, System.currentTimeMillis());
        return seq;
    }

    static GossipPacket batch(LinkRecord... records) {
        return GossipPacket.newBuilder().setRecords(RecordBatch.newBuilder().addAllRecords(List.of(records))).build();
    }

    /**
     * Completes the handshake with the node at {@code port} under {@code claimedName}, listing {@code listed} as
     * neighbours; returns true if the node answered with its own Join (it took us as a neighbour).
     */
    boolean join(int port, String claimedName, List<String> listed) {
        byte[] myCookie = new byte[16];
        new java.security.SecureRandom().nextBytes(myCookie);
        send(GossipPacket.newBuilder().setHello(Hello.newBuilder().setCookie(ByteString.copyFrom(myCookie))
                .setPadding(ByteString.copyFrom(new byte[44]))).build(), port);
        Received challenge = await(r -> r.fromPort() == port && r.packet() != null && r.packet().hasChallenge()
                && r.packet().getChallenge().getEcho().equals(ByteString.copyFrom(myCookie)), Duration.ofSeconds(10));
        if (challenge == null) {
            return false;
        }
        Challenge c = challenge.packet().getChallenge();
        LinkRecord record = record(claimedName, nextSeq(), listed);
        byte[] sig = sign(SignedBytes.ofJoin(c.getCookie().toByteArray(), myCookie, claimedName));
        send(GossipPacket.newBuilder().setJoin(Join.newBuilder().setCookie(c.getCookie())
                .setMyCookie(ByteString.copyFrom(myCookie)).setRecord(record).setSignature(ByteString.copyFrom(sig)))
                .build(), port);
        Received joined = await(r -> r.fromPort() == port && r.packet() != null && r.packet().hasJoin()
                && r.packet().getJoin().getCookie().equals(ByteString.copyFrom(myCookie)), Duration.ofSeconds(10));
        if (joined == null) {
            return false;
        }
        tokens.put(port, c.getCookie().toByteArray());
        return true;
    }

    /** Keeps every node joined so far convinced we are alive. */
    void keepAlive() {
        keepalives.scheduleAtFixedRate(() -> tokens.forEach((port, token) -> send(GossipPacket.newBuilder()
                .setKeepalive(Keepalive.newBuilder().setToken(ByteString.copyFrom(token)).setSeq(seq)).build(), port)),
                0, 200, TimeUnit.MILLISECONDS);
    }

    /** Passes on the records each of the two nodes sends, as an honest neighbour floods them. */
    void floodRecordsBetween(int portA, int portB) {
        recordFlooding.put(portA, portB);
        recordFlooding.put(portB, portA);
    }

    /** Sends again every record batch received so far from {@code fromPort} to {@code toPort}. */
    void resendRecords(int fromPort, int toPort) {
        for (Received r : received) {
            if (r.fromPort() == fromPort && r.packet() != null && r.packet().hasRecords()) {
                send(r.bytes(), toPort);
            }
        }
    }

    /** Decides, per private message received, what to do with it (forward, drop, keep); see {@link #forward}. */
    void onPrivateMessage(Predicate<Received> action) {
        this.relay = action;
    }

    /** Forwards a private message as an honest relay would, to the node at {@code port}. */
    void forward(PrivateMessage message, int port) {
        send(GossipPacket.newBuilder().setPrivateMessage(message.toBuilder().setHopLimit(message.getHopLimit() - 1))
                .build(), port);
    }

    @Override
    public void close() {
        keepalives.shutdownNow();
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

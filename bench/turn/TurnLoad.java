import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TURN relay load generator, independent of the server code (plain JDK, its own minimal STUN encoder), so the
 * same client measures any TURN server. Each flow: one UDP client that allocates with long-term credentials and
 * binds channel 0x4000 to an echo peer on loopback; the client sends ChannelData carrying a send timestamp, the
 * server relays it to the peer, the peer echoes it to the relayed address, the server relays it back as
 * ChannelData. Two phases:
 *   latency    – a fixed, modest rate; round-trip p50/p99 through the relay and, for the same packets sent
 *                directly to the echo peer, the baseline; "added" is the relay percentile minus the direct
 *                median (the direct path's own tail is scheduler noise, not something to subtract).
 *   throughput – each flow keeps a window of packets in flight (self-clocked); relayed packets/s counts both
 *                relay traversals (client→peer and peer→client).
 * Usage: java TurnLoad.java host port user pass [flows] [seconds] [rate] [window] [size]
 * Prints one line: RESULT relayed_pps=... p50_us=... p99_us=... base_p50_us=... base_p99_us=... lost=...
 */
public final class TurnLoad {
    static final int MAGIC = 0x2112A442;
    static final SecureRandom RANDOM = new SecureRandom();

    public static void main(String[] a) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(a[0]), Integer.parseInt(a[1]));
        String user = a[2], pass = a[3];
        int flows = a.length > 4 ? Integer.parseInt(a[4]) : 4;
        int seconds = a.length > 5 ? Integer.parseInt(a[5]) : 5;
        int rate = a.length > 6 ? Integer.parseInt(a[6]) : 2000;
        int window = a.length > 7 ? Integer.parseInt(a[7]) : 32;
        int size = a.length > 8 ? Integer.parseInt(a[8]) : 100;

        List<Flow> all = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            all.add(new Flow(server, user, pass, size));
        }
        for (Flow f : all) {
            f.start();
        }
        // Warm-up: let JITs (ours and the server's) settle before measuring.
        runThroughput(all, window, 2);
        long[] relay = runLatency(all, rate, seconds, false);
        long[] direct = runLatency(all, rate, seconds, true);
        long lostLatency = all.stream().mapToLong(f -> f.lost()).sum();
        double pps = runThroughput(all, window, seconds);
        long lost = all.stream().mapToLong(f -> f.lost()).sum() - lostLatency;
        // Every packet that came back through the relay crossed it twice; direct-phase echoes did not.
        long relayedTotal = 2 * (all.stream().mapToLong(f -> f.received.get()).sum() - direct.length);
        System.out.printf(Locale.ROOT, "RESULT relayed_pps=%.0f p50_us=%d p99_us=%d base_p50_us=%d base_p99_us=%d"
                        + " added_p50_us=%d added_p99_us=%d latency_lost=%d throughput_lost=%d relayed_total=%d%n",
                pps, pct(relay, 50), pct(relay, 99), pct(direct, 50), pct(direct, 99),
                pct(relay, 50) - pct(direct, 50), pct(relay, 99) - pct(direct, 50), lostLatency, lost, relayedTotal);
        for (Flow f : all) {
            f.close();
        }
        System.exit(0);
    }

    static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000;
    }

    static long[] runLatency(List<Flow> flows, int rate, int seconds, boolean direct) throws Exception {
        for (Flow f : flows) {
            f.record(true);
        }
        long interval = 1_000_000_000L * flows.size() / rate;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            for (Flow f : flows) {
                f.send(direct);
            }
            next += interval;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        Thread.sleep(300);
        List<Long> all = new ArrayList<>();
        for (Flow f : flows) {
            f.record(false);
            all.addAll(f.takeSamples());
        }
        long[] r = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(r);
        return r;
    }

    static double runThroughput(List<Flow> flows, int window, int seconds) throws Exception {
        long before = flows.stream().mapToLong(f -> f.received.get()).sum();
        long t0 = System.nanoTime();
        for (Flow f : flows) {
            f.selfClock(true, window);
        }
        long end = t0 + seconds * 1_000_000_000L;
        long[] last = new long[flows.size()];
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            for (int i = 0; i < flows.size(); i++) {
                Flow f = flows.get(i);
                long r = f.received.get();
                if (r == last[i]) {
                    f.refill(window); // the window was lost: restart it, the gap counts as lost
                }
                last[i] = r;
            }
        }
        long after = flows.stream().mapToLong(f -> f.received.get()).sum();
        double secs = (System.nanoTime() - t0) / 1e9;
        for (Flow f : flows) {
            f.selfClock(false, 0);
        }
        Thread.sleep(300);
        return 2 * (after - before) / secs;
    }

    /** One client allocation + channel + echo peer. */
    static final class Flow {
        final DatagramChannel client;
        final DatagramChannel peer;
        final InetSocketAddress server;
        final int size;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        volatile boolean recording;
        volatile boolean selfClock;
        final List<Long> samples = new ArrayList<>();
        InetSocketAddress relayed;
        Thread rx;
        Thread echo;

        Flow(InetSocketAddress server, String user, String pass, int size) throws Exception {
            this.server = server;
            this.size = Math.max(size, 20);
            client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            client.socket().setSoTimeout(2000);
            peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            // Large buffers so a descheduled generator thread does not drop what a server sent in a burst.
            for (DatagramChannel ch : List.of(client, peer)) {
                ch.socket().setReceiveBufferSize(4 << 20);
                ch.socket().setSendBufferSize(4 << 20);
            }
            byte[] key = allocate(user, pass);
            // ChannelBind 0x4000 to the echo peer.
            InetSocketAddress p = (InetSocketAddress) peer.getLocalAddress();
            byte[] tid = tid();
            Msg m = new Msg(0x0009, tid).attr(0x000C, new byte[]{0x40, 0x00, 0, 0}).attr(0x0012, xorAddr(p))
                    .attr(0x0006, user.getBytes(StandardCharsets.UTF_8)).attr(0x0014, realm.getBytes(StandardCharsets.UTF_8))
                    .attr(0x0015, nonce.getBytes(StandardCharsets.UTF_8)).integrity(key);
            byte[] resp = transact(m.bytes());
            if (type(resp) != 0x0109) {
                throw new IOException("ChannelBind failed: " + error(resp));
            }
        }

        String realm;
        String nonce;

        byte[] allocate(String user, String pass) throws Exception {
            byte[] resp = transact(new Msg(0x0003, tid()).attr(0x0019, new byte[]{17, 0, 0, 0}).bytes());
            realm = new String(attr(resp, 0x0014), StandardCharsets.UTF_8);
            nonce = new String(attr(resp, 0x0015), StandardCharsets.UTF_8);
            byte[] key = MessageDigest.getInstance("MD5").digest((user + ":" + realm + ":" + pass).getBytes(StandardCharsets.UTF_8));
            Msg m = new Msg(0x0003, tid()).attr(0x0019, new byte[]{17, 0, 0, 0}).attr(0x000D, new byte[]{0, 0, 0x0E, 0x10})
                    .attr(0x0006, user.getBytes(StandardCharsets.UTF_8)).attr(0x0014, realm.getBytes(StandardCharsets.UTF_8))
                    .attr(0x0015, nonce.getBytes(StandardCharsets.UTF_8)).integrity(key);
            resp = transact(m.bytes());
            if (type(resp) != 0x0103) {
                throw new IOException("Allocate failed: " + error(resp));
            }
            byte[] x = attr(resp, 0x0016);
            int port = ((x[2] & 0xFF) << 8 | (x[3] & 0xFF)) ^ (MAGIC >>> 16);
            byte[] ip = new byte[4];
            for (int i = 0; i < 4; i++) {
                ip[i] = (byte) (x[4 + i] ^ (MAGIC >>> (24 - 8 * i)));
            }
            relayed = new InetSocketAddress(InetAddress.getByAddress(ip), port);
            return key;
        }

        byte[] transact(byte[] req) throws IOException {
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int attempt = 0; attempt < 5; attempt++) {
                client.send(ByteBuffer.wrap(req), server);
                long deadline = System.currentTimeMillis() + 500;
                client.configureBlocking(false);
                try {
                    while (System.currentTimeMillis() < deadline) {
                        in.clear();
                        if (client.receive(in) != null) {
                            byte[] r = Arrays.copyOf(in.array(), in.position());
                            if (r.length >= 20 && Arrays.equals(Arrays.copyOfRange(r, 8, 20), Arrays.copyOfRange(req, 8, 20))) {
                                return r;
                            }
                        } else {
                            Thread.onSpinWait();
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                        }
                    }
                } finally {
                    client.configureBlocking(true);
                }
            }
            throw new SocketTimeoutException("no answer from " + server);
        }

        void start() {
            rx = new Thread(this::receiveLoop, "rx");
            echo = new Thread(this::echoLoop, "echo");
            rx.setDaemon(true);
            echo.setDaemon(true);
            rx.start();
            echo.start();
        }

        void echoLoop() {
            ByteBuffer b = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    b.clear();
                    InetSocketAddress from = (InetSocketAddress) peer.receive(b);
                    b.flip();
                    peer.send(b, from);
                }
            } catch (IOException e) {
                // closed
            }
        }

        void receiveLoop() {
            ByteBuffer b = ByteBuffer.allocateDirect(2048);
            ByteBuffer out = ByteBuffer.allocateDirect(4 + size);
            try {
                while (true) {
                    b.clear();
                    client.receive(b);
                    long now = System.nanoTime();
                    b.flip();
                    long stamp;
                    if (b.remaining() >= 4 + 16 && (b.get(0) & 0xFF) == 0x40) {
                        stamp = b.getLong(4 + 8);
                    } else if (b.remaining() >= 16 && (b.get(0) & 0xC0) != 0) {
                        stamp = b.getLong(8); // direct echo: raw payload
                    } else {
                        continue; // a late STUN response
                    }
                    received.incrementAndGet();
                    if (recording) {
                        synchronized (samples) {
                            samples.add(now - stamp);
                        }
                    }
                    if (selfClock) {
                        sendTo(out, false);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        final ByteBuffer sendBuf = ByteBuffer.allocateDirect(4 + 2048);

        void send(boolean direct) throws IOException {
            synchronized (sendBuf) {
                sendTo(sendBuf, direct);
            }
        }

        void sendTo(ByteBuffer out, boolean direct) throws IOException {
            out.clear();
            long seq = sent.incrementAndGet();
            if (!direct) {
                out.putShort((short) 0x4000).putShort((short) size);
            }
            int start = out.position();
            // First payload byte 0xC0.. so a direct echo is never mistaken for STUN or ChannelData.
            out.putLong(seq | 0xC000_0000_0000_0000L).putLong(System.nanoTime());
            while (out.position() - start < size) {
                out.put((byte) 0);
            }
            out.flip();
            if (direct) {
                client.send(out, peer.getLocalAddress());
            } else {
                client.send(out, server);
            }
        }

        void record(boolean on) {
            if (on) {
                synchronized (samples) {
                    samples.clear();
                }
            }
            recording = on;
        }

        List<Long> takeSamples() {
            synchronized (samples) {
                return new ArrayList<>(samples);
            }
        }

        void selfClock(boolean on, int window) throws IOException {
            selfClock = on;
            if (on) {
                refill(window);
            }
        }

        void refill(int window) throws IOException {
            for (int i = 0; i < window; i++) {
                send(false);
            }
        }

        long lost() {
            return sent.get() - received.get();
        }

        void close() throws IOException {
            client.close();
            peer.close();
        }
    }

    // ---- minimal STUN encoding --------------------------------------------------------------------------

    static byte[] tid() {
        byte[] t = new byte[12];
        RANDOM.nextBytes(t);
        return t;
    }

    static byte[] xorAddr(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        byte[] v = new byte[8];
        v[1] = 0x01;
        int port = a.getPort() ^ (MAGIC >>> 16);
        v[2] = (byte) (port >> 8);
        v[3] = (byte) port;
        for (int i = 0; i < 4; i++) {
            v[4 + i] = (byte) (ip[i] ^ (MAGIC >>> (24 - 8 * i)));
        }
        return v;
    }

    static int type(byte[] m) {
        return (m[0] & 0xFF) << 8 | (m[1] & 0xFF);
    }

    static byte[] attr(byte[] m, int type) {
        int i = 20;
        while (i + 4 <= m.length) {
            int t = (m[i] & 0xFF) << 8 | (m[i + 1] & 0xFF);
            int len = (m[i + 2] & 0xFF) << 8 | (m[i + 3] & 0xFF);
            if (t == type) {
                return Arrays.copyOfRange(m, i + 4, i + 4 + len);
            }
            i += 4 + ((len + 3) & ~3);
        }
        return new byte[0];
    }

    static String error(byte[] m) {
        byte[] e = attr(m, 0x0009);
        if (e.length < 4) {
            return "type 0x" + Integer.toHexString(type(m));
        }
        return (e[2] * 100 + e[3]) + " " + new String(e, 4, e.length - 4, StandardCharsets.UTF_8);
    }

    static final class Msg {
        final ByteBuffer b = ByteBuffer.allocate(1500);

        Msg(int type, byte[] tid) {
            b.putShort((short) type).putShort((short) 0).putInt(MAGIC).put(tid);
        }

        Msg attr(int type, byte[] value) {
            b.putShort((short) type).putShort((short) value.length).put(value);
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
            return this;
        }

        Msg integrity(byte[] key) throws Exception {
            b.putShort(2, (short) (b.position() - 20 + 24));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(b.array(), 0, b.position());
            return attr(0x0008, mac.doFinal());
        }

        byte[] bytes() {
            b.putShort(2, (short) (b.position() - 20));
            return Arrays.copyOf(b.array(), b.position());
        }
    }
}

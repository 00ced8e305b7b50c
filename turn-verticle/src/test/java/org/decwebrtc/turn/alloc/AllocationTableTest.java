package org.decwebrtc.turn.alloc;

import org.decwebrtc.stun.server.FiveTuple;
import org.decwebrtc.stun.server.ClientTransport;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AllocationTableTest {
    private final RelayPortPool pool = new RelayPortPool(50000, 50003);
    private final Quotas quotas = new Quotas(2, 3);
    private final AllocationTable table = new AllocationTable(pool, quotas, 0);
    private final List<Integer> closed = new ArrayList<>();

    private FiveTuple tuple(int clientPort) {
        return new FiveTuple(ClientTransport.UDP, new InetSocketAddress("192.0.2.1", clientPort),
                new InetSocketAddress("192.0.2.9", 3478));
    }

    private Allocation allocate(int clientPort, String user, long expiresAt) {
        assertThat(table.admit(user)).isEqualTo(Quotas.Admission.OK);
        int port = pool.acquire();
        Relay relay = new Relay() {
            public int port() {
                return port;
            }

            public org.decwebrtc.stun.server.StunClient client() {
                throw new UnsupportedOperationException("bookkeeping only");
            }

            public void send(io.netty.buffer.ByteBuf payload, InetSocketAddress peer) {
                payload.release();
            }

            public void close(Runnable onClosed) {
                closed.add(port);
                onClosed.run();
            }
        };
        return table.add(tuple(clientPort), user, relay, expiresAt, 0);
    }

    @Test
    void quotasPerUserAndTotal() {
        allocate(1, "a", 1000);
        allocate(2, "a", 1000);
        assertThat(table.admit("a")).isEqualTo(Quotas.Admission.USER_QUOTA);
        allocate(3, "b", 1000);
        assertThat(table.admit("c")).isEqualTo(Quotas.Admission.TOTAL_QUOTA);
        assertThat(quotas.total()).isEqualTo(3);
        // A slot reserved for an allocation that never materialised goes back.
        table.remove(table.get(tuple(3)));
        assertThat(table.admit("c")).isEqualTo(Quotas.Admission.OK);
        table.cancel("c");
        assertThat(quotas.total()).isEqualTo(2);
        assertThat(quotas.userCount("c")).isZero();
    }

    @Test
    void expiryClosesTheRelayReturnsThePortAndFreesTheQuota() {
        Allocation a = allocate(1, "a", 1000);
        allocate(2, "a", 5000);
        assertThat(table.sweep(999)).isZero();
        assertThat(table.sweep(1000)).isEqualTo(1);
        assertThat(closed).containsExactly(a.relay().port());
        assertThat(table.get(tuple(1))).isNull();
        assertThat(quotas.userCount("a")).isEqualTo(1);
        assertThat(pool.available()).isEqualTo(3);
    }

    @Test
    void removeIsIdempotent() {
        Allocation a = allocate(1, "a", 1000);
        table.remove(a);
        table.remove(a);
        assertThat(closed).hasSize(1);
        assertThat(table.size()).isZero();
        assertThat(quotas.users()).isZero();
        assertThat(quotas.total()).isZero();
        assertThat(pool.available()).isEqualTo(4);
    }

    @Test
    void permissionsExpireAndIgnoreThePort() throws Exception {
        Allocation a = allocate(1, "a", 10_000);
        InetAddress peer = InetAddress.getByName("198.51.100.7");
        a.permit(peer, 300);
        assertThat(a.permitted(peer, 299)).isTrue();
        assertThat(a.permitted(peer, 300)).isFalse();
        table.sweep(300);
        assertThat(a.permissionCount()).isZero();
    }

    @Test
    void channelBindFollowsRfc8656Rules() {
        Allocation a = allocate(1, "a", 10_000);
        InetSocketAddress p1 = new InetSocketAddress("198.51.100.7", 1000);
        InetSocketAddress p2 = new InetSocketAddress("198.51.100.8", 1000);
        assertThat(a.bind(0x3FFF, p1, 600, 300)).isEqualTo(Allocation.BindResult.BAD_NUMBER);
        assertThat(a.bind(0x5000, p1, 600, 300)).isEqualTo(Allocation.BindResult.BAD_NUMBER);
        assertThat(a.bind(0x4000, p1, 600, 300)).isEqualTo(Allocation.BindResult.OK);
        assertThat(a.permitted(p1.getAddress(), 0)).as("bind installs a permission").isTrue();
        assertThat(a.bind(0x4000, p2, 600, 300)).isEqualTo(Allocation.BindResult.NUMBER_TAKEN);
        assertThat(a.bind(0x4001, p1, 600, 300)).isEqualTo(Allocation.BindResult.PEER_TAKEN);
        assertThat(a.bind(0x4000, p1, 900, 600)).as("same pair refreshes").isEqualTo(Allocation.BindResult.OK);
        assertThat(a.channel(0x4000, 899).peer).isEqualTo(p1);
        assertThat(a.channelFor(p1, 899).number).isEqualTo(0x4000);
        assertThat(a.channel(0x4000, 900)).isNull();
        table.sweep(900);
        assertThat(a.channelCount()).isZero();
        assertThat(a.bind(0x4000, p2, 1500, 1200)).as("expired channel number is free again").isEqualTo(Allocation.BindResult.OK);
        assertThat(a.bind(0x4FFF, p1, 1500, 1200)).isEqualTo(Allocation.BindResult.OK);
    }

    @Test
    void tokenBucketCapsRateWithOneSecondBurst() {
        TokenBucket b = new TokenBucket(1000, 0);
        assertThat(b.tryConsume(800, 0)).isTrue();
        assertThat(b.tryConsume(800, 0)).isFalse();
        assertThat(b.tryConsume(800, 600_000_000L)).isTrue();
        assertThat(new TokenBucket(0, 0).tryConsume(1 << 20, 0)).isTrue();
    }
}

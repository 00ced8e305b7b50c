package org.decwebrtc.gossip;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gossip nodes on loopback with their data under a temporary directory, and hostile nodes: all closed after
 * each test.
 */
abstract class GossipNetworkFixture {
    @TempDir
    Path data;
    GossipTestNetwork net;
    private final List<HostileNode> hostile = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        hostile.forEach(HostileNode::close);
        if (net != null) {
            net.close();
        }
    }

    /** A hostile node closed after the test. */
    HostileNode hostile(String name) throws Exception {
        HostileNode h = new HostileNode(name);
        hostile.add(h);
        return h;
    }

    /** One node, n1 (rtimer 10 s), with the harness node {@code name} as its neighbour. */
    HostileNode oneNodeJoinedBy(String name) throws Exception {
        net = new GossipTestNetwork(data);
        net.start("n1", List.of(), 10);
        return hostileJoined(name, "n1");
    }

    /** The first record batch {@code h} received from {@code port} that carries {@code origin}'s record, or null. */
    static HostileNode.Received batchCarrying(HostileNode h, int port, String origin, Duration timeout) {
        return h.await(r -> r.fromPort() == port && r.packet() != null && r.packet().hasRecords()
                && r.packet().getRecords().getRecordsList().stream().anyMatch(rec -> rec.getOrigin().equals(origin)),
                timeout);
    }

    /** A hostile node that joined {@code node} as its neighbour and keeps the link alive; closed after the test. */
    HostileNode hostileJoined(String name, String node) throws Exception {
        HostileNode h = hostile(name);
        assertThat(h.join(net.port(node), name, List.of(node))).isTrue();
        h.keepAlive();
        return h;
    }
}

package org.decwebrtc.turn.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.turn.message.Lifetime;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.decwebrtc.turn.it.TurnTestClient.errorCode;

/**
 * Must-show 4: 1,000 allocations created, refreshed and deleted in a loop; afterwards no allocation, relay
 * port or socket is left and the heap after GC has not grown. Duration: -Dturn.leak.seconds (default 20 for
 * CI; the documented soak run uses 120).
 */
class LeakTest {
    private static final int ALLOCATIONS = 1000;
    private static final int SLACK = 20;

    @Test
    void thousandAllocationsInALoopLeaveNothingBehind() throws Exception {
        int seconds = Integer.getInteger("turn.leak.seconds", 20);
        JsonObject turn = new JsonObject().put("users", new JsonArray().add("soak:pw"))
                .put("relayPorts", "46000-47999")
                .put("maxAllocationsPerUser", ALLOCATIONS).put("maxAllocationsPerAddress", ALLOCATIONS)
                .put("maxAllocations", ALLOCATIONS);
        try (TurnNode node = TurnNode.start(turn)) {
            List<TurnTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < ALLOCATIONS; i++) {
                    clients.add(new TurnTestClient(node.port).credentials("soak", "pw"));
                }
                // One 401 round for all: a thousand unsigned 401s to one address would hit the amplification limit.
                TurnTestClient primer = clients.get(0);
                assertThat(errorCode(primer.call(MessageType.REFRESH))).as("no allocation yet").isEqualTo(437);
                clients.forEach(c -> c.sharing(primer));
                int fdBaseline = openFds();
                long heapAfterFirstRound = -1;
                int rounds = 0;
                long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                do {
                    for (TurnTestClient c : clients) {
                        StunMessage r = c.allocate(600);
                        assertThat(errorCode(r)).as("allocate in round " + rounds).isZero();
                    }
                    assertThat(node.stats().getInteger("activeAllocations")).isEqualTo(ALLOCATIONS);
                    assertThat(node.stats().getInteger("relayPortsInUse")).isEqualTo(ALLOCATIONS);
                    // Slack: descriptors of earlier tests in this JVM (driver pipes, processes) may still be closing.
                    assertThat(openFds()).as("one relay socket per allocation").isGreaterThanOrEqualTo(fdBaseline + ALLOCATIONS - SLACK);
                    for (TurnTestClient c : clients) {
                        assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(900)))).isZero();
                    }
                    for (TurnTestClient c : clients) {
                        assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
                    }
                    assertThat(node.stats().getInteger("activeAllocations")).isZero();
                    // Ports return to the pool once their sockets have closed, a moment after the answer.
                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                        JsonObject stats = node.stats();
                        assertThat(stats.getInteger("relayPortsInUse")).isZero();
                        assertThat(stats.getInteger("relayPortsFree")).isEqualTo(2000);
                    });
                    rounds++;
                    if (rounds == 1) {
                        heapAfterFirstRound = heapAfterGc();
                    }
                } while (System.nanoTime() < deadline);
                // Relay sockets close asynchronously on the event loop; give them a moment.
                long until = System.currentTimeMillis() + 3000;
                while (openFds() > fdBaseline + SLACK && System.currentTimeMillis() < until) {
                    Thread.sleep(50);
                }
                long heapAtEnd = heapAfterGc();
                System.out.printf("leak test: %d rounds of %d allocations in %d s; fds %d -> %d; heap after GC %d KiB -> %d KiB%n",
                        rounds, ALLOCATIONS, seconds, fdBaseline, openFds(), heapAfterFirstRound / 1024, heapAtEnd / 1024);
                assertThat(rounds).isGreaterThanOrEqualTo(2);
                assertThat(openFds()).as("sockets back to baseline").isLessThanOrEqualTo(fdBaseline + SLACK);
                assertThat(node.stats().getLong("allocationsCreated")).isEqualTo((long) rounds * ALLOCATIONS);
                assertThat(node.stats().getLong("allocationsEnded")).isEqualTo((long) rounds * ALLOCATIONS);
                assertThat(heapAtEnd - heapAfterFirstRound).as("heap growth after GC").isLessThan(16L << 20);
            } finally {
                clients.forEach(TurnTestClient::close);
            }
        }
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

package org.decwebrtc.turn.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Must-show 1: coturn's own TURN client against our server, client-to-client ({@code -y}) so both ends are
 * relayed allocations of ours, channel mode (default) and indication mode ({@code -s}), UDP and TCP
 * ({@code -t}) client transport. Loopback peers are opened by our allow-list (127.0.0.0/8), nothing else.
 */
class UclientInteropTest {
    static TurnNode node;

    @BeforeAll
    static void start() throws Exception {
        // Default settings (uclient picks channel numbers from RFC 5766's 0x4000-0x7FFF, accepted by default),
        // except the static user and the loopback allow-list a test on 127.0.0.1 cannot do without.
        node = TurnNode.start(TurnNode.loopbackTurn());
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @ParameterizedTest(name = "{0} run {2}")
    @CsvSource({
            "channel over UDP,,1", "channel over UDP,,2", "channel over UDP,,3",
            "indications over UDP,-s,1",
            "channel over TCP,-t,1", "channel over TCP,-t,2", "channel over TCP,-t,3",
            "indications over TCP,-t -s,1"})
    void uclientRelaysEveryPacketBothWays(String mode, String extra, int run) throws Exception {
        List<String> flags = new ArrayList<>(List.of("-y", "-n", "100", "-l", "120", "-z", "5", "-m", "2",
                "-u", "u", "-w", "p"));
        if (extra != null) {
            flags.addAll(Arrays.asList(extra.trim().split(" ")));
        }
        long relayedBefore = node.stats().getLong("relayedPacketsToPeer");
        int allocationsBefore = node.stats().getInteger("activeAllocations");
        Uclient.Result r = Uclient.run(node.port, flags, 60);
        System.out.println("uclient " + mode + ": sent=" + r.sent() + " received=" + r.received() + " lost=" + r.lost()
                + " avgRtt=" + r.avgRoundTripMs() + "ms");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.lost()).as(r.output()).isZero();
        assertThat(r.avgRoundTripMs()).as(r.output()).isGreaterThanOrEqualTo(0);
        assertThat(node.stats().getLong("relayedPacketsToPeer") - relayedBefore).as("our relay carried the traffic")
                .isGreaterThanOrEqualTo(2 * 100);
        if (flags.contains("-t")) {
            // A TCP allocation lives as long as its connection (RFC 8656 §4): uclient exiting must free it.
            await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(node.stats().getInteger("activeAllocations")).isEqualTo(allocationsBefore));
        }
    }
}

package org.decwebrtc.turn.it;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Must-show 1 (second half): ice4j's own TURN client obtains a relayed candidate from our server. */
class Ice4jHarvestTest {

    @Test
    void ice4jTurnHarvesterGetsARelayedCandidateWithEphemeralCredentials() throws Exception {
        try (TurnNode node = TurnNode.start(TurnNode.loopbackTurn().put("relayPorts", "44000-44099"))) {
            // The same credentials a browser gets: TURN REST username/password from ice.servers.
            JsonObject ice = node.request(Addresses.iceServers(node.name), new JsonObject().put("user", "carol"));
            JsonObject turn = ice.getJsonArray("iceServers").getJsonObject(1);
            Agent agent = new Agent();
            try {
                agent.addCandidateHarvester(new TurnCandidateHarvester(
                        new TransportAddress("127.0.0.1", node.port, Transport.UDP),
                        new LongTermCredential(turn.getString("username"), turn.getString("credential"))));
                IceMediaStream stream = agent.createMediaStream("audio");
                Component component = agent.createComponent(stream, 45000, 45000, 45100);
                List<LocalCandidate> relayed = component.getLocalCandidates().stream()
                        .filter(c -> c.getType() == CandidateType.RELAYED_CANDIDATE).toList();
                assertThat(relayed).as("candidates: " + component.getLocalCandidates()).isNotEmpty();
                TransportAddress address = relayed.get(0).getTransportAddress();
                assertThat(address.getHostAddress()).isEqualTo("127.0.0.1");
                assertThat(address.getPort()).isBetween(44000, 44099);
                assertThat(node.stats().getInteger("activeAllocations")).isGreaterThanOrEqualTo(1);
            } finally {
                agent.free();
            }
        }
    }
}

package org.decwebrtc.gateway.ice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.UserEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IceServerAssemblerTest {
    private final Directory directory = new Directory("alice", List.of("10.0.0.2:5000"), List.of(
            new UserEntry("bob", "10.0.0.2:5000", 1, "10.0.0.2:3478", "10.0.0.2:3478"),
            new UserEntry("carol", "10.0.0.2:5000", 2, "[2001:db8::1]:3478", null),
            new UserEntry("dave", "10.0.0.2:5000", 2, "not an address", null),
            new UserEntry("erin", "10.0.0.2:5000", 3, "10.0.0.2:3478", null)));

    @Test
    void ownServersFirstThenOtherNodesStunWithoutDuplicates() {
        JsonObject own = new JsonObject().put("iceServers", new JsonArray()
                .add(new JsonObject().put("urls", new JsonArray().add("stun:10.0.0.1:3478")))
                .add(new JsonObject().put("urls", new JsonArray().add("turn:10.0.0.1:3478?transport=udp"))
                        .put("username", "123:alice").put("credential", "secret")));
        JsonArray servers = IceServerAssembler.assemble(own, directory);
        assertThat(servers.stream().map(s -> ((JsonObject) s).getValue("urls").toString())).containsExactly(
                "[\"stun:10.0.0.1:3478\"]", "[\"turn:10.0.0.1:3478?transport=udp\"]",
                "[\"stun:10.0.0.2:3478\"]", "[\"stun:[2001:db8::1]:3478\"]");
        assertThat(servers.getJsonObject(1).getString("credential")).isEqualTo("secret");
        assertThat(IceServerAssembler.hasTurn(servers)).isTrue();
    }

    @Test
    void withoutAnAnswerFromThisNodeOtherNodesStunStillHelps() {
        JsonArray servers = IceServerAssembler.assemble(null, directory);
        assertThat(servers).hasSize(2);
        assertThat(IceServerAssembler.hasTurn(servers)).isFalse();
        assertThat(IceServerAssembler.assemble(null, null)).isEmpty();
    }

    @Test
    void aSingleUrlStringIsAcceptedToo() {
        JsonObject own = new JsonObject().put("iceServers", new JsonArray()
                .add(new JsonObject().put("urls", "turns:relay.example:5349")).add("junk"));
        JsonArray servers = IceServerAssembler.assemble(own, null);
        assertThat(servers).hasSize(1);
        assertThat(IceServerAssembler.hasTurn(servers)).isTrue();
    }
}

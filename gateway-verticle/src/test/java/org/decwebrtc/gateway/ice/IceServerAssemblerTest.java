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

    @Test
    void atMostFourUrlsTurnOfEachServerFirstAndOneStun() {
        JsonObject own = new JsonObject().put("iceServers", new JsonArray()
                .add(new JsonObject().put("urls", new JsonArray().add("stun:10.0.0.1:3478")))
                .add(new JsonObject().put("urls", new JsonArray().add("turn:10.0.0.1:3478?transport=udp")
                        .add("turn:10.0.0.1:3478?transport=tcp")).put("username", "u").put("credential", "c")));
        JsonArray relay = new JsonArray().add(new JsonObject().put("urls", new JsonArray()
                .add("turn:10.0.0.2:3478?transport=udp").add("turn:10.0.0.2:3478?transport=tcp"))
                .put("username", "r").put("credential", "s"));
        JsonArray servers = IceServerAssembler.assemble(own, relay, directory);
        List<String> urls = servers.stream().flatMap(s -> ((JsonObject) s).getJsonArray("urls").stream())
                .map(String::valueOf).toList();
        assertThat(urls).containsExactly("stun:10.0.0.1:3478", "turn:10.0.0.1:3478?transport=udp",
                "turn:10.0.0.1:3478?transport=tcp", "turn:10.0.0.2:3478?transport=udp");
        assertThat(servers.getJsonObject(2).getString("username")).isEqualTo("r");
    }

    @Test
    void stunAdvertsAreCappedNearestFirst() {
        List<UserEntry> many = new java.util.ArrayList<>();
        for (int i = 9; i >= 1; i--) {
            many.add(new UserEntry("n" + i, "10.0.0.2:5000", i, "10.0.1." + i + ":3478", null));
        }
        JsonArray servers = IceServerAssembler.assemble(null, new JsonArray(), new Directory("alice", List.of(), many));
        assertThat(servers.stream().map(s -> ((JsonObject) s).getJsonArray("urls").getString(0)))
                .containsExactly("stun:10.0.1.1:3478", "stun:10.0.1.2:3478");
    }
}

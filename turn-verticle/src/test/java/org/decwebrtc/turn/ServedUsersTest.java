package org.decwebrtc.turn;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServedUsersTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private ServedUsers of(JsonObject node) {
        return ServedUsers.of(vertx, org.decwebrtc.api.config.NodeConfig.fromJson(node.put("name", "me")));
    }

    @Test
    void aRelayNodeServesEveryoneAUserNodeOnlyItsOwnCalls() {
        ServedUsers relay = of(new JsonObject().put("gateway", new JsonObject().put("enabled", false)));
        assertThat(relay.mode()).isEqualTo(ServedUsers.Mode.ALL);
        assertThat(relay.test("stranger")).isTrue();

        ServedUsers user = of(new JsonObject().put("gateway", new JsonObject().put("enabled", true)));
        assertThat(user.mode()).isEqualTo(ServedUsers.Mode.KNOWN);
        assertThat(user.test("me")).isTrue();
        assertThat(user.test("stranger")).isFalse();
        user.inCall("bob");
        assertThat(user.test("bob")).isTrue();
        // The TURN verticle's instance sees the same calls (one map per node).
        assertThat(of(new JsonObject().put("gateway", new JsonObject().put("enabled", true))).test("bob")).isTrue();
        user.callEnded("bob");
        assertThat(user.test("bob")).as("credentials expire with the call").isFalse();
    }

    @Test
    void explicitModesAndLists() {
        assertThat(of(new JsonObject().put("turn", new JsonObject().put("serve", "none"))).test("bob")).isFalse();
        assertThat(of(new JsonObject().put("turn", new JsonObject().put("serve", "none"))).test("me")).isTrue();
        assertThat(of(new JsonObject().put("gateway", new JsonObject().put("enabled", true)).put("turn", new JsonObject().put("serve", "all"))).test("x")).isTrue();
        ServedUsers list = of(new JsonObject().put("turn", new JsonObject().put("serve", "alice, bob")));
        assertThat(list.mode()).isEqualTo(ServedUsers.Mode.LIST);
        assertThat(list.test("bob")).isTrue();
        assertThat(list.test("carol")).isFalse();
        ServedUsers legacy = of(new JsonObject().put("turn", new JsonObject().put("serveUsers", new JsonArray().add("alice"))));
        assertThat(legacy.test("alice")).isTrue();
        assertThat(legacy.test("bob")).isFalse();
        assertThatThrownBy(() -> of(new JsonObject().put("turn", new JsonObject().put("serve", " , "))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package org.decwebrtc.turn.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.Nonce;
import org.decwebrtc.stun.message.Realm;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.turn.message.ChannelNumber;
import org.decwebrtc.turn.message.Lifetime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.decwebrtc.turn.it.TurnTestClient.errorCode;
import static org.decwebrtc.turn.it.TurnTestClient.relayed;

/** Must-show 2: what the server refuses, and how, under its default security settings. */
class RefusalTest {
    static TurnNode node;

    @BeforeAll
    static void start() throws Exception {
        // Defaults except a static user and a small quota: no allow-list, so every internal range is refused.
        node = TurnNode.start(new JsonObject().put("users", new JsonArray().add("alice:secret").add("bob:pw"))
                .put("relayPorts", "43000-43099").put("maxAllocationsPerUser", 2));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @Test
    void allocateWithoutCredentialsGets401WithRealmAndNonce() throws Exception {
        try (TurnTestClient c = new TurnTestClient(node.port)) {
            StunMessage r = c.allocate();
            assertThat(errorCode(r)).isEqualTo(401);
            assertThat(r.get(Realm.class).value()).isEqualTo("decwebrtc");
            assertThat(r.get(Nonce.class).value()).isNotBlank();
        }
    }

    @Test
    void wrongPasswordGets401AndIsCounted() throws Exception {
        long before = node.stats().getLong("authFailures");
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("alice", "not-her-password")) {
            StunMessage r = c.allocate();
            assertThat(errorCode(r)).isEqualTo(401);
            assertThat(r.get(Nonce.class)).isNotNull();
        }
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("mallory", "x")) {
            assertThat(errorCode(c.allocate())).isEqualTo(401);
        }
        assertThat(node.stats().getLong("authFailures") - before).isEqualTo(2);
    }

    @Test
    void forgedNonceGets438WithAFreshOne() throws Exception {
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("alice", "secret")) {
            assertThat(errorCode(c.allocate())).isZero();
            c.nonce = "1234.abcdef";
            StunMessage r = c.transact(c.request(MessageType.REFRESH), c.key);
            assertThat(errorCode(r)).isEqualTo(438);
            assertThat(r.get(Nonce.class).value()).isNotEqualTo("1234.abcdef");
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "10.0.0.1", "::1", "::", "169.254.169.254", "::ffff:127.0.0.1",
            "192.168.1.1", "100.64.0.1", "224.0.0.1", "fe80::1"})
    void permissionToInternalAddressesIsForbidden(String peer) throws Exception {
        long before = node.stats().getLong("refusedPeers");
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("bob", "pw")) {
            assertThat(errorCode(c.allocate())).isZero();
            assertThat(errorCode(c.createPermission(peer))).isEqualTo(403);
            StunMessage bind = c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4001),
                    XorAddressAttribute.peer(new InetSocketAddress(InetAddress.getByName(peer), 5000)));
            assertThat(errorCode(bind)).isEqualTo(403);
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
        assertThat(node.stats().getLong("refusedPeers") - before).isEqualTo(2);
    }

    @Test
    void permissionToAPublicAddressIsGrantedAndSignedResponsesVerify() throws Exception {
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("bob", "pw")) {
            StunMessage alloc = c.allocate();
            assertThat(errorCode(alloc)).isZero();
            assertThat(alloc.verifyIntegrity(c.key)).as("Allocate success carries a valid MESSAGE-INTEGRITY").isTrue();
            assertThat(relayed(alloc).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(relayed(alloc).getPort()).isBetween(43000, 43099);
            StunMessage perm = c.createPermission("198.51.100.20");
            assertThat(errorCode(perm)).isZero();
            assertThat(perm.verifyIntegrity(c.key)).isTrue();
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    @Test
    void sha256IntegrityIsAnsweredWithSha256() throws Exception {
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("bob", "pw")) {
            c.sha256 = true;
            StunMessage alloc = c.allocate();
            assertThat(errorCode(alloc)).isZero();
            assertThat(alloc.hasIntegritySha256()).isTrue();
            assertThat(alloc.verifyIntegritySha256(c.key)).isTrue();
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
    }

    @Test
    void perUserQuotaGives486AndDeletingFreesIt() throws Exception {
        long before = node.stats().getLong("quotaRefusals");
        try (TurnTestClient a = new TurnTestClient(node.port).credentials("alice", "secret");
             TurnTestClient b = new TurnTestClient(node.port).credentials("alice", "secret");
             TurnTestClient c = new TurnTestClient(node.port).credentials("alice", "secret")) {
            assertThat(errorCode(a.allocate())).isZero();
            assertThat(errorCode(b.allocate())).isZero();
            assertThat(errorCode(c.allocate())).isEqualTo(486);
            assertThat(errorCode(a.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            assertThat(errorCode(c.allocate())).isZero();
            assertThat(errorCode(b.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
            assertThat(errorCode(c.call(MessageType.REFRESH, new Lifetime(0)))).isZero();
        }
        assertThat(node.stats().getLong("quotaRefusals") - before).isEqualTo(1);
    }

    @Test
    void protocolErrors() throws Exception {
        try (TurnTestClient c = new TurnTestClient(node.port).credentials("bob", "pw");
             TurnTestClient other = new TurnTestClient(node.port).credentials("bob", "pw")) {
            assertThat(errorCode(other.call(MessageType.REFRESH))).as("refresh without allocation").isEqualTo(437);
            assertThat(errorCode(c.call(MessageType.ALLOCATE))).as("no REQUESTED-TRANSPORT").isEqualTo(400);
            assertThat(errorCode(c.call(MessageType.ALLOCATE, new org.decwebrtc.turn.message.RequestedTransport(6))))
                    .isEqualTo(442);
            StunMessage first = c.allocate();
            assertThat(errorCode(first)).isZero();
            assertThat(errorCode(c.allocate())).as("second Allocate on the same 5-tuple").isEqualTo(437);
            InetSocketAddress pub = new InetSocketAddress("198.51.100.7", 4000);
            assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x3FFF), XorAddressAttribute.peer(pub))))
                    .isEqualTo(400);
            assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x8000), XorAddressAttribute.peer(pub))))
                    .as("beyond RFC 5766's range too").isEqualTo(400);
            assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4000), XorAddressAttribute.peer(pub))))
                    .isZero();
            assertThat(errorCode(c.call(MessageType.CHANNEL_BIND, new ChannelNumber(0x4000),
                    XorAddressAttribute.peer(new InetSocketAddress("198.51.100.8", 4000))))).isEqualTo(400);
            assertThat(errorCode(c.call(MessageType.CREATE_PERMISSION))).isEqualTo(400);
            // Another user may not touch this allocation.
            c.credentials("alice", "secret");
            assertThat(errorCode(c.call(MessageType.REFRESH))).isEqualTo(441);
            c.credentials("bob", "pw");
            StunMessage del = c.call(MessageType.REFRESH, new Lifetime(0));
            assertThat(errorCode(del)).isZero();
            assertThat(del.get(Lifetime.class).seconds()).isZero();
        }
    }

    @Test
    void staleNonceGets438() throws Exception {
        try (TurnNode shortNonce = TurnNode.start(new JsonObject().put("users", new JsonArray().add("u:p"))
                .put("relayPorts", "43100-43109").put("nonceLifetime", 1))) {
            try (TurnTestClient c = new TurnTestClient(shortNonce.port).credentials("u", "p")) {
                assertThat(errorCode(c.allocate())).isZero();
                Thread.sleep(1300);
                StunMessage r = c.transact(c.request(MessageType.REFRESH), c.key);
                assertThat(errorCode(r)).isEqualTo(438);
                assertThat(r.get(Realm.class)).isNotNull();
                assertThat(r.get(Nonce.class).value()).isNotEqualTo(c.nonce);
                assertThat(shortNonce.stats().getLong("staleNonces")).isEqualTo(1);
            }
        }
    }

    @Test
    void expiredAllocationFreesItsPortForTheNextClient() throws Exception {
        try (TurnNode onePort = TurnNode.start(new JsonObject().put("users", new JsonArray().add("u:p"))
                .put("relayPorts", "43200-43200").put("defaultLifetime", 1))) {
            try (TurnTestClient a = new TurnTestClient(onePort.port).credentials("u", "p");
                 TurnTestClient b = new TurnTestClient(onePort.port).credentials("u", "p")) {
                StunMessage first = a.allocate(1);
                assertThat(errorCode(first)).isZero();
                assertThat(first.get(Lifetime.class).seconds()).isEqualTo(1);
                assertThat(relayed(first).getPort()).isEqualTo(43200);
                assertThat(errorCode(b.allocate(1))).as("the only port is taken").isEqualTo(508);
                await().atMost(Duration.ofSeconds(5)).until(() -> onePort.stats().getInteger("activeAllocations") == 0);
                StunMessage second = b.allocate(1);
                assertThat(errorCode(second)).isZero();
                assertThat(relayed(second).getPort()).isEqualTo(43200);
            }
        }
    }
}

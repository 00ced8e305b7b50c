package org.decwebrtc.gateway.ice;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.Addresses;
import org.decwebrtc.api.Directory;
import org.decwebrtc.api.SignalEnvelope;
import org.decwebrtc.api.TurnCredentialGrant;
import org.decwebrtc.api.UserEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credentials from another node's relay, with that relay playing difficult: a refusal is asked again later (a
 * user's node grants the remote user of its call only once the call is accepted), and a grant that mixes a good
 * entry with a foreign host hands the browser only the good one.
 */
class RemoteTurnCredentialsTest {
    private static final String NODE = "alice";
    private static final String RELAY = "carol";
    private static final String ADVERT = "198.18.0.7:3478";

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private RemoteTurnCredentials credentials;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        vertx.eventBus().<JsonObject>consumer(Addresses.signalSend(NODE), m -> {
            requests.add(m.body());
            m.reply(new JsonObject());
        }).completion().await(5, TimeUnit.SECONDS);
        credentials = new RemoteTurnCredentials(vertx, NODE, clock::get);
        // Started on an event loop, as the gateway does, and only then fed: a directory published before its
        // consumer is registered would be lost.
        Promise<Void> started = Promise.promise();
        vertx.runOnContext(v -> {
            credentials.start(() -> {
            });
            started.complete();
        });
        started.future().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void publishDirectory() {
        Directory directory = new Directory(NODE, List.of(),
                List.of(new UserEntry(RELAY, RELAY, 1, ADVERT, ADVERT)));
        vertx.eventBus().publish(Addresses.directory(NODE), directory.toJson());
    }

    private void receive(TurnCredentialGrant grant) {
        vertx.eventBus().publish(Addresses.signalReceived(NODE),
                new SignalEnvelope(RELAY, grant.toSignal()).toReceivedJson());
    }

    private static JsonObject entry(String url) {
        return new JsonObject().put("urls", url).put("username", "1700000000:alice").put("credential", "c2VjcmV0");
    }

    @Test
    void aRefusalIsAskedAgainAfterItsBackoffAndAMixedGrantKeepsOnlyTheGoodEntry() {
        publishDirectory();
        await().atMost(Duration.ofSeconds(30)).until(() -> requests.size() == 1);
        assertThat(SignalEnvelope.fromSendJson(requests.get(0)).peer()).isEqualTo(RELAY);

        receive(TurnCredentialGrant.refusal("not serving strangers"));
        await().atMost(Duration.ofSeconds(30)).until(() -> credentials.refusals().containsKey(RELAY));

        clock.addAndGet(RemoteTurnCredentials.REFUSAL_RETRY_MILLIS / 2);
        publishDirectory();
        publishDirectory();
        // A refusal is not asked again at once: give a wrong request time to show up, then look.
        vertx.timer(500).await();
        assertThat(requests).as("asked again before the refusal's backoff").hasSize(1);

        clock.addAndGet(RemoteTurnCredentials.REFUSAL_RETRY_MILLIS);
        publishDirectory();
        await().atMost(Duration.ofSeconds(30)).until(() -> requests.size() == 2);

        long expires = clock.get() / 1000 + 600;
        receive(TurnCredentialGrant.granted(new JsonArray()
                .add(entry("turn:" + ADVERT + "?transport=udp"))
                .add(entry("turn:203.0.113.9:3478")), expires));
        await().atMost(Duration.ofSeconds(30)).until(() -> !credentials.servers().isEmpty());
        assertThat(credentials.servers()).containsExactly(entry("turn:" + ADVERT + "?transport=udp")
                .put("urls", new JsonArray().add("turn:" + ADVERT + "?transport=udp")));
        assertThat(credentials.refusals()).isEmpty();
    }
}

package org.decwebrtc.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Request bodies read what a well-behaved sender wrote, and anything else as absent rather than as a crash. */
class EventBusBodiesTest {
    @Test
    void iceServersRequestRoundTripsAndIgnoresOtherTypes() {
        assertThat(IceServersRequest.fromJson(new IceServersRequest("alice").toJson()).user()).isEqualTo("alice");
        assertThat(IceServersRequest.fromJson(new JsonObject().put("user", 42)).user()).isNull();
        assertThat(IceServersRequest.fromJson(null).user()).isNull();
    }

    @Test
    void peerAddRequestRoundTripsAndItsReplySaysOk() {
        PeerAddRequest request = new PeerAddRequest("198.18.0.7:5000");
        assertThat(PeerAddRequest.fromJson(request.toJson())).isEqualTo(request);
        assertThat(request.toReplyJson()).isEqualTo(new JsonObject().put("peer", "198.18.0.7:5000").put("ok", true));
        assertThat(PeerAddRequest.fromJson(new JsonObject().put("peer", new JsonObject())).peer()).isNull();
        assertThat(PeerAddRequest.fromJson(null).peer()).isNull();
    }
}

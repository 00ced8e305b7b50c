package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.LinkRecord;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyPinsTest {
    private static final long DAY = 86_400_000L;
    private final GossipLimits limits = GossipLimits.defaults();
    private final byte[] bob = {1, 2, 3};
    private final byte[] mallory = {9, 9, 9};

    @Test
    void aPinOutlivesSilenceForThirtyDaysAndSurvivesARestart() {
        KeyPins pins = new KeyPins(limits);
        pins.seen("bob", bob, 5, 0);
        KeyPins restarted = new KeyPins(limits);
        restarted.load(pins.toJson(), 29 * DAY);
        assertThat(restarted.check("bob", mallory)).isEqualTo(KeyPins.Check.OTHER_KEY);
        assertThat(restarted.check("bob", bob)).isEqualTo(KeyPins.Check.SAME_KEY);
        assertThat(restarted.lastSeq("bob")).isEqualTo(5);
        assertThat(restarted.expire(31 * DAY)).isEqualTo(1);
        assertThat(restarted.check("bob", mallory)).isEqualTo(KeyPins.Check.UNPINNED);
    }

    @Test
    void aKeyHoldsAtMostTwoNamesAndTheUserAloneMovesAPin() {
        KeyPins pins = new KeyPins(limits);
        pins.seen("m1", mallory, 1, 0);
        assertThat(pins.mayPinAnotherName(mallory)).isTrue();
        pins.seen("m2", mallory, 1, 0);
        assertThat(pins.mayPinAnotherName(mallory)).isFalse();

        pins.seen("bob", bob, 1, 0);
        LinkRecord claim = LinkRecord.newBuilder().setOrigin("bob").setSeq(2)
                .setPublicKey(ByteString.copyFrom(mallory)).build();
        assertThat(pins.refuse(claim, 10)).isNotNull();
        assertThat(pins.refuse(claim, 20)).as("a repeat is not a new warning").isNull();
        assertThat(pins.warnings()).hasSize(1);
        assertThat(pins.warnings().get(0).oldFingerprint()).isEqualTo(KeyPins.fingerprint(bob));
        assertThat(pins.accept("bob", "not-it")).isNull();
        assertThat(pins.accept("bob", KeyPins.fingerprint(mallory))).isEqualTo(claim);
        assertThat(pins.check("bob", mallory)).isEqualTo(KeyPins.Check.UNPINNED);
        assertThat(pins.warnings()).isEmpty();
    }
}

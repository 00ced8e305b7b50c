package org.decwebrtc.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster name a secret gives, without Hazelcast. */
class ClusterSecretTest {
    private static final ClusterSecret SECRET = ClusterSecret.of("the-members-secret-0123456789");
    private static final ClusterSecret OTHER = ClusterSecret.of("someone-elses-secret-0123456");

    @Test
    void theClusterNameDependsOnTheSecretAndTheWholeMemberList() {
        String name = SECRET.clusterName(List.of("127.0.0.1:5801", "127.0.0.1:5802"));
        assertThat(SECRET.clusterName(List.of("127.0.0.1:5802", "127.0.0.1:5801"))).as("order").isEqualTo(name);
        assertThat(ClusterSecret.of("the-members-secret-0123456789").clusterName(List.of("127.0.0.1:5801", "127.0.0.1:5802")))
                .isEqualTo(name);
        assertThat(OTHER.clusterName(List.of("127.0.0.1:5801", "127.0.0.1:5802"))).isNotEqualTo(name);
        assertThat(SECRET.clusterName(List.of("127.0.0.1:5803", "127.0.0.1:5801"))).isNotEqualTo(name);
        assertThat(SECRET.clusterName(List.of("127.0.0.1:5801", "127.0.0.1:5802", "127.0.0.1:5803"))).isNotEqualTo(name);
        assertThat(name).doesNotContain("the-members-secret");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> ClusterSecret.of("short")).hasMessageContaining("at least 16");
    }
}

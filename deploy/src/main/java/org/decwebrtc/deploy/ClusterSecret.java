package org.decwebrtc.deploy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * What keeps strangers out of a split node's cluster (Hazelcast open source has no member authentication of its
 * own): every member reads the same secret from {@code --cluster-secret-file}, and Hazelcast's cluster name is an
 * HMAC of that secret and of the whole member list (every member's {@code host:port}, sorted). A JVM without the
 * secret, or at an address the members do not list, presents another name and Hazelcast refuses its join. The
 * name travels in clear on the member protocol and the event bus between members is not encrypted, so the cluster
 * link must stay on a trusted network ({@code --cluster-host} is loopback by default): this keeps out a stray or
 * hostile JVM on the same host or network, not someone who can read the link's traffic.
 */
final class ClusterSecret {
    static final int MIN_LENGTH = 16;

    private final byte[] secret;

    private ClusterSecret(byte[] secret) {
        this.secret = secret;
    }

    /** The first line of {@code file}; throws {@link IllegalArgumentException} naming the flag. */
    static ClusterSecret read(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("--cluster needs --cluster-secret-file (the same secret on every member)");
        }
        String line;
        try {
            line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(l -> !l.isEmpty()).findFirst().orElse("");
        } catch (IOException e) {
            throw new IllegalArgumentException("--cluster-secret-file: cannot read " + file + ": " + e.getMessage(), e);
        }
        return of(line);
    }

    static ClusterSecret of(String secret) {
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("--cluster-secret-file must hold a secret of at least " + MIN_LENGTH
                    + " characters");
        }
        return new ClusterSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Hazelcast's cluster name for this secret and this exact set of members ({@code host:port} each). */
    String clusterName(Collection<String> members) {
        String list = String.join(",", new TreeSet<>(members));
        return "decwebrtc-" + HexFormat.of().formatHex(Arrays.copyOf(hmac("hazelcast cluster name\n" + list), 16));
    }

    private byte[] hmac(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
